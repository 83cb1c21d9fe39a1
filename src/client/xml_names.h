// Namespace-agnostic element lookup for the Atom and Gateway XML bodies the client reads: real
// systems use different prefixes for the same namespaces, so elements are matched by local name.
#pragma once

#include <pugixml.hpp>

#include <string_view>

namespace causeway::client {

inline std::string_view LocalName(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

inline pugi::xml_node ChildByLocalName(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c : parent.children())
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  return {};
}

}  // namespace causeway::client
