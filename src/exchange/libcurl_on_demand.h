// libcurl is opened (dlopen) the first time Causeway sends outbound HTTP, not at start.
//
// Why: linking libcurl loads some twenty more libraries at every start (GnuTLS, p11-kit and
// its module configuration, nettle, libssh2, librtmp, nghttp2, LDAP, Kerberos, …), about
// 3.5 MiB resident and their constructors' time, although many installations never send
// outbound HTTP (only the outbox, Focused Build's handover and case exchange do). The rest of
// Causeway calls libcurl as usual: libcurl_on_demand.cpp defines the functions it uses and
// forwards them to the library once loaded.
//
// When libcurl cannot be opened (not installed), every call fails the way libcurl reports a
// failure (curl_easy_init/curl_multi_init return null, the rest an error code), the first
// attempt logs why once, and outbound requests end with TransportError::kInternal.
#pragma once

#include "core/shared_library.h"

namespace causeway::exchange {

// libcurl.so.4, opened by the first call that needs it (a failure is logged once).
const core::SharedLibrary& Libcurl();

}  // namespace causeway::exchange
