#include "store/postgres/pg_connection.h"

#include "core/storable_text.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "store/postgres/pg_statement.h"

namespace causeway::store::postgres {
namespace {

// Most statements queued before the session waits for their answers: bounds what a blocking
// libpq session may have in flight (a pipeline that fills both directions' buffers deadlocks).
constexpr size_t kMaxPending = 32;

std::string_view Field(const PGresult* r, int field) {
  const char* v = r ? PQresultErrorField(r, field) : nullptr;
  return v ? std::string_view(v) : std::string_view();
}

bool IsRetryable(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

// Server-side reasons that the session is gone (admin shutdown, crash, cannot connect now).
bool IsConnectionState(std::string_view sqlstate) { return sqlstate.starts_with("08") || sqlstate.starts_with("57P"); }

int64_t ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size()) return v;
  if (s == "t") return 1;  // boolean results ("x IS NULL") read as SQLite's 0/1
  if (s == "f") return 0;
  double d = 0;  // numeric results such as AVG(), read as SQLite would: truncated, and clamped
  std::from_chars(s.data(), s.data() + s.size(), d);  // to int64 (converting beyond it is undefined)
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return INT64_MAX;
  if (d <= -9.2e18) return INT64_MIN;
  return static_cast<int64_t>(d);
}

double ParseReal(std::string_view s) {
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc()) return d;
  if (s == "t") return 1;
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  return 0;
}

class PgRow final : public Row {
 public:
  explicit PgRow(const PGresult* r) : r_(r) {}
  void set_row(int row) { row_ = row; }
  int ColumnCount() const override { return PQnfields(r_); }
  bool IsNull(int col) const override { return PQgetisnull(r_, row_, col) != 0; }
  int64_t Int(int col) const override { return IsNull(col) ? 0 : ParseInt(Text(col)); }
  double Real(int col) const override { return IsNull(col) ? 0 : ParseReal(Text(col)); }
  std::string_view Text(int col) const override {
    return std::string_view(PQgetvalue(r_, row_, col), static_cast<size_t>(PQgetlength(r_, row_, col)));
  }

 private:
  const PGresult* r_;
  int row_ = 0;
};

void OnNotice(void*, const char* message) { spdlog::debug("postgres: {}", FirstLine(message)); }

}  // namespace

