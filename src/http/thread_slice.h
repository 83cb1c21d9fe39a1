// Asks the kernel for a short time slice for the calling thread (Linux EEVDF custom slices,
// kernel 6.12 and later).
//
// I/O threads answer small requests and then wait again. On a machine whose cores are also busy
// with other work (on loopback: the client itself), a woken I/O thread with the default slice
// waits behind whole slices of the others; a short slice gives it an earlier deadline, so it runs
// sooner after its socket becomes ready. Measured with wrk on two shared cores: JobStatusGet p99
// 5.1 → 4.2 ms at unchanged throughput (bench/README.md). Policy and nice value stay as they were.
#pragma once

#include <chrono>

namespace causeway::http {

// Returns false (and changes nothing) where the kernel has no such setting or refuses it. A
// zero or negative slice leaves the kernel's default. The kernel clamps to 0.1–100 ms.
bool RequestThreadSlice(std::chrono::microseconds slice);

// The calling thread's requested slice, or zero when it has none or the kernel does not say.
std::chrono::microseconds ThreadSlice();

}  // namespace causeway::http
