#include "exchange/outbox_store.h"

#include <algorithm>

namespace causeway::exchange::outbox_store {
namespace {

using store::Row;
using store::Tx;
using store::Value;

Value I(int64_t v) { return Value(v); }
Value S(std::string_view v) { return Value(std::string(v)); }
Value OptI(std::optional<int64_t> v) { return v ? Value(*v) : Value(); }
Value OptS(const std::optional<std::string>& v) { return v ? Value(*v) : Value(); }

std::string StateText(MessageState s) { return std::string(MessageStateName(s)); }

constexpr std::string_view kUnfinished = "WHERE state IN ('pending', 'in_flight', 'failed')";

// A head may go once its dependency (if any) is delivered, skipped or gone.
std::string DependencyReady(std::string_view table) {
  const std::string t(table);
  return "(" + t + ".depends_on_id IS NULL OR NOT EXISTS (SELECT 1 FROM outbox_messages d WHERE d.id = " + t +
         ".depends_on_id AND d.state <> 'delivered' AND d.state <> 'skipped'))";
}

// Plain statements only: an IN (subquery) or RETURNING makes SQLite build an ephemeral table
// per execution, which costs more than the claim itself.
const std::string& ClaimCandidatesSql() {
  static const std::string sql =
      "SELECT m.id FROM outbox_messages m WHERE m.head = 1 AND m.state = 'pending' AND m.destination = ? AND "
      "m.not_before_ms <= ? AND " +
      DependencyReady("m") + " ORDER BY m.not_before_ms LIMIT ?";
  return sql;
}

constexpr std::string_view kClaimSet =
    "UPDATE outbox_messages SET state = 'in_flight', lease_owner = ?, lease_expires_ms = ?, attempts = attempts + 1, "
    "first_attempt_ms = COALESCE(first_attempt_ms, ?), last_attempt_ms = ?";

const std::string& ClaimUpdateSql() {
  static const std::string sql = std::string(kClaimSet) +
                                 " WHERE id = ? AND head = 1 AND state = 'pending' AND destination = ? AND "
                                 "not_before_ms <= ? AND " +
                                 DependencyReady("outbox_messages");
  return sql;
}

// The key's next message becomes its head and is claimed in one statement (a delivered head
// hands its slot on): one index update less than passing the head, then claiming.
const std::string& ClaimNextSql() {
  static const std::string sql = std::string(kClaimSet) +
                                 ", head = 1 WHERE id = ? AND state = 'pending' AND destination = ? AND "
                                 "not_before_ms <= ? AND " +
                                 DependencyReady("outbox_messages");
  return sql;
}

constexpr std::string_view kClaimedSql =
    "SELECT id, destination, kind, ordering_key, object_key, payload, idempotency_key, seq, creates, attempts, "
    "budget_base, first_attempt_ms, last_delay_ms, maybe_received, depends_on_id, depends_on_object "
    "FROM outbox_messages WHERE id = ?";

const std::string& ProbeSql() {
  static const std::string sql =
      "SELECT 1 FROM outbox_messages m WHERE m.head = 1 AND m.state = 'pending' AND m.destination = ? AND "
      "m.not_before_ms <= ? AND " +
      DependencyReady("m") + " LIMIT 1";
  return sql;
}

constexpr std::string_view kRecordColumns =
    "id, destination, kind, ordering_key, object_key, seq, state, head, creates, idempotency_key, depends_on_id, "
    "depends_on_object, coalesced, created_ms, not_before_ms, attempts, last_attempt_ms, finished_ms, maybe_received, "
    "lease_owner, lease_expires_ms, result, last_error, LENGTH(payload), last_status, last_latency_us, last_outcome, "
    "last_answer_head";

MessageRecord ReadRecord(const Row& r) {
  MessageRecord m;
  m.id = r.Int(0);
  m.destination = r.String(1);
  m.kind = r.String(2);
  m.ordering_key = r.String(3);
  m.object_key = r.String(4);
  m.seq = r.Int(5);
  m.state = ParseMessageState(r.Text(6)).value_or(MessageState::kPending);
  m.head = r.Int(7) != 0;
  m.creates = r.Int(8) != 0;
  m.idempotency_key = r.String(9);
  m.depends_on.message = r.OptInt(10).value_or(0);
  if (!r.IsNull(11)) m.depends_on.created_object = r.String(11);
  m.coalesced = static_cast<int>(r.Int(12));
  m.created = core::FromUnixMillis(r.Int(13));
  m.not_before = core::FromUnixMillis(r.Int(14));
  m.attempts = static_cast<int>(r.Int(15));
  if (!r.IsNull(16)) m.last_attempt = core::FromUnixMillis(r.Int(16));
  if (!r.IsNull(17)) m.finished = core::FromUnixMillis(r.Int(17));
  m.maybe_received = r.Int(18) != 0;
  if (!r.IsNull(19)) m.lease_owner = r.String(19);
  if (!r.IsNull(20)) m.lease_expires = core::FromUnixMillis(r.Int(20));
  if (!r.IsNull(21)) m.result = r.String(21);
  m.last_error = r.String(22);
  m.payload_length = static_cast<size_t>(r.Int(23));
  return m;
}

// The message's last attempt, when it succeeded: it has no row in outbox_attempts.
std::optional<AttemptRecord> InlineSuccess(const Row& r, const MessageRecord& m) {
  if (r.Text(26) != "success" || !m.last_attempt) return std::nullopt;
  AttemptRecord a;
  a.attempt = m.attempts;
  a.started = *m.last_attempt;
  a.latency = std::chrono::microseconds(r.Int(25));
  a.status = static_cast<int>(r.Int(24));
  a.outcome = "success";
  a.answer_head = r.String(27);
  return a;
}

core::Error Conflict(MessageId id, std::string_view state, std::string_view action) {
  return core::MakeError(core::Code::kConflict, "CAUSEWAY/EXCHANGE", "021",
                         "Message &1 is &2; only a failed message can be &3",
                         {std::to_string(id), std::string(state), std::string(action)});
}

// The state of a message, or nullopt when there is none.
Result<std::optional<std::string>> StateOf(Tx& tx, MessageId id) {
  std::optional<std::string> state;
  CW_RETURN_IF_ERROR(tx.Query("SELECT state FROM outbox_messages WHERE id = ?", {I(id)},
                              [&](const Row& r) { state = r.String(0); }));
  return state;
}

// Serializes the transactions that decide or move a key's head (0201_outbox_key_locks.sql). On
// SQLite the single writer does that already; the upsert is cheap there.
Status LockKey(Tx& tx, std::string_view destination, std::string_view ordering_key) {
  return tx.Exec(
      "INSERT INTO outbox_key_locks (destination, ordering_key) VALUES (?, ?) "
      "ON CONFLICT (destination, ordering_key) DO UPDATE SET ordering_key = excluded.ordering_key",
      {S(destination), S(ordering_key)});
}

// Passes the head of a key to the first message after `seq` (all of which are pending).
Status PassHead(Tx& tx, std::string_view destination, std::string_view ordering_key, int64_t seq) {
  CW_RETURN_IF_ERROR(LockKey(tx, destination, ordering_key));
  std::optional<MessageId> id;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT id FROM outbox_messages WHERE destination = ? AND ordering_key = ? AND seq > ? ORDER BY seq LIMIT 1",
      {S(destination), S(ordering_key), I(seq)}, [&](const Row& r) { id = r.Int(0); }));
  if (id) CW_RETURN_IF_ERROR(tx.Exec("UPDATE outbox_messages SET head = 1 WHERE id = ?", {I(*id)}));
  return Status::Ok();
}

