// The server side of the outbox's kill -9 test (outbox_crash_test.cpp): a small program that
// plays a domain writing items and their messages in one transaction, and delivers them.
//
//   outbox_crash_helper --db FILE --url URL --messages N --keys K [--batch B] [--concurrency C]
//
// Item n (1..N) is a row of crash_items and a message to POST /crash/K<n % K>/<n> with body
// "<n>", ordering key K<n % K>, idempotency key "item-<n>", committed together in units of B.
// On start it continues after the highest item committed (a kill may have cut the previous
// run short), prints "enqueued <n>" after each unit and "delivered" once every message is
// delivered, then exits 0. Exit 2: bad arguments, 3: the store or outbox failed, 4: not
// everything was delivered within 10 minutes.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "exchange/curl_http_client.h"
#include "exchange/outbox.h"
#include "store/sqlite/sqlite_database.h"

namespace {

using namespace causeway;

struct Args {
  std::string db, url;
  int messages = 0, keys = 0, batch = 50, concurrency = 8;
};

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    std::string value = argv[i + 1];
    if (name == "--db") a.db = value;
    else if (name == "--url") a.url = value;
    else if (name == "--messages") a.messages = std::atoi(value.c_str());
    else if (name == "--keys") a.keys = std::atoi(value.c_str());
    else if (name == "--batch") a.batch = std::atoi(value.c_str());
    else if (name == "--concurrency") a.concurrency = std::atoi(value.c_str());
    else return false;
  }
  return !a.db.empty() && !a.url.empty() && a.messages > 0 && a.keys > 0 && a.batch > 0 && a.concurrency > 0;
}

int Fail(const char* what, const core::Error& e) {
  std::fprintf(stderr, "outbox_crash_helper: %s: %s\n", what, e.text.c_str());
  return 3;
}

std::shared_ptr<const exchange::MessageKind> CrashKind() {
  return exchange::MakeKind(
      {.build = [](const exchange::OutgoingMessage& m) -> core::Result<exchange::OutboundRequest> {
        exchange::OutboundRequest r;
        r.method = "POST";
        r.path = "/crash/" + std::string(m.ordering_key) + "/" + std::string(m.payload);
        r.headers.Set("Content-Type", "text/plain");
        r.body = std::string(m.payload);
        return r;
      }});
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    std::fprintf(stderr, "usage: outbox_crash_helper --db FILE --url URL --messages N --keys K [--batch B]\n");
    return 2;
  }
  auto opened = store::sqlite::SqliteDatabase::Open({.path = args.db});
  if (!opened.ok()) return Fail("store", opened.error());
  std::unique_ptr<store::sqlite::SqliteDatabase> db = std::move(opened).value();
  core::Status schema = db->Write([](store::Tx& tx) {
    return tx.Exec("CREATE TABLE IF NOT EXISTS crash_items (n INTEGER PRIMARY KEY, message_id BIGINT NOT NULL)");
  });
  if (!schema.ok()) return Fail("schema", schema.error());

  core::SystemClock clock;
  exchange::CurlHttpClient http;
  exchange::OutboxOptions options;
  exchange::Destination d;
  d.name = "receiver";
  d.base_url = args.url;
  d.max_concurrent = args.concurrency;
  d.connect_timeout = std::chrono::seconds(2);
  d.total_timeout = std::chrono::seconds(5);
  d.retry.initial = std::chrono::milliseconds(20);
  d.retry.max_delay = std::chrono::milliseconds(500);
  d.retry.max_attempts = 0;
  options.destinations = {d};
  options.kinds["crash.op"] = CrashKind();
  options.stop_timeout = std::chrono::seconds(1);
  auto outbox = exchange::Outbox::Open(*db, clock, http, options);
  if (!outbox.ok()) return Fail("outbox", outbox.error());

  int64_t done = 0;
  core::Status read = db->Read([&](store::Tx& tx) {
    return tx.Query("SELECT COALESCE(MAX(n), 0) FROM crash_items", {}, [&](const store::Row& r) { done = r.Int(0); });
  });
  if (!read.ok()) return Fail("read", read.error());

  for (int64_t n = done + 1; n <= args.messages;) {
    store::UnitOfWork unit(*db);
    const int64_t end = std::min<int64_t>(n + args.batch - 1, args.messages);
    for (; n <= end; ++n) {
      std::string key = "K" + std::to_string(n % args.keys);
      auto id = (*outbox)->Enqueue(unit, {.destination = "receiver",
                                          .kind = "crash.op",
                                          .ordering_key = key,
                                          .object_key = "item-" + std::to_string(n),
                                          .payload = std::to_string(n),
                                          .idempotency_key = "item-" + std::to_string(n)});
      if (!id.ok()) return Fail("enqueue", id.error());
      unit.Add([n, id = *id](store::Tx& tx) {
        return tx.Exec("INSERT INTO crash_items (n, message_id) VALUES (?, ?)", {store::Value(n), store::Value(id)});
      });
    }
    core::Status committed = unit.Commit();
    if (!committed.ok()) return Fail("commit", committed.error());
    std::printf("enqueued %lld\n", static_cast<long long>(end));
    std::fflush(stdout);
  }

  bool delivered = (*outbox)->WaitUntil(
      [&] {
        auto depths = (*outbox)->Depths();
        if (!depths.ok()) return false;
        for (const auto& q : *depths)
          if (q.pending + q.in_flight + q.failed > 0) return false;
        return true;
      },
      std::chrono::minutes(10));
  (*outbox)->Stop();
  if (!delivered) return 4;
  std::printf("delivered\n");
  std::fflush(stdout);
  return 0;
}
