#include "http/content_coding.h"

#include <zlib.h>

#include <vector>

#include "core/ascii.h"

namespace causeway::http {
namespace {

enum class Coding { kGzip, kDeflate };

// RFC 9110's "deflate" is the zlib format (RFC 1950), but some clients send a raw deflate
// stream, as browsers and curl tolerate in responses: a zlib header is a CMF with method 8 whose
// two bytes are a multiple of 31.
bool LooksLikeZlib(std::string_view body) {
  if (body.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(body[0]);
  const auto flg = static_cast<unsigned char>(body[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

// `also_held`: bytes the caller keeps meanwhile (the original of stacked codings), for the budget.
std::optional<ContentCodingError> Undo(Coding coding, std::string& body, size_t max_bytes,
                                       const std::function<bool(size_t)>& may_hold, size_t also_held) {
  const std::string_view name = coding == Coding::kGzip ? "gzip" : "deflate";
  int window_bits = MAX_WBITS;
  if (coding == Coding::kGzip) window_bits += 16;
  else if (!LooksLikeZlib(body)) window_bits = -MAX_WBITS;
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return ContentCodingError{500, "Cannot decode the request body"};
  std::string out;
  auto grow = [&](size_t capacity) {
    if (may_hold && !may_hold(also_held + body.capacity() + capacity)) return false;
    out.reserve(capacity);
    return true;
  };
  if (!grow(std::min(max_bytes, body.size() * 4 + 64))) {
    inflateEnd(&zs);
    return ContentCodingError{503, "Server busy: too many request bodies in flight"};
  }
  zs.next_in = reinterpret_cast<Bytef*>(body.data());
  zs.avail_in = static_cast<uInt>(body.size());
  int rc = Z_OK;
  for (;;) {
    char chunk[16384];
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&zs);
      return ContentCodingError{413, "Request body too large"};
    }
    if (out.size() + produced > out.capacity() && !grow(std::min(max_bytes, 2 * (out.size() + produced)))) {
      inflateEnd(&zs);
      return ContentCodingError{503, "Server busy: too many request bodies in flight"};
    }
    out.append(chunk, produced);
    if (rc == Z_STREAM_END) {
      // gzip (RFC 1952 §2.2) allows several members one after another, as `cat a.gz b.gz` makes.
      if (coding == Coding::kGzip && zs.avail_in > 0) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (rc != Z_OK) break;  // Z_BUF_ERROR here: the input ended before the stream did
  }
  const bool whole = rc == Z_STREAM_END && zs.avail_in == 0;
  inflateEnd(&zs);
  if (!whole)
    return ContentCodingError{400, "Bad Request: the request body is not valid " + std::string(name) +
                                       " data, as its Content-Encoding says"};
  body = std::move(out);
  return std::nullopt;
}

}  // namespace

std::optional<ContentCodingError> DecodeContentCoding(std::string_view codings, std::string& body, size_t max_bytes,
                                                      const std::function<bool(size_t)>& may_hold) {
  std::vector<Coding> applied;
  while (!codings.empty()) {
    const size_t comma = codings.find(',');
    const std::string_view token = core::Trim(codings.substr(0, comma));
    codings.remove_prefix(comma == std::string_view::npos ? codings.size() : comma + 1);
    if (token.empty() || core::IEquals(token, "identity")) continue;
    if (core::IEquals(token, "gzip") || core::IEquals(token, "x-gzip")) applied.push_back(Coding::kGzip);
    else if (core::IEquals(token, "deflate")) applied.push_back(Coding::kDeflate);
    else
      return ContentCodingError{415, "Unsupported Media Type: Content-Encoding '" +
                                         std::string(token.substr(0, 40)) + "' (accepted: gzip, deflate)"};
  }
  if (applied.empty()) return std::nullopt;
  if (applied.size() == 1) return Undo(applied[0], body, max_bytes, may_hold, 0);
  // Stacked codings: undone on a copy, so that a refused body is left as it came.
  std::string work = body;
  for (auto it = applied.rbegin(); it != applied.rend(); ++it)
    if (auto error = Undo(*it, work, max_bytes, may_hold, body.capacity())) return error;
  body = std::move(work);
  return std::nullopt;
}

}  // namespace causeway::http
