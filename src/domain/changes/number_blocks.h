// Record numbers (change ids, comment and reference ids) handed out from blocks that a node
// takes from the store in one write, so that nodes sharing a store never hand out the same
// number and a request needs no write of its own to draw one. Numbers a node took but did not
// use before it stopped are skipped, never reused.
//
// Thread-safe. Next() waits for a durable write when its block is used up; on an I/O thread
// (core::NonBlockingScope) it answers core::WouldBlock() instead of waiting.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace causeway::changes {

class NumberBlocks {
 public:
  NumberBlocks(store::Database& db, std::string counter, int64_t block_size)
      : db_(db), counter_(std::move(counter)), block_size_(block_size) {}
  core::Result<int64_t> Next();

 private:
  store::Database& db_;
  const std::string counter_;
  const int64_t block_size_;
  std::mutex mu_;
  int64_t next_ = 0, end_ = 0;  // GUARDED_BY(mu_): [next_, end_) is ours
};

}  // namespace causeway::changes