Status LoadDependency(Tx& tx, ClaimedMessage& c, std::optional<int64_t> depends_on_id,
                      std::optional<std::string> depends_on_object) {
  if (!depends_on_id && !depends_on_object) return Status::Ok();
  DependencyResult dep;
  dep.message = depends_on_id.value_or(0);
  dep.object_key = depends_on_object.value_or("");
  if (depends_on_id) {
    CW_RETURN_IF_ERROR(tx.Query("SELECT state, result FROM outbox_messages WHERE id = ?", {I(*depends_on_id)},
                                [&](const Row& r) {
                                  dep.state = ParseMessageState(r.Text(0));
                                  if (dep.state == MessageState::kDelivered && !r.IsNull(1)) dep.result = r.String(1);
                                }));
  }
  // A pruned create (or none in the outbox) leaves its result with the object.
  if (!dep.result && !dep.state && depends_on_object) {
    CW_RETURN_IF_ERROR(tx.Query("SELECT result FROM outbox_objects WHERE destination = ? AND object_key = ?",
                                {S(c.destination), S(*depends_on_object)},
                                [&](const Row& r) { dep.result = r.String(0); }));
  }
  c.dependency = std::move(dep);
  return Status::Ok();
}

}  // namespace

core::Error NotFound(MessageId id) {
  core::Error e = core::MakeError(core::Code::kNotFound, "CAUSEWAY/EXCHANGE", "020", "No outbox message &1",
                                  {std::to_string(id)});
  e.target = "id";
  return e;
}

