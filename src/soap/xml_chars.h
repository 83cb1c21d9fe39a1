// libxml2's strings (xmlChar*: NUL-terminated UTF-8 as unsigned char) seen as string views.
#pragma once

#include <string_view>

namespace causeway::soap {

// The text at `s`, or "" for a null pointer (libxml2's "absent").
inline std::string_view XmlChars(const unsigned char* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

}  // namespace causeway::soap
