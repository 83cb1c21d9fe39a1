// The writes of one business operation, committed together or not at all: one request, or
// one $batch change set. Domain operations stage their writes with Add() and say with
// OnCommit() what must happen once those writes are durable (publish to memory, wake workers,
// start a process), so that nothing is visible, sent or run for a change that never commits.
// Nothing reaches the store before Commit().
//
// The house opens one per modifying request or change set and makes it Current() on the
// thread that runs the operations (Scope); domain code stages into Current() when there is
// one, and otherwise commits a unit of its own (Transact). A unit that is destroyed without
// Commit() is rolled back: OnRollback() callbacks release what the operations reserved.
//
// Threading: a unit is filled on one thread. OnCommit/OnRollback callbacks run on whichever
// thread completes the commit (a store thread for CommitAsync): they must not block.
// Staged writes may be run more than once (a PostgreSQL serialization failure is retried), so
// they must depend only on what they captured and on what they read inside the transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/completion.h"
#include "store/database.h"

namespace causeway::store {

class UnitOfWork {
 public:
  explicit UnitOfWork(Database& db);
  ~UnitOfWork();
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  Database& database() const { return db_; }
  // Names this unit for its whole life, including a commit still in flight after the object
  // is gone (CommitAsync): unique in the process, never reused. Its address is not: the next
  // request on the same thread builds its unit where the last one stood while that one's
  // commit (and what it holds until then, such as record locks) is still pending.
  uint64_t id() const { return id_; }
  // Appends a write; writes run in the order added, in one transaction.
  void Add(TxFn write);
  // Runs after the writes are durable, in the order added, before the committer hears of it.
  void OnCommit(std::function<void()> fn);
  // Runs if the unit ends without a successful commit.
  void OnRollback(std::function<void()> fn);
  bool empty() const;

  // Writes everything in one transaction and waits until it is durable; then OnCommit (or, on
  // failure, OnRollback) has run. Must not be called from an I/O thread.
  Status Commit();
  // The same without waiting: the completion completes after OnCommit/OnRollback ran.
  std::shared_ptr<core::Completion> CommitAsync();
  // Drops everything staged and runs OnRollback. Idempotent; a no-op after a commit.
  void Rollback();

  // The unit operations on this thread stage into, or null.
  static UnitOfWork* Current();
  // Makes `unit` Current() for the scope's lifetime (scopes nest: a change set inside a
  // request).
  class Scope {
   public:
    explicit Scope(UnitOfWork& unit);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    UnitOfWork* previous_;
  };

 private:
  struct State;
  Database& db_;
  const uint64_t id_;
  std::shared_ptr<State> state_;
};

// Runs `stage` in the current unit of work if there is one for `db` (the caller's request or
// change set commits it), else in a unit of its own that is committed before Transact returns.
// If `stage` fails, its own unit writes nothing; in the current unit whatever it staged stays
// staged, so an operation stages only after its checks passed (and the house rolls back the
// whole unit when the request or change set fails).
Status Transact(Database& db, const std::function<Status(UnitOfWork&)>& stage);

}  // namespace causeway::store
