#include "store/repeated_sql.h"

#include <stdexcept>

namespace causeway::store {

RepeatedSql::RepeatedSql(std::string_view head, std::string_view item, std::string_view separator,
                         std::string_view tail, size_t max)
    : texts_(max + 1) {
  std::string items;
  for (size_t n = 1; n <= max; ++n) {
    if (n > 1) items += separator;
    items += item;
    texts_[n].reserve(head.size() + items.size() + tail.size());
    texts_[n].append(head).append(items).append(tail);
  }
}

const std::string& RepeatedSql::operator()(size_t n) const {
  if (n == 0 || n >= texts_.size()) throw std::out_of_range("RepeatedSql: " + std::to_string(n) + " repetitions");
  return texts_[n];
}

}  // namespace causeway::store
