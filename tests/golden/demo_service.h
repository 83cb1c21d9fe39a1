// A small domain-free demo service used by the OData golden tests (products and categories).
#pragma once

#include <memory>

#include "odata/service.h"

namespace causeway::odata::demo {

std::shared_ptr<Service> MakeDemoService();

}  // namespace causeway::odata::demo