Result<Inserted> Insert(Tx& tx, const NewMessage& n) {
  const Message& m = *n.message;
  // First: what this insert reads of its key below must include every committed hand-off.
  CW_RETURN_IF_ERROR(LockKey(tx, m.destination, m.ordering_key));
  int64_t folded = 0;
  std::optional<int64_t> folded_head_seq;
  if (m.coalesce_with_pending) {
    // Never attempted, and no other message names it as its dependency.
    static constexpr std::string_view kFoldable =
        "WHERE destination = ? AND ordering_key = ? AND object_key = ? AND kind = ? AND state = 'pending' "
        "AND attempts = 0 AND coalescing = 1 "
        "AND NOT EXISTS (SELECT 1 FROM outbox_messages d WHERE d.depends_on_id = outbox_messages.id)";
    // What was folded is what the DELETE removed, not what a read before it saw: on PostgreSQL
    // another node may claim the key's pending head in between (Claim does not lock the key);
    // the DELETE then waits for that claim and skips the row, which is in flight now. Passing the
    // head on from a message that is still in flight would put two of the key's messages in
    // flight at once, and the receiver could apply an older state after a newer one.
    static const std::string kDelete =
        "DELETE FROM outbox_messages " + std::string(kFoldable) + " RETURNING seq, head, coalesced";
    // A plain look first: most enqueues fold nothing, and RETURNING costs SQLite an ephemeral
    // table per execution.
    static const std::string kAny = "SELECT 1 FROM outbox_messages " + std::string(kFoldable) + " LIMIT 1";
    bool any = false;
    CW_RETURN_IF_ERROR(tx.Query(kAny, {S(m.destination), S(m.ordering_key), S(m.object_key), S(m.kind)},
                                [&](const Row&) { any = true; }));
    if (any)
      CW_RETURN_IF_ERROR(
          tx.Query(kDelete, {S(m.destination), S(m.ordering_key), S(m.object_key), S(m.kind)}, [&](const Row& r) {
            folded += 1 + r.Int(2);
            if (r.Int(1) == 1 && (!folded_head_seq || r.Int(0) < *folded_head_seq)) folded_head_seq = r.Int(0);
          }));
  }

  std::optional<int64_t> depends_on_id;
  if (m.depends_on.message != 0) depends_on_id = m.depends_on.message;
  std::optional<std::string> depends_on_object;
  if (!m.depends_on.created_object.empty()) {
    depends_on_object = m.depends_on.created_object;
    if (!depends_on_id) {
      CW_RETURN_IF_ERROR(tx.Query(
          "SELECT id FROM outbox_messages WHERE destination = ? AND object_key = ? AND creates = 1 "
          "ORDER BY id DESC LIMIT 1",
          {S(m.destination), S(m.depends_on.created_object)}, [&](const Row& r) { depends_on_id = r.Int(0); }));
    }
  }

  // The key's last message says both the next seq and whether the key is idle.
  int64_t seq = 1;
  bool head = true;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT seq, state FROM outbox_messages WHERE destination = ? AND ordering_key = ? ORDER BY seq DESC LIMIT 1",
      {S(m.destination), S(m.ordering_key)}, [&](const Row& r) {
        seq = r.Int(0) + 1;
        head = r.Text(1) == "delivered" || r.Text(1) == "skipped";
      }));

  std::string idempotency_key = m.idempotency_key.empty() ? "causeway-outbox-" + std::to_string(n.id) : m.idempotency_key;
  const bool claim = head && !n.claim_owner.empty() && !depends_on_id && !depends_on_object;
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO outbox_messages (id, destination, kind, ordering_key, seq, object_key, creates, payload, "
      "idempotency_key, depends_on_id, depends_on_object, state, head, coalescing, coalesced, created_ms, not_before_ms, "
      "attempts, budget_base, first_attempt_ms, last_attempt_ms, last_delay_ms, maybe_received, lease_owner, "
      "lease_expires_ms, finished_ms, result, last_error, last_status, last_latency_us, last_outcome, last_answer_head) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, 0, ?, ?, NULL, NULL, '', 0, 0, '', '')",
      {I(n.id), S(m.destination), S(m.kind), S(m.ordering_key), I(seq), S(m.object_key), I(n.creates ? 1 : 0),
       S(m.payload), S(idempotency_key), OptI(depends_on_id), OptS(depends_on_object),
       S(claim ? "in_flight" : "pending"), I(head ? 1 : 0), I(m.coalesce_with_pending ? 1 : 0), I(folded),
       I(n.now_ms), I(n.now_ms), I(claim ? 1 : 0), claim ? I(n.now_ms) : Value(), claim ? I(n.now_ms) : Value(),
       claim ? S(n.claim_owner) : Value(), claim ? I(n.lease_expires_ms) : Value()}));
  // A folded head hands its place to the first message after it (possibly this one).
  if (folded_head_seq) CW_RETURN_IF_ERROR(PassHead(tx, m.destination, m.ordering_key, *folded_head_seq));
  return Inserted{.seq = seq, .claimed = claim};
}

