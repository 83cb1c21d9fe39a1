#include "store/unit_of_work.h"

#include <atomic>

namespace causeway::store {
namespace {

thread_local UnitOfWork* current_unit = nullptr;
std::atomic<uint64_t> next_unit_id{1};

}  // namespace

struct UnitOfWork::State {
  std::vector<TxFn> writes;
  std::vector<std::function<void()>> on_commit;
  std::vector<std::function<void()>> on_rollback;
  bool finished = false;  // committed or rolled back

  void Finish(const Status& s) {
    for (auto& fn : s.ok() ? on_commit : on_rollback) fn();
    on_commit.clear();
    on_rollback.clear();
  }
};

UnitOfWork::UnitOfWork(Database& db)
    : db_(db), id_(next_unit_id.fetch_add(1, std::memory_order_relaxed)), state_(std::make_shared<State>()) {}

UnitOfWork::~UnitOfWork() { Rollback(); }

void UnitOfWork::Add(TxFn write) { state_->writes.push_back(std::move(write)); }
void UnitOfWork::OnCommit(std::function<void()> fn) { state_->on_commit.push_back(std::move(fn)); }
void UnitOfWork::OnRollback(std::function<void()> fn) { state_->on_rollback.push_back(std::move(fn)); }
bool UnitOfWork::empty() const { return state_->writes.empty() && state_->on_commit.empty(); }

std::shared_ptr<core::Completion> UnitOfWork::CommitAsync() {
  auto done = std::make_shared<core::Completion>();
  if (state_->finished) {
    done->Complete(StoreError(core::Code::kInternal, "010", "unit of work already ended"));
    return done;
  }
  state_->finished = true;
  std::shared_ptr<State> state = std::move(state_);
  state_ = std::make_shared<State>();
  state_->finished = true;
  if (state->writes.empty()) {
    state->Finish(Status::Ok());
    done->Complete(Status::Ok());
    return done;
  }
  auto writes = std::make_shared<std::vector<TxFn>>(std::move(state->writes));
  db_.WriteAsync(
      [writes](Tx& tx) -> Status {
        for (auto& w : *writes) CW_RETURN_IF_ERROR(w(tx));
        return Status::Ok();
      },
      [state, done](Status s) {
        state->Finish(s);
        done->Complete(std::move(s));
      });
  return done;
}

Status UnitOfWork::Commit() { return CommitAsync()->Wait(); }

void UnitOfWork::Rollback() {
  if (state_->finished) return;
  state_->finished = true;
  state_->writes.clear();
  state_->Finish(StoreError(core::Code::kInternal, "011", "rolled back"));
}

UnitOfWork* UnitOfWork::Current() { return current_unit; }

UnitOfWork::Scope::Scope(UnitOfWork& unit) : previous_(current_unit) { current_unit = &unit; }
UnitOfWork::Scope::~Scope() { current_unit = previous_; }

Status Transact(Database& db, const std::function<Status(UnitOfWork&)>& stage) {
  if (UnitOfWork* current = UnitOfWork::Current(); current && &current->database() == &db) return stage(*current);
  UnitOfWork own(db);
  CW_RETURN_IF_ERROR(stage(own));
  return own.Commit();
}

}  // namespace causeway::store
