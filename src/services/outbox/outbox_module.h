// The outbound exchange as a module: the durable outbox (exchange/outbox.h) over the one HTTP
// client, configured by [outbox] (docs/configuration.md), with every module's message kinds;
// its control routes /_causeway/outbox/… (messages, attempts, retry, skip, destinations,
// pause, resume) and its Prometheus metrics. Listed first in app/modules.cpp: later modules
// find it in ModuleContext::outbox; it stops last.
#pragma once

#include <memory>

#include "services/common/module.h"

namespace causeway::services::outbox {

std::unique_ptr<Module> MakeOutboxModule();

}  // namespace causeway::services::outbox
