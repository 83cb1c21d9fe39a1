// A small forward-only XML writer for SOAP responses: one line, no declaration, elements and
// attributes written exactly as given (prefixes included), text and attribute values escaped.
// Appends to one std::string, so a response is built without a DOM. Not thread-safe (one writer
// per response).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace causeway::soap {

class XmlWriter {
 public:
  explicit XmlWriter(size_t reserve = 1024) { out_.reserve(reserve); }

  // Starts `<name`; attributes may follow until the next Open/Text/Close/Leaf.
  XmlWriter& Open(std::string_view name);
  XmlWriter& Attr(std::string_view name, std::string_view value);
  XmlWriter& Text(std::string_view text);
  // Closes the innermost open element (as `<x/>` when it has no content).
  XmlWriter& Close();
  // <name>text</name>
  XmlWriter& Leaf(std::string_view name, std::string_view text);
  // Appends already well-formed markup (e.g. a stored response payload).
  XmlWriter& Raw(std::string_view markup);

  // The document so far; every opened element must be closed before the result is used.
  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }
  size_t depth() const { return open_.size(); }

 private:
  void EndStartTag();
  std::string out_;
  std::vector<std::string> open_;
  bool start_tag_open_ = false;
};

// Escapes &, <, > (and " in attribute values); characters not allowed in XML 1.0 are dropped.
void AppendEscaped(std::string& out, std::string_view text, bool attribute);

}  // namespace causeway::soap
