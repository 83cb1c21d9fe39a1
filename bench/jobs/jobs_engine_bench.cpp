// The job engine's own figures, below HTTP, on this machine: JobSchedule (each call commits its
// own unit of work, durably) and JobStatusGet (JobEngine::GetStatus) with 64 client threads, on
// SQLite (one node, read cache) and on PostgreSQL (a throw-away local cluster,
// tests/support/pg_cluster.h; no read cache) with one node and with two nodes — two engines with
// their own connection pools on the same database, the clients split between them. Workers
// (8 per node) run the scheduled noop jobs meanwhile, as a server does.
//
//   build/release/bench/jobs/jobs_engine_bench [seconds per phase, default 10]
//
// Figures, not assertions: ratios within one run are what to quote on a shared machine.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <thread>
#include <vector>

#include "domain/jobs/job_engine.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"
#include "tests/support/pg_cluster.h"

namespace causeway::jobs {
namespace {

constexpr int kClients = 64;
constexpr int kWorkers = 8;

class AnyUser final : public UserDirectory {
 public:
  bool IsBusinessUser(std::string_view) const override { return true; }
};

std::vector<JobTemplate> Templates() {
  JobTemplate t;
  t.name = "ZBENCH_NOOP";
  t.text = "Benchmark";
  StepDefinition s;
  s.kind = StepKind::kNoop;
  t.steps = {s};
  return {t};
}

struct Figures {
  double schedules_per_s = 0;
  double status_per_s = 0;
  int64_t failed = 0;
};

// Runs `fn(client, i)` on kClients threads for `seconds`; returns calls per second.
template <typename Fn>
double Run(int seconds, Fn fn) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> calls{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < kClients; ++c)
    threads.emplace_back([&, c] {
      int64_t i = 0;
      while (!stop.load(std::memory_order_relaxed)) fn(c, i++);
      calls += i;
    });
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(calls.load()) / elapsed;
}

Figures Measure(std::vector<JobEngine*> nodes, int seconds) {
  Figures f;
  const Caller caller{"BENCH", true};
  std::atomic<int64_t> failed{0};
  std::vector<std::vector<JobKey>> keys(kClients);
  f.schedules_per_s = Run(seconds, [&](int c, int64_t) {
    auto r = nodes[c % nodes.size()]->Schedule(caller, {.template_name = "ZBENCH_NOOP", .text = "bench", .job_user = "BENCH"});
    if (!r.ok()) ++failed;
    else if (keys[c].size() < 64) keys[c].push_back(r->job.key);
  });
  f.status_per_s = Run(seconds, [&](int c, int64_t i) {
    const auto& mine = keys[c];
    if (mine.empty()) return;
    auto s = nodes[c % nodes.size()]->GetStatus(caller, mine[static_cast<size_t>(i) % mine.size()]);
    if (!s.ok()) ++failed;
  });
  f.failed = failed;
  return f;
}

void Print(const char* what, const Figures& f) {
  std::printf("%-34s JobSchedule %8.0f /s   JobStatusGet %9.0f /s   failed %lld\n", what, f.schedules_per_s,
              f.status_per_s, static_cast<long long>(f.failed));
  std::fflush(stdout);
}

EngineOptions Options(bool sole, const std::string& node) {
  EngineOptions o;
  o.workers = kWorkers;
  o.node_id = node;
  o.cache_reads = sole;
  o.take_over_at_start = sole;
  return o;
}

int Main(int seconds) {
  core::SystemClock clock;
  PosixProcessRunner runner;
  AnyUser users;
  {
    const auto dir = std::filesystem::temp_directory_path() / ("cw_jobs_bench_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir / "db.sqlite").string()});
    if (!db.ok()) return std::fprintf(stderr, "sqlite: %s\n", db.error().text.c_str()), 1;
    auto engine = JobEngine::Open(**db, clock, runner, users, Templates(), Options(true, "sqlite"));
    if (!engine.ok()) return std::fprintf(stderr, "engine: %s\n", engine.error().text.c_str()), 1;
    Print("SQLite, one node (read cache)", Measure({engine->get()}, seconds));
    engine->reset();
    db->reset();
    std::filesystem::remove_all(dir);
  }
  auto cluster = testing::PgCluster::Start();
  if (!cluster.ok()) return std::fprintf(stderr, "postgres: %s\n", cluster.error().text.c_str()), 1;
  for (int nodes : {1, 2}) {
    auto conninfo = (*cluster)->CreateDatabase("jobs_bench_" + std::to_string(nodes));
    if (!conninfo.ok()) return std::fprintf(stderr, "postgres: %s\n", conninfo.error().text.c_str()), 1;
    std::vector<std::unique_ptr<store::Database>> dbs;
    std::vector<std::unique_ptr<JobEngine>> engines;
    std::vector<JobEngine*> raw;
    for (int n = 0; n < nodes; ++n) {
      // Every node's pool holds its share of the clients plus its workers and dispatcher.
      auto db = store::postgres::PostgresDatabase::Open({.conninfo = *conninfo, .pool_size = kClients / nodes + 16});
      if (!db.ok()) return std::fprintf(stderr, "postgres: %s\n", db.error().text.c_str()), 1;
      dbs.push_back(std::move(db).value());
      auto engine = JobEngine::Open(*dbs.back(), clock, runner, users, Templates(),
                                    Options(false, "node-" + std::to_string(n + 1)));
      if (!engine.ok()) return std::fprintf(stderr, "engine: %s\n", engine.error().text.c_str()), 1;
      engines.push_back(std::move(engine).value());
      raw.push_back(engines.back().get());
    }
    Print(nodes == 1 ? "PostgreSQL, one node" : "PostgreSQL, two nodes (same totals)", Measure(raw, seconds));
    engines.clear();
    dbs.clear();
  }
  return 0;
}

}  // namespace
}  // namespace causeway::jobs

int main(int argc, char** argv) { return causeway::jobs::Main(argc > 1 ? std::atoi(argv[1]) : 10); }
