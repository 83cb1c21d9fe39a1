#include "odata/select.h"

#include "odata/errors.h"

namespace causeway::odata {
namespace {

constexpr int kMaxSelectDepth = 10;  // as $expand

bool StartsWithSegment(std::string_view item, std::string_view name) {
  return item.size() > name.size() && item[name.size()] == '/' && item.substr(0, name.size()) == name;
}

}  // namespace

core::Status ValidateSelect(const Model& model, const EntityType& type, const std::vector<std::string>& select) {
  for (const std::string& item : select) {
    const EntityType* current = &type;
    std::string_view rest = item;
    for (int depth = 1;; ++depth) {
      if (depth > kMaxSelectDepth)
        return BadRequest("$select path '&1' is deeper than &2 levels", {item.substr(0, 200), std::to_string(kMaxSelectDepth)},
                          "$select");
      size_t slash = rest.find('/');
      std::string segment(rest.substr(0, slash));
      if (slash == std::string_view::npos) {
        if (segment == "*" || PropertyIndex(*current, segment) >= 0) break;
        bool nav = false;
        for (const auto& n : current->navigation) nav |= n.name == segment;
        if (nav) break;
        return BadRequest("Property '&1' in $select does not exist in type '&2'", {segment.substr(0, 200), current->name},
                          "$select");
      }
      auto target = model.FindNavigation(*current, segment);
      if (!target || target->target_type == nullptr)
        return BadRequest("Navigation property '&1' in $select does not exist in type '&2'",
                          {segment.substr(0, 200), current->name}, "$select");
      current = target->target_type;
      rest.remove_prefix(slash + 1);
    }
  }
  return core::Status::Ok();
}

bool IsSelected(const std::vector<std::string>& select, std::string_view name) {
  if (select.empty()) return true;
  for (const std::string& s : select)
    if (s == "*" || s == name || StartsWithSegment(s, name)) return true;
  return false;
}

std::vector<std::string> SelectBelow(const std::vector<std::string>& select, std::string_view nav) {
  std::vector<std::string> below;
  for (const std::string& s : select) {
    if (s == nav) return {};
    if (StartsWithSegment(s, nav)) below.push_back(s.substr(nav.size() + 1));
  }
  return below;
}

}  // namespace causeway::odata
