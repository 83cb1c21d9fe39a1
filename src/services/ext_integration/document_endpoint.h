// The document downloads behind the links of a push (document_links.h), at
// /sap/bc/solman/SolmanDocuments/<client>?… and /sap/bc/contentserver/<client>?get&…. The
// endpoints are public for the security gate (guard.authenticate = false) and decide here:
//
//   signature missing or wrong (tampered)   → 403, whatever credentials come with it
//   valid, before its expiration            → 200 without credentials (as the external tool
//                                             fetches it: a plain GET of path and query)
//   valid, expired, no credentials          → 403 ("the link expired at …")
//   valid, expired, Basic credentials       → 200 if the user logs on (password, lockout) and may
//                                             call EXT_INTEGRATION_SRV (its arrangement) or the
//                                             control plane; 401 with the Basic challenge for a
//                                             failed logon; 403 for a user without either
//   the document was deleted meanwhile      → 404
// Credentials are checked here (UserDirectory::CheckPassword, which counts failed logons)
// because only an expired link needs them. 200 carries the stored content type, its length
// and Content-Disposition: attachment with the file name (plain and RFC 5987 forms).
#pragma once

#include "http/message.h"
#include "services/ext_integration/fb_runtime.h"

namespace causeway::services::ext_integration {

// GET and HEAD (the server drops the body of HEAD). Blocking (store read, password hash).
http::Response ServeDocument(FbRuntime& runtime, const http::Request& req);

}  // namespace causeway::services::ext_integration
