#include "services/common/unit_of_work_answer.h"

namespace causeway::services {

http::Response AnswerAfterCommit(store::Database& db, const std::function<http::Response()>& handle,
                                 CommitPolicy policy) {
  store::UnitOfWork unit(db);
  http::Response res;
  {
    store::UnitOfWork::Scope scope(unit);
    res = handle();
  }
  if (res.to_workers || (res.status >= 400 && !policy.commit_refusals)) {
    unit.Rollback();
    return res;
  }
  if (!unit.empty()) {
    res.after = unit.CommitAsync();
    if (policy.on_failure) res.on_failure = std::move(policy.on_failure);
  }
  return res;
}

core::Status RunInUnitOfWork(store::Database& db, const std::function<core::Status()>& operations) {
  store::UnitOfWork unit(db);
  core::Status st;
  {
    store::UnitOfWork::Scope scope(unit);
    st = operations();
  }
  if (!st.ok()) {
    unit.Rollback();
    return st;
  }
  return unit.Commit();
}

}  // namespace causeway::services