Result<std::vector<ClaimedMessage>> Claim(Tx& tx, const ClaimRequest& q) {
  // Candidates, then each one claimed if it is still a ready head: the UPDATE re-checks the
  // conditions on the row it locks (PostgreSQL re-evaluates them after waiting for another
  // node's claim), so a row two nodes chose is claimed by one; the other gets changed = 0.
  // A claim decided before a pause may run after it: the paused flag is committed before the
  // loop learns of it, so the store's flag is the one a claim must respect.
  bool paused = false;
  CW_RETURN_IF_ERROR(tx.Query("SELECT 1 FROM outbox_destination_state WHERE destination = ? AND paused = 1",
                              {S(q.destination)}, [&](const Row&) { paused = true; }));
  if (paused) return std::vector<ClaimedMessage>{};
  std::vector<MessageId> candidates;
  if (q.next_of_key != 0) {
    candidates.push_back(q.next_of_key);
  } else {
    CW_RETURN_IF_ERROR(tx.Query(ClaimCandidatesSql(), {S(q.destination), I(q.now_ms), I(q.limit)},
                                [&](const Row& r) { candidates.push_back(r.Int(0)); }));
  }
  std::vector<ClaimedMessage> out;
  for (MessageId id : candidates) {
    int64_t changed = 0;
    CW_RETURN_IF_ERROR(tx.Exec(q.next_of_key != 0 ? ClaimNextSql() : ClaimUpdateSql(),
                               {S(q.owner), I(q.lease_expires_ms), I(q.now_ms), I(q.now_ms), I(id), S(q.destination),
                                I(q.now_ms)},
                               &changed));
    if (changed == 0) continue;
    ClaimedMessage c;
    std::optional<int64_t> depends_on_id;
    std::optional<std::string> depends_on_object;
    CW_RETURN_IF_ERROR(tx.Query(kClaimedSql, {I(id)}, [&](const Row& r) {
      c.id = r.Int(0);
      c.destination = r.String(1);
      c.kind = r.String(2);
      c.ordering_key = r.String(3);
      c.object_key = r.String(4);
      c.payload = r.String(5);
      c.idempotency_key = r.String(6);
      c.seq = r.Int(7);
      c.creates = r.Int(8) != 0;
      c.attempts = static_cast<int>(r.Int(9));
      c.budget_base = static_cast<int>(r.Int(10));
      c.first_attempt_ms = r.OptInt(11).value_or(q.now_ms);
      c.last_delay_ms = r.Int(12);
      c.maybe_received = r.Int(13) != 0;
      depends_on_id = r.OptInt(14);
      if (!r.IsNull(15)) depends_on_object = r.String(15);
    }));
    CW_RETURN_IF_ERROR(LoadDependency(tx, c, depends_on_id, depends_on_object));
    out.push_back(std::move(c));
  }
  return out;
}

Result<ReadyProbe> ProbeReady(Tx& tx, std::string_view destination, int64_t now_ms) {
  ReadyProbe p;
  CW_RETURN_IF_ERROR(tx.Query(ProbeSql(), {S(destination), I(now_ms)}, [&](const Row&) { p.ready = true; }));
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT MIN(not_before_ms) FROM outbox_messages WHERE head = 1 AND state = 'pending' AND destination = ? "
      "AND not_before_ms > ?",
      {S(destination), I(now_ms)}, [&](const Row& r) { p.next_due_ms = r.OptInt(0); }));
  return p;
}

