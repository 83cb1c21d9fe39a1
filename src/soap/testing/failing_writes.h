// Test support: a database whose writes all fail at commit while reads pass through to the
// real one (a disk that stopped), for what the engine answers when a commit fails.
#pragma once

#include <string>
#include <utility>

#include "store/database.h"

namespace causeway::soap::testing {

class FailingWrites final : public store::Database {
 public:
  explicit FailingWrites(store::Database& inner) : inner_(inner) {}
  void WriteAsync(store::TxFn, store::WriteDone done) override {
    done(store::StoreError(core::Code::kInternal, "006", "commit failed"));
  }
  store::Status Read(store::TxFn fn) override { return inner_.Read(std::move(fn)); }
  std::string Health() override { return "failing"; }
  std::string Kind() const override { return inner_.Kind(); }
  store::Dialect dialect() const override { return inner_.dialect(); }

 private:
  store::Database& inner_;
};

}  // namespace causeway::soap::testing
