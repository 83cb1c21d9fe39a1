// `layout=Id,DisplayLabel,RequestedByPerson.FirstName`: the properties a read returns (names
// with a dot pick fields of related records). Empty: every property. Id is always returned.
// Immutable once parsed; safe to share between threads.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace causeway::services::case_exchange {

class Layout {
 public:
  static Layout Parse(std::string_view text);
  bool all() const { return all_; }
  bool Has(std::string_view property) const;
  // Fields of `relation` asked for ("RequestedByPerson.Email" → Email); all when the layout is
  // empty or names the relation itself.
  bool HasRelated(std::string_view relation, std::string_view field) const;

 private:
  bool all_ = true;
  std::set<std::string, std::less<>> names_;
  // "A.b" as A → {b}: looked up per field of every entity, so without building "A.b" each time.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> related_;
};

}  // namespace causeway::services::case_exchange