std::string FirstLine(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  s = s.substr(b);
  s = s.substr(0, s.find('\n'));
  std::string out;
  for (char c : s) {
    if (c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Redact(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;
  for (size_t p; (p = text.find(secret)) != std::string::npos;) text.replace(p, secret.size(), "***");
  return text;
}

void PgConnection::ResultDeleter::operator()(pg_result* r) const { PQclear(r); }

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const Options& o, uint64_t generation) {
  const std::string timeout = std::to_string(o.connect_timeout_s);
  // Ours first: settings in the caller's connection string, expanded from dbname, win; the
  // separate password last, so that it wins over one in the string.
  const char* keys[] = {"application_name", "connect_timeout", "dbname", "password", nullptr};
  const char* values[] = {o.application_name.c_str(), timeout.c_str(), o.conninfo.c_str(),
                          o.password.empty() ? nullptr : o.password.c_str(), nullptr};
  auto c = std::unique_ptr<PgConnection>(new PgConnection(generation));
  c->conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!c->conn_) return StoreError(core::Code::kUnavailable, "005", "out of memory opening a connection");
  if (PQstatus(c->conn_) != CONNECTION_OK)
    return StoreError(core::Code::kUnavailable, "005", FirstLine(PQerrorMessage(c->conn_)));
  PQsetNoticeProcessor(c->conn_, OnNotice, nullptr);
  std::string setup = "SET statement_timeout = " + std::to_string(std::max(0, o.statement_timeout_ms)) +
                      "; SELECT current_setting('synchronous_commit')";
  ResultPtr r(PQexec(c->conn_, setup.c_str()));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return c->Fail(r.get(), "session set-up");
  if (std::string_view(PQgetvalue(r.get(), 0, 0)) == "off") {
    ResultPtr s(PQexec(c->conn_, "SET synchronous_commit = on"));
    if (PQresultStatus(s.get()) != PGRES_COMMAND_OK) return c->Fail(s.get(), "session set-up");
  }
  return c;
}

bool PgConnection::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

std::string PgConnection::LastError() const {
  std::string m = FirstLine(PQerrorMessage(conn_));
  return m.empty() ? "connection lost" : m;
}

bool PgConnection::Alive() {
  // A terminated backend sends its last words and closes the socket while the session sits in
  // the pool: the first read takes the message, the second finds the end of the stream.
  for (int i = 0; i < 2 && !Broken(); ++i)
    if (PQconsumeInput(conn_) == 0) break;
  return !Broken();
}

core::Error PgConnection::Fail(const pg_result* r, std::string_view what) {
  std::string_view sqlstate = Field(r, PG_DIAG_SQLSTATE);
  std::string_view primary = Field(r, PG_DIAG_MESSAGE_PRIMARY);
  std::string text = std::string(what) + ": " + (primary.empty() ? FirstLine(PQerrorMessage(conn_)) : std::string(primary));
  if (!sqlstate.empty()) text += " (SQLSTATE " + std::string(sqlstate) + ")";
  core::Error e;
  if (IsRetryable(sqlstate)) {
    retry_requested_ = true;
    e = StoreError(core::Code::kUnavailable, "007", std::move(text));
  } else if (Broken() || IsConnectionState(sqlstate)) {
    e = StoreError(core::Code::kUnavailable, "005", std::move(text));
  } else if (sqlstate.starts_with("23")) {  // integrity constraints, as SQLite's SQLITE_CONSTRAINT
    e = StoreError(core::Code::kConflict, "001", std::move(text));
  } else if (sqlstate == "57014") {
    e = StoreError(core::Code::kUnavailable, "010", std::move(text));
  } else if (sqlstate == "25P02") {
    e = StoreError(core::Code::kInternal, "011", std::move(text));
  } else {
    e = StoreError(core::Code::kInternal, "001", std::move(text));
  }
  spdlog::debug("postgres: {}", e.text);
  return e;
}

Status PgConnection::Begin(const char* begin, bool pipelined) {
  retry_requested_ = false;
  commit_in_doubt_ = false;
  failed_.reset();
  pending_.clear();
  notices_.clear();
  if (!pipelined) {
    ResultPtr r(PQexec(conn_, begin));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Fail(r.get(), "begin");
    return Status::Ok();
  }
  if (PQenterPipelineMode(conn_) != 1) return Fail(nullptr, "begin");
  pipelined_ = true;
  if (PQsendQueryParams(conn_, begin, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) return Fail(nullptr, "begin");
  pending_.push_back({"begin", {}});
  return Status::Ok();
}

Status PgConnection::Exec(std::string_view sql, std::span<const Value> params, int64_t* changed) {
  CW_ASSIGN_OR_RETURN(ResultPtr r, Run(sql, params, /*need_result=*/changed != nullptr));
  if (changed) {
    std::string_view n = PQcmdTuples(r.get());
    *changed = 0;
    std::from_chars(n.data(), n.data() + n.size(), *changed);
  }
  return Status::Ok();
}

Status PgConnection::Query(std::string_view sql, std::span<const Value> params,
                           const std::function<void(const Row&)>& on_row) {
  CW_ASSIGN_OR_RETURN(ResultPtr r, Run(sql, params, /*need_result=*/true));
  PgRow row(r.get());
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
    row.set_row(i);
    on_row(row);
  }
  return Status::Ok();
}

Result<PgConnection::ResultPtr> PgConnection::Run(std::string_view sql, std::span<const Value> params,
                                                  bool need_result) {
  if (failed_) return *failed_;  // a pipelined statement already failed: the transaction is lost
  if (!pipelined_ && PQtransactionStatus(conn_) == PQTRANS_INERROR)
    return StoreError(core::Code::kInternal, "011", "the transaction was aborted by an earlier failed statement");
  const Prepared* prepared = nullptr;
  std::optional<PgStatement> fresh;
  if (auto it = cache_.find(sql); it != cache_.end()) {
    prepared = &it->second;
  } else {
    CW_ASSIGN_OR_RETURN(fresh, RewritePlaceholders(sql));
  }
  const int n = static_cast<int>(params.size());
  if ((prepared ? prepared->params : fresh->params) != n)
    return StoreError(core::Code::kInternal, "002", "parameter count mismatch");
  CW_RETURN_IF_ERROR(Bind(params));  // before anything is sent, so that a bad value costs nothing

  if (!prepared && fresh->cacheable) {
    std::string name = "cw" + std::to_string(++statements_);
    if (pipelined_) {
      if (PQsendPrepare(conn_, name.c_str(), fresh->sql.c_str(), n, nullptr) != 1) return Fail(nullptr, "prepare");
      pending_.push_back({"prepare", std::string(sql)});
    } else {
      ResultPtr r(PQprepare(conn_, name.c_str(), fresh->sql.c_str(), n, nullptr));
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Fail(r.get(), "prepare");
    }
    prepared = &cache_.emplace(std::string(sql), Prepared{std::move(name), n}).first->second;
  }

  if (pipelined_) {
    int sent = prepared ? PQsendQueryPrepared(conn_, prepared->name.c_str(), n, values_.data(), nullptr, nullptr, 0)
                        : PQsendQueryParams(conn_, fresh->sql.c_str(), n, nullptr, values_.data(), nullptr, nullptr, 0);
    if (sent != 1) return Fail(nullptr, "statement failed");
    pending_.push_back({"statement failed", {}});
    if (!need_result && prepared && pending_.size() < kMaxPending) return ResultPtr();
    return Flush();
  }
  ResultPtr r(prepared ? PQexecPrepared(conn_, prepared->name.c_str(), n, values_.data(), nullptr, nullptr, 0)
                       : PQexecParams(conn_, fresh->sql.c_str(), n, nullptr, values_.data(), nullptr, nullptr, 0));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Fail(r.get(), "statement failed");
  return r;
}

Result<PgConnection::ResultPtr> PgConnection::Flush() {
  ResultPtr last;
  std::optional<core::Error> error;
  std::optional<size_t> error_at, commit_at;
  for (size_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].commit) commit_at = i;
  if (PQpipelineSync(conn_) != 1) {
    error = Fail(nullptr, pending_.empty() ? "sync" : pending_.front().what);
  } else {
    for (size_t i = 0; i < pending_.size() && !Broken(); ++i) {
      ResultPtr r(PQgetResult(conn_));
      if (!r) break;  // the session broke: nothing more will be answered
      ExecStatusType st = PQresultStatus(r.get());
      if (st == PGRES_FATAL_ERROR && !error) {
        error = Fail(r.get(), pending_[i].what);
        error_at = i;
      }
      if (st == PGRES_FATAL_ERROR || st == PGRES_PIPELINE_ABORTED) {
        if (!pending_[i].uncache.empty()) cache_.erase(pending_[i].uncache);
      }
      while (ResultPtr(PQgetResult(conn_)) && !Broken()) {
      }  // the null that ends this statement's results
      last = std::move(r);
    }
    if (!Broken()) {
      ResultPtr sync(PQgetResult(conn_));
      if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC && !error) error = Fail(sync.get(), "sync");
    }
  }
  if (Broken() && !error) error = Fail(nullptr, "connection lost");
  // The server runs a pipeline in order: an answer to a statement before COMMIT means COMMIT
  // was skipped (after an error) or never reached (the session died there).
  if (commit_at && error) commit_in_doubt_ = Broken() && !(error_at && *error_at < *commit_at);
  pending_.clear();
  if (error) {
    if (!failed_) failed_ = *error;
    return *std::move(error);
  }
  return last;
}

