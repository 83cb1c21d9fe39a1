// kill -9 at any moment loses nothing: outbox_crash_helper (the "server") enqueues N items
// with their messages and delivers them to tests/support/receiver.py, which counts what it
// gets. The test kills the helper with SIGKILL while it enqueues and several times while it
// delivers, restarts it each time, and finally lets it finish. Then every message has arrived,
// in order per key, and the only repeats are messages whose acknowledgement a kill (or a lost
// answer) interrupted: each repeated message has an "interrupted" or lost-answer attempt
// recorded, and there are at most kills × concurrency of them.
// Kills are triggered by what the helper printed or what the receiver counted, never by time.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>

#include "exchange/testing/receiver_process.h"
#include "store/sqlite/sqlite_database.h"

#ifndef CW_CRASH_HELPER
#error "CW_CRASH_HELPER must name the outbox_crash_helper executable"
#endif

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;

constexpr int kMessages = 2000;
constexpr int kKeys = 16;
constexpr int kConcurrency = 8;
constexpr int kKillsWhileDelivering = 3;

// One run of the helper, its stdout read line by line.
class HelperRun {
 public:
  HelperRun(const std::string& db, const std::string& url) {
    std::vector<std::string> args = {CW_CRASH_HELPER, "--db",   db, "--url", url, "--messages", std::to_string(kMessages),
                                     "--keys",        std::to_string(kKeys), "--concurrency", std::to_string(kConcurrency)};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = fdopen(out[0], "r");
  }
  ~HelperRun() {
    if (pid_ > 0) Kill();
    if (out_) fclose(out_);
  }

  bool started() const { return pid_ > 0 && out_; }
  // Reads lines until `stop` accepts one (true) or the output ends (false).
  bool ReadUntil(const std::function<bool(const std::string&)>& stop) {
    char line[256];
    while (fgets(line, sizeof line, out_)) {
      std::string s(line);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      last_line_ = s;
      if (stop(s)) return true;
    }
    return false;
  }
  void Kill() {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  // Waits for the end of the run; its exit code (-1 for a signal).
  int Wait() {
    ReadUntil([](const std::string&) { return false; });
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& last_line() const { return last_line_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string last_line_;
};

TEST(OutboxCrashTest, KillNineLosesNothingKeepsOrderAndRepeatsOnlyInterruptedMessages) {
  const auto dir = std::filesystem::temp_directory_path() / ("cw_outbox_crash_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db_path = (dir / "outbox.sqlite").string();
  testing::ReceiverProcess receiver;
  ASSERT_TRUE(receiver.ok()) << receiver.error();

  {  // Killed while still enqueueing: a quarter of the items committed, maybe a few more.
    HelperRun run(db_path, receiver.url());
    ASSERT_TRUE(run.started());
    ASSERT_TRUE(run.ReadUntil([](const std::string& line) {
      return line.starts_with("enqueued ") && std::stoi(line.substr(9)) >= kMessages / 4;
    })) << run.last_line();
    run.Kill();
  }
  for (int kill = 1; kill <= kKillsWhileDelivering; ++kill) {  // killed while delivering
    HelperRun run(db_path, receiver.url());
    ASSERT_TRUE(run.started());
    auto before = receiver.Stats();
    ASSERT_TRUE(before.ok());
    ASSERT_TRUE(receiver.WaitFor(0, before->requests + kMessages / 6, 120s).ok()) << "kill " << kill;
    run.Kill();
  }
  {
    HelperRun run(db_path, receiver.url());
    ASSERT_TRUE(run.started());
    EXPECT_EQ(run.Wait(), 0);
    EXPECT_EQ(run.last_line(), "delivered");
  }

  // What the receiver got.
  auto received = receiver.Requests();
  ASSERT_TRUE(received.ok());
  std::map<std::string, std::vector<int>> per_key;
  std::map<int, int> times;
  for (const auto& r : *received) {
    // /crash/K<k>/<n>
    size_t slash = r.path.rfind('/');
    per_key[r.path.substr(7, slash - 7)].push_back(std::stoi(r.path.substr(slash + 1)));
    ++times[std::stoi(r.body)];
  }
  ASSERT_EQ(per_key.size(), size_t{kKeys});
  for (const auto& [key, ns] : per_key) {
    EXPECT_TRUE(std::is_sorted(ns.begin(), ns.end())) << key << ": out of order";
  }
  ASSERT_EQ(times.size(), size_t{kMessages}) << "every message arrived";
  EXPECT_EQ(times.begin()->first, 1);
  EXPECT_EQ(times.rbegin()->first, kMessages);
  const int repeats = static_cast<int>(received->size()) - kMessages;

  // What the store holds: every item has its message, every message was delivered, and each
  // repeated message had an attempt whose acknowledgement was interrupted or lost.
  auto db = store::sqlite::SqliteDatabase::Open({.path = db_path});
  ASSERT_TRUE(db.ok());
  int64_t items = 0, messages = 0, delivered = 0, interrupted = 0;
  std::map<int, int> uncertain;  // n → attempts whose answer the outbox never recorded
  ASSERT_TRUE((*db)->Read([&](store::Tx& tx) -> core::Status {
                     CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM crash_items", {},
                                                 [&](const store::Row& r) { items = r.Int(0); }));
                     CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*), SUM(CASE WHEN state = 'delivered' THEN 1 ELSE 0 END) "
                                                 "FROM outbox_messages",
                                                 {}, [&](const store::Row& r) {
                                                   messages = r.Int(0);
                                                   delivered = r.Int(1);
                                                 }));
                     CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM outbox_attempts WHERE outcome = 'interrupted'", {},
                                                 [&](const store::Row& r) { interrupted = r.Int(0); }));
                     return tx.Query(
                         "SELECT c.n, COUNT(*) FROM crash_items c JOIN outbox_attempts a ON a.message_id = c.message_id "
                         "WHERE a.outcome = 'interrupted' OR a.error LIKE 'timeout%' OR a.error LIKE 'connection_lost%' "
                         "GROUP BY c.n",
                         {}, [&](const store::Row& r) { uncertain[static_cast<int>(r.Int(0))] = static_cast<int>(r.Int(1)); });
                   }).ok());
  EXPECT_EQ(items, kMessages);
  EXPECT_EQ(messages, kMessages);
  EXPECT_EQ(delivered, kMessages);
  for (const auto& [n, count] : times) {
    if (count > 1) {
      EXPECT_GE(uncertain[n], count - 1) << "message " << n << " arrived " << count << " times";
    }
  }
  EXPECT_LE(interrupted, int64_t{(kKillsWhileDelivering + 1) * kConcurrency});
  int uncertain_attempts = 0;
  for (const auto& [n, count] : uncertain) uncertain_attempts += count;
  EXPECT_LE(repeats, uncertain_attempts);
  std::printf("kills: %d, messages: %d, received: %zu, repeats: %d, interrupted attempts: %lld\n",
              kKillsWhileDelivering + 1, kMessages, received->size(), repeats, static_cast<long long>(interrupted));
  ::testing::Test::RecordProperty("repeats", repeats);
  db->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace causeway::exchange
