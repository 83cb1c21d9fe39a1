// Fuzzes the request-body decoder (Content-Encoding gzip/deflate) with hostile bodies, and checks
// its promises rather than only "does not crash": a decoded body never exceeds the limit, a
// refused body is left as it came, the budget is asked before every growth, and whatever zlib
// compressed comes back byte for byte.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/content_coding.h"

namespace {

constexpr std::string_view kCodings[] = {"gzip", "deflate", "x-gzip", "gzip, deflate", "deflate, gzip",
                                         "identity, gzip", "br", ""};

std::string Compress(std::string_view data, int window_bits) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const std::string_view codings = kCodings[data[0] % std::size(kCodings)];
  const size_t limit = static_cast<size_t>(data[1]) * 1024 + 1;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);

  // Hostile bytes, as they came.
  std::string body(rest);
  // The budget is asked with all the decoding holds: never less than what it reads.
  bool under = false;
  auto may_hold = [&](size_t held) {
    under |= held < rest.size();
    return held < 256 * 1024;
  };
  auto error = causeway::http::DecodeContentCoding(codings, body, limit, may_hold);
  if (under) std::abort();
  if (error) {
    if (error->status != 400 && error->status != 413 && error->status != 415 && error->status != 503) std::abort();
    if (body != rest) std::abort();
  } else if (!codings.empty() && body.size() > limit) {
    std::abort();  // every non-empty choice above names a coding that decodes (or is refused)
  }

  // The same bytes as plain text, compressed by zlib: they come back unchanged.
  for (int window_bits : {MAX_WBITS + 16, MAX_WBITS, -MAX_WBITS}) {
    std::string packed = Compress(rest, window_bits);
    auto failed = causeway::http::DecodeContentCoding(window_bits > MAX_WBITS ? "gzip" : "deflate", packed,
                                                      rest.size() + 1);
    if (failed || packed != rest) std::abort();
  }
  return 0;
}