Status PgConnection::Commit() {
  commit_in_doubt_ = false;
  if (!pipelined_) {
    ResultPtr r(PQexec(conn_, "COMMIT"));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      core::Error e = Fail(r.get(), "commit");
      commit_in_doubt_ = Broken();
      return e;
    }
    if (std::string_view(PQcmdStatus(r.get())) != "COMMIT")
      return StoreError(core::Code::kInternal, "011", "the transaction was rolled back by an earlier failed statement");
    return Status::Ok();
  }
  if (failed_) return *failed_;  // surfaced during the callback, which carried on regardless
  if (PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) return Fail(nullptr, "commit");
  pending_.push_back({"commit", {}, /*commit=*/true});
  auto r = Flush();
  if (!r.ok()) return std::move(r).error();
  if (PQexitPipelineMode(conn_) == 1) pipelined_ = false;
  return Status::Ok();
}

void PgConnection::Notify(std::string_view channel, std::string_view payload) {
  for (const auto& [c, p] : notices_)
    if (c == channel && p == payload) return;
  notices_.emplace_back(channel, payload);
}

Status PgConnection::SendNotices() {
  if (notices_.empty()) return Status::Ok();
  std::string sql = "BEGIN; SET LOCAL synchronous_commit = off; SELECT ";
  for (size_t i = 0; i < notices_.size(); ++i) {
    char* channel = PQescapeLiteral(conn_, notices_[i].first.data(), notices_[i].first.size());
    char* payload = PQescapeLiteral(conn_, notices_[i].second.data(), notices_[i].second.size());
    if (channel == nullptr || payload == nullptr) {
      PQfreemem(channel);
      PQfreemem(payload);
      return Fail(nullptr, "notify");
    }
    if (i > 0) sql += ", ";
    sql += "pg_notify(";
    sql += channel;
    sql += ", ";
    sql += payload;
    sql += ")";
    PQfreemem(channel);
    PQfreemem(payload);
  }
  sql += "; COMMIT";
  notices_.clear();
  ResultPtr r(PQexec(conn_, sql.c_str()));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    core::Error e = Fail(r.get(), "notify");
    if (!Broken() && PQtransactionStatus(conn_) != PQTRANS_IDLE) ResultPtr(PQexec(conn_, "ROLLBACK"));
    return e;
  }
  return Status::Ok();
}