Result<RecordOutcome> Record(Tx& tx, const RecordRequest& q) {
  RecordOutcome out;
  const bool delivered = q.state == MessageState::kDelivered;
  const bool finished = q.state != MessageState::kPending;
  int64_t changed = 0;
  const AttemptRow& a = q.attempt;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE outbox_messages SET state = ?, head = ?, not_before_ms = ?, last_delay_ms = ?, maybe_received = ?, "
      "lease_owner = NULL, lease_expires_ms = NULL, finished_ms = ?, result = ?, last_error = ?, last_status = ?, "
      "last_latency_us = ?, last_outcome = ?, last_answer_head = ? "
      "WHERE id = ? AND state = 'in_flight' AND lease_owner = ?",
      {S(StateText(q.state)), I(delivered ? 0 : 1), I(q.not_before_ms), I(q.last_delay_ms), I(q.maybe_received ? 1 : 0),
       finished ? I(q.now_ms) : Value(), OptS(q.result), S(q.last_error), I(a.status), I(a.latency_us), S(a.outcome),
       S(a.answer_head), I(q.id), S(q.owner)},
      &changed));
  if (changed == 0) return out;
  out.recorded = true;
  if (a.outcome != "success") {
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO outbox_attempts (message_id, attempt, started_ms, latency_us, status, outcome, error, answer_head) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {I(q.id), I(a.attempt), I(a.started_ms), I(a.latency_us), I(a.status), S(a.outcome), S(a.error),
         S(a.answer_head)}));
  }
  if (!delivered) return out;
  if (q.creates && !q.object_key.empty()) {
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO outbox_objects (destination, object_key, result, message_id, updated_ms) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (destination, object_key) DO UPDATE SET result = excluded.result, "
        "message_id = excluded.message_id, updated_ms = excluded.updated_ms",
        {S(q.destination), S(q.object_key), S(q.result.value_or("")), I(q.id), I(q.now_ms)}));
  }
  out.key_moved = true;
  // An enqueue of this key that read it busy has committed before this point, or reads it idle.
  CW_RETURN_IF_ERROR(LockKey(tx, q.destination, q.ordering_key));
  std::optional<MessageId> next;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT id FROM outbox_messages WHERE destination = ? AND ordering_key = ? AND seq > ? ORDER BY seq LIMIT 1",
      {S(q.destination), S(q.ordering_key), I(q.seq)}, [&](const Row& r) { next = r.Int(0); }));
  if (!next) return out;
  if (q.may_advance) {
    CW_ASSIGN_OR_RETURN(auto claimed, Claim(tx, ClaimRequest{.destination = q.destination,
                                                             .owner = q.owner,
                                                             .now_ms = q.now_ms,
                                                             .lease_expires_ms = q.lease_expires_ms,
                                                             .limit = 1,
                                                             .next_of_key = *next}));
    if (!claimed.empty()) {
      out.next = std::move(claimed.front());
      return out;
    }
  }
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE outbox_messages SET head = 1 WHERE id = ?", {I(*next)}));
  return out;
}

Result<int> Reclaim(Tx& tx, std::string_view own_owner, std::string_view self, int64_t now_ms) {
  static constexpr std::string_view kText = "the process ended before the answer was recorded";
  const bool at_start = !own_owner.empty();
  const std::string where = at_start ? "WHERE state = 'in_flight' AND (lease_owner = ? OR lease_expires_ms <= ?)"
                                     : "WHERE state = 'in_flight' AND lease_expires_ms <= ? AND lease_owner <> ?";
  std::vector<Value> where_params = at_start ? std::vector<Value>{S(own_owner), I(now_ms)}
                                             : std::vector<Value>{I(now_ms), S(self)};
  std::vector<Value> p1 = {S(kText)};
  p1.insert(p1.end(), where_params.begin(), where_params.end());
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO outbox_attempts (message_id, attempt, started_ms, latency_us, status, outcome, error, answer_head) "
      "SELECT id, attempts, COALESCE(last_attempt_ms, created_ms), 0, 0, 'interrupted', ?, '' FROM outbox_messages " +
          where,
      p1));
  std::vector<Value> p2 = {I(now_ms), S(kText)};
  p2.insert(p2.end(), where_params.begin(), where_params.end());
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE outbox_messages SET state = 'pending', lease_owner = NULL, lease_expires_ms = NULL, maybe_received = 1, "
      "not_before_ms = ?, last_error = ? " +
          where,
      p2, &changed));
  return static_cast<int>(changed);
}

