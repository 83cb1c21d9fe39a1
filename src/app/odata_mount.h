// Mounts an OData engine on the router: turns the parsed SAP path into the engine's
// RoutedRequest (absolute service root for ids and xml:base) and renders gate failures
// (403 for a missing arrangement) through the engine's own Gateway error writer.
#pragma once

#include <memory>
#include <string>

#include "http/router.h"
#include "odata/engine.h"

namespace causeway::app {

http::ODataEndpoint MountOData(std::shared_ptr<const odata::Engine> engine, std::string public_host);

}  // namespace causeway::app