bool PgConnection::Reset() {
  if (Broken()) return false;
  if (pipelined_) {
    if (!pending_.empty()) (void)Flush();
    if (Broken() || PQexitPipelineMode(conn_) != 1) return false;
    pipelined_ = false;
  }
  failed_.reset();
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) ResultPtr(PQexec(conn_, "ROLLBACK"));
  return !Broken() && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Status PgConnection::Bind(std::span<const Value> params) {
  texts_.resize(params.size());
  values_.resize(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (std::holds_alternative<std::monostate>(v)) {
      values_[i] = nullptr;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // PostgreSQL refuses NUL and ill-formed UTF-8; every back end binds the same storable text.
      if (core::IsStorableText(*s)) {
        values_[i] = s->c_str();
      } else {
        texts_[i] = core::StorableText(*s);
        values_[i] = texts_[i].c_str();
      }
    } else {
      char buf[32];
      std::to_chars_result res = std::holds_alternative<int64_t>(v)
                                     ? std::to_chars(buf, buf + sizeof buf, std::get<int64_t>(v))
                                     : std::to_chars(buf, buf + sizeof buf, std::get<double>(v));
      texts_[i].assign(buf, res.ptr);
      values_[i] = texts_[i].c_str();
    }
  }
  return Status::Ok();
}

}  // namespace causeway::store::postgres
