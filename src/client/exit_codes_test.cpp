#include "client/exit_codes.h"

#include <gtest/gtest.h>

#include <set>

#include "client/job_status.h"

namespace causeway::client {
namespace {

TEST(ExitCodes, StatusMapping) {
  EXPECT_EQ(ExitCodeForStatus('F'), ExitCode::kFinished);
  EXPECT_EQ(ExitCodeForStatus('W'), ExitCode::kFinishedWithWarning);
  EXPECT_EQ(ExitCodeForStatus('A'), ExitCode::kFailed);
  EXPECT_EQ(ExitCodeForStatus('U'), ExitCode::kFailed);
  EXPECT_EQ(ExitCodeForStatus('C'), ExitCode::kCancelled);
  EXPECT_EQ(ExitCodeForStatus('D'), ExitCode::kCancelled);
  EXPECT_EQ(ExitCodeForStatus('X'), ExitCode::kServerError);
  EXPECT_EQ(ExitCodeForStatus('c'), ExitCode::kInternal);  // not terminal: case matters
}

TEST(ExitCodes, ErrorMapping) {
  auto of = [](core::Code c) { return ExitCodeForError(core::MakeError(c, "X", "", "t")); };
  EXPECT_EQ(of(core::Code::kUnavailable), ExitCode::kConnection);
  EXPECT_EQ(of(core::Code::kUnauthorized), ExitCode::kAuth);
  EXPECT_EQ(of(core::Code::kForbidden), ExitCode::kAuth);
  EXPECT_EQ(of(core::Code::kBadRequest), ExitCode::kRejected);
  EXPECT_EQ(of(core::Code::kNotFound), ExitCode::kRejected);
  EXPECT_EQ(of(core::Code::kInternal), ExitCode::kServerError);
}

TEST(ExitCodes, DocumentedValuesAreDistinctAndStable) {
  const std::vector<std::pair<ExitCode, int>> table = {
      {ExitCode::kFinished, 0}, {ExitCode::kInternal, 1}, {ExitCode::kUsage, 2},
      {ExitCode::kFinishedWithWarning, 3}, {ExitCode::kFailed, 4}, {ExitCode::kCancelled, 5},
      {ExitCode::kTimedOut, 6}, {ExitCode::kConnection, 7}, {ExitCode::kAuth, 8},
      {ExitCode::kServerError, 9}, {ExitCode::kRejected, 10}, {ExitCode::kSigInt, 130},
      {ExitCode::kSigTerm, 143}};
  std::set<std::string_view> names;
  for (auto [code, value] : table) {
    EXPECT_EQ(static_cast<int>(code), value);
    names.insert(ExitReasonName(code));
  }
  EXPECT_EQ(names.size(), table.size());
}

TEST(JobStatus, TerminalAndPendingPartition) {
  for (char c : std::string("YSPRck")) {
    EXPECT_TRUE(IsPendingStatus(c)) << c;
    EXPECT_FALSE(IsTerminalStatus(c)) << c;
  }
  for (char c : std::string("FWAUCDKX")) {
    EXPECT_TRUE(IsTerminalStatus(c)) << c;
    EXPECT_FALSE(IsPendingStatus(c)) << c;
  }
}

}  // namespace
}  // namespace causeway::client
