// XML → domain: a TaskActivityBundleMaintainRequest_sync_V1 (or the CheckMaintain query, same
// type) payload to an activities::BundleRequest. Children are unqualified as the WSDL declares
// them; element and attribute names are those of ManageTaskActivityIn.wsdl. The engine has
// validated the payload against the schema before; the mapping still never fails on other
// input (the fuzzer feeds it anything): unknown content is skipped, missing content stays unset.
#pragma once

#include "domain/activities/task.h"
#include "soap/xml_view.h"

namespace causeway::services::task_activity {

activities::BundleRequest MapBundleRequest(soap::XmlElement payload);

}  // namespace causeway::services::task_activity
