// The control plane of the case exchange (users granted CAUSEWAY_CONTROL), JSON:
//   GET  /_causeway/cx/tenants                         {"tenants":[{"id","name","people","groups","systems"}]}
//   GET  /_causeway/cx/tenants/<t>                     people (no password hashes), groups, systems (no passwords)
//   PUT  /_causeway/cx/tenants/<t>                     {"name"}
//   PUT  /_causeway/cx/tenants/<t>/people/<id>         {"login","password"|"password_hash","first_name","last_name","email","upn","roles"}
//   PUT  /_causeway/cx/tenants/<t>/groups/<id>         {"name","external_system"}
//   PUT  /_causeway/cx/tenants/<t>/systems/<id>        {"description","authorized_user","url","user","password"}
//   GET  /_causeway/cx/workflows                       {"workflows":[…]}
//   PUT  /_causeway/cx/workflows/<type>                {"phases":[{"id","metaphase"}],"transitions":[{"from","to","requires","automatic"}]}
//   GET  /_causeway/cx/tenants/<t>/changes/<id>        the record, its comments, references and operations
//   GET  /_causeway/cx/tenants/<t>/changes/<id>/operations   {"outgoing":[…],"incoming":[…]}
// Changes are stored (and reach every node); a PUT answers the item as stored. A person's login
// another person of the tenant has (letters without case) is refused: 409 CAUSEWAY/CX/051. Every
// GET route answers HEAD too; other methods get 405 with `allow`. Errors:
// {"error":{"code","message"}} as the rest of the control plane.
#pragma once

#include "domain/changes/change_desk.h"
#include "http/endpoint.h"
#include "services/case_exchange/cx_config.h"

namespace causeway::services::case_exchange {

// `desk` and `options` must outlive the endpoint.
http::Endpoint ControlEndpoint(changes::ChangeDesk& desk, const Options& options);

}  // namespace causeway::services::case_exchange