Result<bool> HasExpiredLeases(Tx& tx, std::string_view self, int64_t now_ms) {
  bool found = false;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT 1 FROM outbox_messages WHERE state = 'in_flight' AND lease_expires_ms <= ? AND lease_owner <> ? LIMIT 1",
      {I(now_ms), S(self)}, [&](const Row&) { found = true; }));
  return found;
}

Result<int> Prune(Tx& tx, int64_t cutoff_ms, int limit) {
  std::vector<MessageId> ids;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT m.id FROM outbox_messages m WHERE (m.state = 'delivered' OR m.state = 'skipped') AND m.finished_ms < ? "
      "AND NOT EXISTS (SELECT 1 FROM outbox_messages d WHERE d.depends_on_id = m.id AND d.state <> 'delivered' "
      "AND d.state <> 'skipped') ORDER BY m.finished_ms LIMIT ?",
      {I(cutoff_ms), I(limit)}, [&](const Row& r) { ids.push_back(r.Int(0)); }));
  if (ids.empty()) return 0;
  MessageId max_id = 0;
  for (MessageId id : ids) {
    CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM outbox_attempts WHERE message_id = ?", {I(id)}));
    CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM outbox_messages WHERE id = ?", {I(id)}));
    max_id = std::max(max_id, id);
  }
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE outbox_counters SET value = ? WHERE name = 'max_pruned_id' AND value < ?",
                             {I(max_id), I(max_id)}));
  CW_RETURN_IF_ERROR(tx.Exec(
      "DELETE FROM outbox_key_locks WHERE NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.destination = "
      "outbox_key_locks.destination AND m.ordering_key = outbox_key_locks.ordering_key)"));
  return static_cast<int>(ids.size());
}

Status Retry(Tx& tx, MessageId id, int64_t now_ms) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE outbox_messages SET state = 'pending', not_before_ms = ?, budget_base = attempts, first_attempt_ms = NULL, "
      "last_delay_ms = 0, finished_ms = NULL WHERE id = ? AND state = 'failed'",
      {I(now_ms), I(id)}, &changed));
  if (changed == 1) return Status::Ok();
  CW_ASSIGN_OR_RETURN(auto state, StateOf(tx, id));
  if (!state) return NotFound(id);
  return Conflict(id, *state, "retried");
}

Status Skip(Tx& tx, MessageId id, int64_t now_ms) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE outbox_messages SET state = 'skipped', head = 0, finished_ms = ? WHERE id = ? AND state = 'failed'",
      {I(now_ms), I(id)}, &changed));
  if (changed != 1) {
    CW_ASSIGN_OR_RETURN(auto state, StateOf(tx, id));
    if (!state) return NotFound(id);
    return Conflict(id, *state, "skipped");
  }
  std::string destination, ordering_key;
  int64_t seq = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT destination, ordering_key, seq FROM outbox_messages WHERE id = ?", {I(id)},
                              [&](const Row& r) {
                                destination = r.String(0);
                                ordering_key = r.String(1);
                                seq = r.Int(2);
                              }));
  return PassHead(tx, destination, ordering_key, seq);
}

Status SetPaused(Tx& tx, std::string_view destination, bool paused, int64_t now_ms) {
  return tx.Exec(
      "INSERT INTO outbox_destination_state (destination, paused, changed_ms) VALUES (?, ?, ?) "
      "ON CONFLICT (destination) DO UPDATE SET paused = excluded.paused, changed_ms = excluded.changed_ms",
      {S(destination), I(paused ? 1 : 0), I(now_ms)});
}

Result<std::set<std::string>> LoadPaused(Tx& tx) {
  std::set<std::string> paused;
  CW_RETURN_IF_ERROR(tx.Query("SELECT destination FROM outbox_destination_state WHERE paused = 1", {},
                              [&](const Row& r) { paused.insert(r.String(0)); }));
  return paused;
}

