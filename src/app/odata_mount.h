// Mounts an OData engine on the router: turns the parsed SAP path into the engine's
// RoutedRequest (absolute service root for ids and xml:base) and renders gate failures
// (403 for a missing arrangement) as Gateway error bodies in the format the client asked for.
#pragma once

#include <memory>
#include <string>

#include "http/router.h"
#include "odata/engine.h"

namespace causeway::app {

http::ODataEndpoint MountOData(std::shared_ptr<const odata::Engine> engine, std::string public_host,
                               const core::Clock& clock);

}  // namespace causeway::app
