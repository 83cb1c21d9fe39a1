// A repeatable child list of an A2X node, changed as a request transmits it (spec A.3.1, A.3.2
// and the seed's rules), for any node type:
//   - each transmitted node is identified by its key; its action code is checked against the
//     list as the nodes before it in the same request left it: 01 on an existing node, and
//     02/03/06 on a missing one, are errors (so a node created twice, or deleted twice, in one
//     request is an error the second time, as the seed's "already exists" / "does not exist"
//     says); 04 creates or changes; 05 removes if present and is silent otherwise;
//   - a node that cannot be identified (its key is incomplete) is appended by 01/04, ignored
//     by 05, and an error for 02/03/06;
//   - list complete (LCTI true): stored nodes that were not transmitted are deleted (an empty
//     transmitted list clears the list); false: they stay as they are.
// Changing a node (02, 04 on an existing one) merges: `apply` receives the node as it stands and
// keeps every optional leaf the request did not transmit. Deleting one (03, 05) asks `may_remove`
// first, where a node type checks what it must (a text's change state). Linear in the list and
// the transmitted nodes for string keys (hashed); other key types are compared one by one.
// Thread-safe for distinct lists.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "soap/a2x.h"

namespace causeway::soap::a2x {

// One transmitted child node: C has members `action` (Action) and whatever `apply` reads.
template <typename C>
struct ListChange {
  bool complete = false;  // its ListCompleteTransmissionIndicator
  std::vector<C> items;
};

enum class ListError {
  kExists,        // 01 for a node that exists
  kMissing,       // 02, 03 or 06 for a node that does not exist
  kUnidentified,  // 02, 03 or 06 for a node whose key is incomplete
};

template <typename T, typename C, typename Key>
struct ListRules {
  // The key of a transmitted node; nullopt when the request does not identify it completely.
  std::function<std::optional<Key>(const C&)> change_key;
  std::function<Key(const T&)> key;
  // The node after the change: `stored` is null for a new node. nullopt means the node has an
  // error the callback already reported (it is left as it was).
  std::function<std::optional<T>(const T* stored, const C&)> apply;
  std::function<void(const C&, ListError)> error;
  // Whether 03/05 may delete `stored` (null: always). False means the callback reported why and
  // the node stays as it is.
  std::function<bool(const T& stored, const C&)> may_remove;
};

namespace list_detail {

// Positions of keyed entries: hashed for string keys; otherwise found by comparing (a key type
// may define equality only, e.g. "same UUID, or same ID and type").
template <typename Key>
class Positions {
 public:
  template <typename KeyAt>
  std::optional<size_t> Find(const Key& k, size_t size, const KeyAt& key_at) const {
    if constexpr (std::is_same_v<Key, std::string>) {
      auto it = map_.find(k);
      if (it != map_.end()) return it->second;
    } else {
      for (size_t i = 0; i < size; ++i)
        if (const Key* at = key_at(i); at && *at == k) return i;
    }
    return std::nullopt;
  }
  void Add(const Key& k, size_t pos) {
    if constexpr (std::is_same_v<Key, std::string>) map_.emplace(k, pos);  // the first wins, as a scan finds it
  }

