// OData V2 URI literals (MS-ODATA §2.2.2): parsing with exact grammar and writing, plus the
// text forms of values used in Atom and JSON. Pure functions, no allocation beyond results.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "odata/edm.h"
#include "odata/value.h"

namespace causeway::odata {

// A literal as written, before it is bound to a declared type.
struct Literal {
  Value value;
  EdmType type = EdmType::kString;  // type implied by the spelling (1 → Int32, 1L → Int64, …)
  bool is_null = false;             // the keyword null (value is null, type meaningless)
};

// Parses one literal (already percent-decoded): null, true/false, '…' ('' escapes '),
// datetime'…', datetimeoffset'…', time'…', guid'…', X'…'/binary'…', numbers with optional
// L/M/d/f suffix (1 → Int32, or Int64 if it does not fit; 1.5 → Decimal; 1e3 → Double).
// nullopt if `text` is not exactly one literal.
std::optional<Literal> ParseLiteral(std::string_view text);

// Converts `lit` to a value of `type` (numeric widening allowed, e.g. Int32 → Int64/Decimal/
// Double; narrowing checked for range), applying `max_length` to strings and binaries. On
// failure returns a 400 Gateway error naming `name` (a property or parameter).
core::Result<Value> BindLiteral(const Literal& lit, EdmType type, std::optional<int> max_length, bool nullable,
                                std::string_view name);

// ParseLiteral + BindLiteral.
core::Result<Value> ParseTypedLiteral(std::string_view text, EdmType type, std::optional<int> max_length,
                                      bool nullable, std::string_view name);

// The URI literal for a value of `type` (not percent-encoded): 'It''s', 12L, 1.5M,
// datetime'2018-11-20T00:00:00', guid'…', time'PT13H20M00S', X'0A0B', null.
std::string FormatLiteral(const Value& v, EdmType type);
// Percent-encodes characters that may not appear raw in a path segment (keeps ' ( ) = , : ).
std::string EncodePathSegment(std::string_view s);
// Percent-encodes a query-string value (also encodes & = + #).
std::string EncodeQueryValue(std::string_view s);

// Atom/XML text of a non-null value (not XML-escaped): strings raw, DateTime
// "2018-11-20T00:00:00[.fff]", DateTimeOffset "…Z" / "…+01:00", Time "PT13H20M00S",
// Binary base64, doubles shortest round-trip.
std::string FormatAtomText(const Value& v, EdmType type);
// The same text without a copy where the value already holds it (strings, Decimal, Guid): the
// view points into `v`, or into `scratch` when the text had to be formatted. For the writers.
std::string_view AtomTextView(const Value& v, EdmType type, std::string& scratch);
// Parses the Atom text form back (for request bodies); 400 naming `name` on failure.
core::Result<Value> ParseAtomText(std::string_view text, EdmType type, std::string_view name);

// Helpers shared by writers and parsers.
std::string FormatDateTimeIso(int64_t ms, bool with_millis_if_nonzero = true);  // no zone
std::string FormatDuration(int64_t ms);                                           // PT13H20M00S
std::optional<int64_t> ParseDuration(std::string_view s);                         // PT..H..M..S
std::optional<int64_t> ParseDateTimeIso(std::string_view s, int* offset_minutes, bool* had_zone);
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);
std::string FormatDouble(double d);

// Canonical decimal text check: [+-]digits[.digits]; returns the normalised text.
std::optional<std::string> NormalizeDecimal(std::string_view s);

}  // namespace causeway::odata
