// libpq is opened (dlopen) the first time a PostgreSQL store is opened, not at start.
//
// Why: linking libpq loads LDAP, SASL, Kerberos and, through LDAP, GnuTLS with p11-kit, nettle
// and GMP at every start: about 3 MiB resident and their constructors' time, for the many
// installations on the embedded SQLite store. The back end calls libpq as usual:
// libpq_on_demand.cpp defines the functions it uses and forwards them to the library once
// loaded.
//
// When libpq cannot be opened (not installed), connecting fails with PQerrorMessage saying
// why, so opening the store fails with CAUSEWAY/STORE/005 and that reason.
#pragma once

#include "core/shared_library.h"

namespace causeway::store {

// libpq.so.5, opened by the first call that needs it.
const core::SharedLibrary& Libpq();

}  // namespace causeway::store
