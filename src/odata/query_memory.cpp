#include "odata/query_memory.h"

#include <algorithm>
#include <charconv>

#include "odata/errors.h"
#include "odata/filter_eval.h"

namespace causeway::odata {

namespace {

// Filter, order and page over row indices; `take(i)` moves or copies row i into the result.
template <typename Take>
core::Result<EntityCollection> QueryIndices(const EntitySet& set, const EntityType& type,
                                            const std::vector<Entity>& rows, const QueryOptions& q, Take take) {
  EntityCollection out;
  std::vector<size_t> order;
  order.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (q.filter) {
      CW_ASSIGN_OR_RETURN(bool match, FilterMatches(*q.filter, type, rows[i]));
      if (!match) continue;
    }
    order.push_back(i);
  }
  if (!q.orderby.empty()) {
    std::vector<int> idx;
    for (const auto& o : q.orderby) {
      int i = PropertyIndex(type, o.property);
      if (i < 0) return BadRequest("Property '&1' in $orderby does not exist", {o.property}, "$orderby");
      idx.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      for (size_t k = 0; k < idx.size(); ++k) {
        size_t i = static_cast<size_t>(idx[k]);
        int c = CompareValues(rows[a].values[i], rows[b].values[i]);
        if (c != 0) return q.orderby[k].descending ? c > 0 : c < 0;
      }
      return false;
    });
  }
  const int64_t total = static_cast<int64_t>(order.size());
  if (q.inline_count || q.count_only) out.total_count = total;
  int64_t begin = 0;
  if (!q.skiptoken.empty()) {
    // Our skiptokens are row offsets into the filtered, sorted result.
    auto [p, ec] = std::from_chars(q.skiptoken.data(), q.skiptoken.data() + q.skiptoken.size(), begin);
    if (ec != std::errc() || p != q.skiptoken.data() + q.skiptoken.size() || begin < 0)
      return BadRequest("Invalid $skiptoken '&1'", {q.skiptoken.substr(0, 100)}, "$skiptoken");
  }
  // The token counts rows after $skip, so $top keeps limiting the whole result across pages
  // (the __next link repeats $skip and $top). Offsets past the end are an empty page: both are
  // clamped to the result before they are added, so that no sum of client numbers overflows.
  const int64_t base = std::min(q.skip.value_or(0), total);
  begin = std::min(begin, total) + base;
  int64_t end = total;
  if (q.top) end = std::min(end, base + *q.top);
  if (set.max_page_size > 0 && end - begin > set.max_page_size) {
    end = begin + set.max_page_size;
    out.next_skiptoken = std::to_string(end - base);
  }
  begin = std::min(begin, total);
  end = std::clamp(end, begin, total);
  out.entities.reserve(static_cast<size_t>(end - begin));
  for (int64_t i = begin; i < end; ++i) out.entities.push_back(take(order[static_cast<size_t>(i)]));
  return out;
}

}  // namespace

core::Result<EntityCollection> ApplyQueryInMemory(const EntitySet& set, const EntityType& type,
                                                  std::vector<Entity>&& rows, const QueryOptions& q) {
  return QueryIndices(set, type, rows, q, [&](size_t i) { return std::move(rows[i]); });
}

core::Result<EntityCollection> ApplyQueryInMemory(const EntitySet& set, const EntityType& type,
                                                  const std::vector<Entity>& rows, const QueryOptions& q) {
  return QueryIndices(set, type, rows, q, [&](size_t i) { return rows[i]; });
}

}  // namespace causeway::odata
