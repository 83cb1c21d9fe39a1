#include "services/common/unit_of_work_answer.h"

namespace causeway::services {

http::Response AnswerAfterCommit(store::Database& db, const std::function<http::Response()>& handle) {
  store::UnitOfWork unit(db);
  http::Response res;
  {
    store::UnitOfWork::Scope scope(unit);
    res = handle();
  }
  // An error, or a handler that would have waited on its I/O thread and runs again (parked or
  // on a worker): nothing it staged may commit.
  if (res.status >= 400 || res.to_workers) {
    unit.Rollback();
    return res;
  }
  if (!unit.empty()) res.after = unit.CommitAsync();
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
