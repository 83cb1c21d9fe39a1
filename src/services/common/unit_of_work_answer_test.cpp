// What a request's unit of work commits, by what its handler answered.
#include "services/common/unit_of_work_answer.h"

#include <gtest/gtest.h>

namespace causeway::services {
namespace {

// Counts the commits that reach it; each succeeds at once.
class CountingDatabase final : public store::Database {
 public:
  void WriteAsync(store::TxFn, store::WriteDone done) override {
    ++commits;
    done(core::Status::Ok());
  }
  core::Status Read(store::TxFn) override { return core::Status::Ok(); }
  std::string Health() override { return "ok"; }
  std::string Kind() const override { return "counting"; }
  int commits = 0;
};

// Stages one write into the request's unit, then answers `answer`.
http::Response StageAndAnswer(store::Database& db, http::Response answer, bool* rolled_back) {
  core::Status st = store::Transact(db, [&](store::UnitOfWork& unit) {
    unit.Add([](store::Tx&) { return core::Status::Ok(); });
    unit.OnRollback([rolled_back] { *rolled_back = true; });
    return core::Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  return answer;
}

TEST(AnswerAfterCommitTest, ASuccessCommitsAndAnErrorOrARunElsewhereRollsBack) {
  CountingDatabase db;
  bool rolled_back = false;
  http::Response ok = AnswerAfterCommit(db, [&] { return StageAndAnswer(db, http::Response(201, "text/plain", "made"), &rolled_back); });
  ASSERT_NE(ok.after, nullptr);
  EXPECT_TRUE(ok.after->Wait().ok());
  EXPECT_EQ(db.commits, 1);
  EXPECT_FALSE(rolled_back);

  http::Response error = AnswerAfterCommit(db, [&] { return StageAndAnswer(db, http::Response(400, "text/plain", "no"), &rolled_back); });
  EXPECT_EQ(error.after, nullptr);
  EXPECT_TRUE(rolled_back);
  EXPECT_EQ(db.commits, 1);

  // Parked or handed to a worker: the handler runs again from the start and stages again, so
  // what this run staged must not commit (a default status of 200 notwithstanding).
  rolled_back = false;
  http::Response elsewhere = AnswerAfterCommit(db, [&] { return StageAndAnswer(db, http::Response::ToWorkers(), &rolled_back); });
  EXPECT_TRUE(elsewhere.to_workers);
  EXPECT_EQ(elsewhere.after, nullptr);
  EXPECT_TRUE(rolled_back);
  EXPECT_EQ(db.commits, 1);
}

}  // namespace
}  // namespace causeway::services
