// Durable writes per second through store::Database, SQLite vs PostgreSQL on this machine.
//
//   build/release/bench/store/store_bench [--benchmark_filter=…]
//
// Each benchmark runs 64 writer threads, each calling Database::Write in a loop; a Write returns
// only once its commit is durable (SQLite: WAL + fsync, group commit; PostgreSQL: COMMIT
// answered with synchronous_commit on, fsync on). "row" is one single-row INSERT per Write;
// "job" is what JobRepository::InsertJob does for a one-step job with two log lines (four
// INSERTs in one transaction). PostgreSQL runs on a throw-away local cluster
// (tests/support/pg_cluster.h), reached over its Unix socket, with pools of 16 and 64.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>

#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"
#include "tests/support/pg_cluster.h"

namespace causeway::store {
namespace {

constexpr int kWriters = 64;
std::atomic<int64_t> g_next_key{0};

constexpr const char* kSchema[] = {
    "CREATE TABLE kv (k BIGINT PRIMARY KEY, v TEXT NOT NULL)",
    "CREATE TABLE jobs (job_name TEXT NOT NULL, run_count TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, "
    "created_at BIGINT NOT NULL, planned_start BIGINT NOT NULL, started_at BIGINT, parameters TEXT NOT NULL, "
    "PRIMARY KEY (job_name, run_count))",
    "CREATE TABLE job_steps (job_name TEXT NOT NULL, run_count TEXT NOT NULL, step_nr INTEGER NOT NULL, "
    "definition TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (job_name, run_count, step_nr))",
    "CREATE TABLE job_log (job_name TEXT NOT NULL, run_count TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, "
    "text TEXT NOT NULL, PRIMARY KEY (job_name, run_count, seq))",
};

Status InsertRow(Tx& tx, int64_t key) {
  return tx.Exec("INSERT INTO kv (k, v) VALUES (?, ?)", {Value(key), Value("some value of a few dozen bytes......")});
}

Status InsertJob(Tx& tx, int64_t key) {
  const Value name("JOB_" + std::to_string(key)), count("0001");
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO jobs (job_name, run_count, text, status, created_at, planned_start, started_at, parameters) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {name, count, Value("Benchmark job"), Value("S"), Value(key), Value(key), Value(), Value("[{\"p\":\"v\"}]")}));
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO job_steps (job_name, run_count, step_nr, definition, status) VALUES (?, ?, ?, ?, ?)",
      {name, count, Value(int64_t{1}), Value("{\"report\":\"noop\"}"), Value("S")}));
  for (int64_t seq = 1; seq <= 2; ++seq)
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO job_log (job_name, run_count, seq, at, text) VALUES (?, ?, ?, ?, ?)",
                               {name, count, Value(seq), Value(key), Value("Job scheduled")}));
  return Status::Ok();
}

void RunWrites(benchmark::State& state, Database* db, Status (*write)(Tx&, int64_t)) {
  int64_t failed = 0;
  for (auto _ : state) {
    const int64_t key = ++g_next_key;
    if (!db->Write([&](Tx& tx) { return write(tx, key); }).ok()) ++failed;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failed"] = benchmark::Counter(static_cast<double>(failed), benchmark::Counter::kAvgThreadsRate);
}

Status CreateSchema(Database& db) {
  return db.Write([](Tx& tx) -> Status {
    for (const char* sql : kSchema) CW_RETURN_IF_ERROR(tx.Exec(sql));
    return Status::Ok();
  });
}

}  // namespace
}  // namespace causeway::store

int main(int argc, char** argv) {
  using namespace causeway;
  benchmark::Initialize(&argc, argv);
  std::vector<std::unique_ptr<store::Database>> dbs;

  auto dir = std::filesystem::temp_directory_path() / ("cw_store_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto sqlite = store::sqlite::SqliteDatabase::Open({.path = (dir / "bench.sqlite").string()});
  if (!sqlite.ok() || !store::CreateSchema(**sqlite).ok()) {
    std::cerr << "cannot open SQLite\n";
    return 1;
  }
  dbs.push_back(std::move(sqlite).value());

  auto cluster = testing::PgCluster::Start({.settings = {"max_connections=300"}});
  if (!cluster.ok()) {
    std::cerr << "cannot start PostgreSQL: " << cluster.error().text << "\n";
    return 1;
  }
  std::vector<std::pair<std::string, store::Database*>> targets = {{"sqlite", dbs[0].get()}};
  for (int pool : {16, 64}) {
    auto conninfo = (*cluster)->CreateDatabase("bench_pool" + std::to_string(pool));
    if (!conninfo.ok()) return 1;
    auto pg = store::postgres::PostgresDatabase::Open({.conninfo = *conninfo, .pool_size = pool});
    if (!pg.ok() || !store::CreateSchema(**pg).ok()) {
      std::cerr << "cannot open PostgreSQL\n";
      return 1;
    }
    dbs.push_back(std::move(pg).value());
    targets.emplace_back("postgres_pool" + std::to_string(pool), dbs.back().get());
  }

  for (auto& [name, db] : targets) {
    benchmark::RegisterBenchmark(("DurableWrite/row/" + name).c_str(), store::RunWrites, db, &store::InsertRow)
        ->Threads(store::kWriters)
        ->UseRealTime()
        ->MinTime(3.0);
    benchmark::RegisterBenchmark(("DurableWrite/job/" + name).c_str(), store::RunWrites, db, &store::InsertJob)
        ->Threads(store::kWriters)
        ->UseRealTime()
        ->MinTime(3.0);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  dbs.clear();
  std::filesystem::remove_all(dir);
  return 0;
}
