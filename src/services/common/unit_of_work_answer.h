// Runs a request's handler inside a unit of work of its own (store/unit_of_work.h) and answers
// only once what it staged is durable, without a thread waiting for the disk meanwhile
// (http::Response::after). An error answer (status ≥ 400) rolls back whatever was staged.
#pragma once

#include <functional>

#include "http/message.h"
#include "store/unit_of_work.h"

namespace causeway::services {

struct CommitPolicy {
  // Commit what was staged also when the answer is an error (status ≥ 400): for a protocol
  // that records its refusals (case exchange logs every incoming operation). Otherwise an error
  // answer rolls back.
  bool commit_refusals = false;
  // The answer when the commit fails; null: the endpoint's error renderer (http::Router).
  std::function<http::Response(const core::Error&)> on_failure;
};

// The server awaits the commit without a thread (Response::after): a worker waiting here
// instead was a thread blocked per request in flight, and its wake-up cost more CPU than the
// request's own work. A handler that answers ToWorkers (it would have waited on its I/O thread
// and runs again, parked or on a worker) never commits what it staged.
http::Response AnswerAfterCommit(store::Database& db, const std::function<http::Response()>& handle,
                                 CommitPolicy policy = {});

// A $batch change set (or any group of operations) as one unit: `operations` stage into it;
// committed (and waited for) if they succeeded, rolled back otherwise.
core::Status RunInUnitOfWork(store::Database& db, const std::function<core::Status()>& operations);

}  // namespace causeway::services
