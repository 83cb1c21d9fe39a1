#include "services/case_exchange/layout.h"

#include "core/ascii.h"

namespace causeway::services::case_exchange {

Layout Layout::Parse(std::string_view text) {
  Layout l;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = core::Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (!item.empty()) l.names_.emplace(item);
  }
  l.all_ = l.names_.empty();
  for (const std::string& name : l.names_)
    if (size_t dot = name.find('.'); dot != std::string::npos)
      l.related_[name.substr(0, dot)].insert(name.substr(dot + 1));
  return l;
}

bool Layout::Has(std::string_view property) const { return all_ || names_.count(property) > 0; }

bool Layout::HasRelated(std::string_view relation, std::string_view field) const {
  if (all_ || names_.count(relation)) return true;
  auto it = related_.find(relation);
  return it != related_.end() && it->second.count(field) > 0;
}

}  // namespace causeway::services::case_exchange