 private:
  std::unordered_map<std::string, size_t> map_;  // used for string keys only
};

}  // namespace list_detail

// Changes `list` as `change` transmits it. A list the request does not transmit (not complete,
// no nodes) is left as it is: nothing is copied and no rule runs.
template <typename T, typename C, typename Key>
void ApplyListChange(std::vector<T>& list, const ListChange<C>& change, const ListRules<T, C, Key>& rules) {
  if (!change.complete && change.items.empty()) return;
  // The list as the request found it (kept in place unless complete) …
  std::vector<T> stored = std::move(list);
  list.clear();
  std::vector<Key> stored_keys;
  stored_keys.reserve(stored.size());
  list_detail::Positions<Key> in_stored;
  for (size_t i = 0; i < stored.size(); ++i) {
    stored_keys.push_back(rules.key(stored[i]));
    in_stored.Add(stored_keys.back(), i);
  }
  // … and every node the request transmitted, in its order, with what it made of the node
  // (nullopt: deleted). A stored node's entry carries the stored key and is tied to its stored
  // place (`touched_of_stored`), so that it is put back there and never found again through a
  // request key that equals more than one stored node (ReferenceKey: "same UUID, or same ID and
  // type"); an unidentified node has no key and is never found again.
  std::vector<std::pair<std::optional<Key>, std::optional<T>>> touched;
  std::vector<std::optional<size_t>> touched_of_stored(stored.size());
  list_detail::Positions<Key> in_touched;
  auto find_stored = [&](const Key& k) {
    return in_stored.Find(k, stored.size(), [&](size_t i) { return &stored_keys[i]; });
  };
  auto find_touched = [&](const Key& k) {
    return in_touched.Find(k, touched.size(),
                           [&](size_t i) { return touched[i].first ? &*touched[i].first : nullptr; });
  };
  for (const C& c : change.items) {
    const std::optional<Key> k = rules.change_key(c);
    if (!k) {
      if (c.action == Action::kCreate || c.action == Action::kSave) {
        if (auto node = rules.apply(nullptr, c)) touched.emplace_back(std::nullopt, std::move(node));
      } else if (c.action != Action::kRemove) {
        rules.error(c, ListError::kUnidentified);
      }
      continue;
    }
    std::optional<size_t> t = find_touched(*k);
    std::optional<size_t> s;
    if (!t) {
      s = find_stored(*k);
      if (s) t = touched_of_stored[*s];
    }
    // The node as the nodes before this one left it.
    const T* current = t ? (touched[*t].second ? &*touched[*t].second : nullptr) : s ? &stored[*s] : nullptr;
    auto set = [&](std::optional<T> node) {
      if (t) {
        touched[*t].second = std::move(node);
        return;
      }
      const Key& key = s ? stored_keys[*s] : *k;
      in_touched.Add(key, touched.size());
      if (s) touched_of_stored[*s] = touched.size();
      touched.emplace_back(key, std::move(node));
    };
    switch (c.action) {
      case Action::kCreate:
        if (current) {
          rules.error(c, ListError::kExists);
        } else if (auto node = rules.apply(nullptr, c)) {
          set(std::move(node));
        }
        break;
      case Action::kUpdate:
      case Action::kSave:
        if (!current && c.action == Action::kUpdate) {
          rules.error(c, ListError::kMissing);
        } else if (auto node = rules.apply(current, c)) {
          set(std::move(node));
        }
        break;
      case Action::kNoAction:
        if (!current)
          rules.error(c, ListError::kMissing);
        else if (!t)
          set(*current);  // kept in a complete list
        break;
      case Action::kDelete:
      case Action::kRemove:
        if (!current) {
          if (c.action == Action::kDelete) rules.error(c, ListError::kMissing);
        } else if (!rules.may_remove || rules.may_remove(*current, c)) {
          set(std::nullopt);
        } else if (!t) {
          set(*current);  // refused: it stays, also in a complete list
        }
        break;
    }
  }
  // Not complete: the stored nodes in place (changed or deleted as transmitted), then the new
  // ones in the order they came. Complete: only what the request transmitted, in its order.
  std::vector<bool> placed(touched.size(), false);
  if (!change.complete) {
    for (size_t i = 0; i < stored.size(); ++i) {
      if (const std::optional<size_t> t = touched_of_stored[i]) {
        placed[*t] = true;
        if (touched[*t].second) list.push_back(std::move(*touched[*t].second));
      } else {
        list.push_back(std::move(stored[i]));
      }
    }
  }
  for (size_t i = 0; i < touched.size(); ++i)
    if (!placed[i] && touched[i].second) list.push_back(std::move(*touched[i].second));
}

}  // namespace causeway::soap::a2x
