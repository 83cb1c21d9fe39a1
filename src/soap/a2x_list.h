// A repeatable child list of an A2X node, changed as a request transmits it (spec A.3.1, A.3.2
// and the seed's rules), for any node type:
//   - each transmitted node is identified by its key; its action code is checked against the
//     list as it is stored: 01 on an existing node, and 02/03/06 on a missing one, are errors;
//     04 creates or changes; 05 removes if present and is silent otherwise;
//   - a node that cannot be identified (its key is incomplete) is appended by 01/04, ignored
//     by 05, and an error for 02/03/06;
//   - list complete (LCTI true): stored nodes that were not transmitted are deleted (an empty
//     transmitted list clears the list); false: they stay as they are.
// Changing a node (02, 04 on an existing one) merges: `apply` receives the stored node and
// keeps every optional leaf the request did not transmit. Thread-safe for distinct lists.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
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
  kExists,        // 01 for a node that is stored
  kMissing,       // 02, 03 or 06 for a node that is not stored
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
};

// Changes `list` as `change` transmits it. A list the request does not transmit (not complete,
// no nodes) is left as it is: nothing is copied and no rule runs.
template <typename T, typename C, typename Key>
void ApplyListChange(std::vector<T>& list, const ListChange<C>& change, const ListRules<T, C, Key>& rules) {
  if (!change.complete && change.items.empty()) return;
  // `stored` is the list as the request found it (action codes are checked against it); `list`
  // becomes the result.
  std::vector<T> stored;
  if (change.complete) {
    stored = std::move(list);
    list.clear();
  } else {
    stored = list;
  }
  auto find = [&](auto& in, const Key& k) {
    return std::find_if(in.begin(), in.end(), [&](const T& x) { return rules.key(x) == k; });
  };
  for (const C& c : change.items) {
    const std::optional<Key> k = rules.change_key(c);
    if (!k) {
      if (c.action == Action::kCreate || c.action == Action::kSave) {
        if (auto node = rules.apply(nullptr, c)) list.push_back(std::move(*node));
      } else if (c.action != Action::kRemove) {
        rules.error(c, ListError::kUnidentified);
      }
      continue;
    }
    auto in_stored = find(stored, *k);
    const T* old = in_stored == stored.end() ? nullptr : &*in_stored;
    auto in_result = find(list, *k);
    // A node transmitted twice changes what the first transmission made of it.
    const T* current = in_result != list.end() ? &*in_result : old;
    switch (c.action) {
      case Action::kCreate:
        if (old) {
          rules.error(c, ListError::kExists);
        } else if (auto node = rules.apply(nullptr, c)) {
          if (in_result != list.end()) *in_result = std::move(*node);
          else list.push_back(std::move(*node));
        }
        break;
      case Action::kUpdate:
      case Action::kSave:
        if (!old && c.action == Action::kUpdate) {
          rules.error(c, ListError::kMissing);
        } else if (auto node = rules.apply(current, c)) {
          if (in_result != list.end()) *in_result = std::move(*node);
          else list.push_back(std::move(*node));
        }
        break;
      case Action::kNoAction:
        if (!old) rules.error(c, ListError::kMissing);
        else if (in_result == list.end()) list.push_back(*old);  // kept in a complete list
        break;
      case Action::kDelete:
        if (!old) rules.error(c, ListError::kMissing);
        else if (in_result != list.end()) list.erase(in_result);
        break;
      case Action::kRemove:
        if (in_result != list.end()) list.erase(in_result);
        break;
    }
  }
}

}  // namespace causeway::soap::a2x
