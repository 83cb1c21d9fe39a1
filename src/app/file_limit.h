// Open files against connections. Each connection is a file descriptor, and so is much else: the
// store's files and connections, logs, outbound connections, the I/O threads' event fds. Debian
// starts processes with a soft limit of 1,024 files while max_connections defaults to 4,096: past
// about a thousand clients accept() then fails with EMFILE, and so does everything else that
// opens a file. So `serve` raises the soft limit to the hard one, as nginx and Go programs do, and
// lowers max_connections to what the limit leaves room for (new connections beyond it are closed
// at once, counted in causeway_connections_rejected_total, while the rest keeps working).
#pragma once

#include <cstddef>
#include <cstdint>

namespace causeway::app {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the soft limit now in force.
uint64_t RaiseFileLimit();

// The connections that fit `file_limit` open files, with room for everything else (an eighth of
// the limit, at least 64): `max_connections` when it fits.
size_t ConnectionsWithinFileLimit(size_t max_connections, uint64_t file_limit);

}  // namespace causeway::app