Result<MessageId> ReserveIds(Tx& tx, int64_t count) {
  std::optional<int64_t> end;
  CW_RETURN_IF_ERROR(tx.Query("UPDATE outbox_counters SET value = value + ? WHERE name = 'next_id' RETURNING value",
                              {I(count)}, [&](const Row& r) { end = r.Int(0); }));
  if (!end) {
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/EXCHANGE", "015",
                           "The outbox id counter is missing (migration 0202 not applied)");
  }
  return *end - count;
}

Result<MessagePage> List(Tx& tx, const MessageFilter& f) {
  std::string sql = "SELECT " + std::string(kRecordColumns) + " FROM outbox_messages WHERE id > ?";
  std::vector<Value> params = {I(f.after)};
  if (!f.destination.empty()) {
    sql += " AND destination = ?";
    params.push_back(S(f.destination));
  }
  if (!f.ordering_key.empty()) {
    sql += " AND ordering_key = ?";
    params.push_back(S(f.ordering_key));
  }
  if (f.state) {
    sql += " AND state = ?";
    params.push_back(S(StateText(*f.state)));
  }
  sql += " ORDER BY id LIMIT ?";
  const int limit = std::clamp(f.limit, 1, 1000);
  params.push_back(I(limit + 1));
  MessagePage page;
  CW_RETURN_IF_ERROR(tx.Query(sql, params, [&](const Row& r) { page.messages.push_back(ReadRecord(r)); }));
  if (static_cast<int>(page.messages.size()) > limit) {
    page.messages.pop_back();
    page.next_after = page.messages.back().id;
  }
  return page;
}

Result<MessageDetail> Get(Tx& tx, MessageId id) {
  std::optional<MessageDetail> d;
  std::optional<AttemptRecord> success;
  CW_RETURN_IF_ERROR(tx.Query("SELECT " + std::string(kRecordColumns) + ", payload FROM outbox_messages WHERE id = ?",
                              {I(id)}, [&](const Row& r) {
                                d.emplace();
                                d->message = ReadRecord(r);
                                d->message.payload = r.String(28);
                                success = InlineSuccess(r, d->message);
                              }));
  if (!d) return NotFound(id);
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT attempt, started_ms, latency_us, status, outcome, error, answer_head FROM outbox_attempts "
      "WHERE message_id = ? ORDER BY attempt",
      {I(id)}, [&](const Row& r) {
        AttemptRecord a;
        a.attempt = static_cast<int>(r.Int(0));
        a.started = core::FromUnixMillis(r.Int(1));
        a.latency = std::chrono::microseconds(r.Int(2));
        a.status = static_cast<int>(r.Int(3));
        a.outcome = r.String(4);
        a.error = r.String(5);
        a.answer_head = r.String(6);
        d->attempts.push_back(std::move(a));
      }));
  if (success) d->attempts.push_back(std::move(*success));
  return std::move(*d);
}

Result<std::vector<DepthRow>> Depths(Tx& tx) {
  // Counts and the smallest id come from the state index alone; ids grow with time, so the
  // smallest id is the oldest message.
  std::vector<DepthRow> rows;
  std::vector<MessageId> oldest;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT destination, state, COUNT(*), MIN(id) FROM outbox_messages " + std::string(kUnfinished) +
          " GROUP BY state, destination",
      {}, [&](const Row& r) {
        DepthRow d;
        d.destination = r.String(0);
        d.state = ParseMessageState(r.Text(1)).value_or(MessageState::kPending);
        d.count = r.Int(2);
        rows.push_back(std::move(d));
        oldest.push_back(r.Int(3));
      }));
  for (size_t i = 0; i < rows.size(); ++i) {
    CW_RETURN_IF_ERROR(tx.Query("SELECT created_ms FROM outbox_messages WHERE id = ?", {I(oldest[i])},
                                [&](const Row& r) { rows[i].oldest_created_ms = r.Int(0); }));
  }
  return rows;
}

Status ForgetObject(Tx& tx, std::string_view destination, std::string_view object_key) {
  return tx.Exec("DELETE FROM outbox_objects WHERE destination = ? AND object_key = ?",
                 {S(destination), S(object_key)});
}

Result<std::optional<std::string>> ObjectResult(Tx& tx, std::string_view destination, std::string_view object_key) {
  std::optional<std::string> out;
  CW_RETURN_IF_ERROR(tx.Query("SELECT result FROM outbox_objects WHERE destination = ? AND object_key = ?",
                              {S(destination), S(object_key)}, [&](const store::Row& r) { out = r.String(0); }));
  return out;
}

}  // namespace causeway::exchange::outbox_store
