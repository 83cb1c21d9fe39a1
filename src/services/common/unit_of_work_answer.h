// Runs a request's handler inside a unit of work of its own (store/unit_of_work.h) and answers
// only once what it staged is durable, without a thread waiting for the disk meanwhile
// (http::Response::after). An error answer (status ≥ 400) rolls back whatever was staged.
#pragma once

#include <functional>

#include "http/message.h"
#include "store/unit_of_work.h"

namespace causeway::services {

http::Response AnswerAfterCommit(store::Database& db, const std::function<http::Response()>& handle);

// A $batch change set (or any group of operations) as one unit: `operations` stage into it;
// committed (and waited for) if they succeeded, rolled back otherwise.
core::Status RunInUnitOfWork(store::Database& db, const std::function<core::Status()>& operations);

}  // namespace causeway::services
