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
// Every key is computed once per node version (stored, or as a change left it).
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

// Changes `list` as `change` transmits it. A list the request does not transmit (not complete,
// no nodes) is left as it is: nothing is copied and no rule runs.
//
// The list is worked on as slots: the stored nodes in their places, then the nodes the request
// creates. A transmitted node is matched against the slots' keys as the nodes before it left
// them (a change may give a node a key it did not have, e.g. a reference its UUID), first match
// in slot order, so that a key type with equality only, and not a transitive one (ReferenceKey:
// "same UUID when both have one, else same ID and type"), finds what the list holds now.
template <typename T, typename C, typename Key>
void ApplyListChange(std::vector<T>& list, const ListChange<C>& change, const ListRules<T, C, Key>& rules) {
  if (!change.complete && change.items.empty()) return;
  struct Slot {
    std::optional<Key> key;  // none: a node the request could not identify (never matched)
    std::optional<T> node;   // none: deleted
    bool transmitted = false;
  };
  std::vector<Slot> slots;
  slots.reserve(list.size() + change.items.size());
  for (T& node : list) slots.push_back({rules.key(node), std::move(node), false});
  list.clear();
  std::vector<size_t> transmitted_order;  // a complete list is what the request sent, in its order
  // String keys are hashed (their equality is transitive): the latest slot of each key, the only
  // one that can hold a node once the request changed it.
  constexpr bool kHashed = std::is_same_v<Key, std::string>;
  std::unordered_map<std::string, size_t> by_key;
  if constexpr (kHashed)
    for (size_t i = 0; i < slots.size(); ++i) by_key.try_emplace(*slots[i].key, i);
  auto find = [&](const Key& k) -> std::optional<size_t> {
    if constexpr (kHashed) {
      auto it = by_key.find(k);
      if (it != by_key.end() && slots[it->second].node) return it->second;
    } else {
      for (size_t i = 0; i < slots.size(); ++i)
        if (slots[i].node && slots[i].key && *slots[i].key == k) return i;
    }
    return std::nullopt;
  };
  // A node created again after the request deleted it takes its old place back.
  auto deleted = [&](const Key& k) -> std::optional<size_t> {
    if constexpr (kHashed) {
      auto it = by_key.find(k);
      if (it != by_key.end() && !slots[it->second].node) return it->second;
    } else {
      for (size_t i = 0; i < slots.size(); ++i)
        if (!slots[i].node && slots[i].key && *slots[i].key == k) return i;
    }
    return std::nullopt;
  };
  auto mark = [&](size_t i) {
    if (!slots[i].transmitted) transmitted_order.push_back(i);
    slots[i].transmitted = true;
  };
  auto put = [&](std::optional<size_t> at, T node) {
    Key key = rules.key(node);
    if (!at) {
      at = slots.size();
      slots.push_back({key, std::move(node), false});
    } else {
      if constexpr (kHashed) {
        auto it = by_key.find(*slots[*at].key);  // a key the change took away finds nothing here
        if (it != by_key.end() && it->second == *at && *slots[*at].key != key) by_key.erase(it);
      }
      slots[*at].key = key;
      slots[*at].node = std::move(node);
    }
    if constexpr (kHashed) by_key[key] = *at;
    mark(*at);
  };
  for (const C& c : change.items) {
    const std::optional<Key> k = rules.change_key(c);
    if (!k) {
      if (c.action == Action::kCreate || c.action == Action::kSave) {
        if (auto node = rules.apply(nullptr, c)) {
          slots.push_back({std::nullopt, std::move(node), false});
          mark(slots.size() - 1);
        }
      } else if (c.action != Action::kRemove) {
        rules.error(c, ListError::kUnidentified);
      }
      continue;
    }
    const std::optional<size_t> at = find(*k);
    const T* current = at ? &*slots[*at].node : nullptr;  // as the nodes before this one left it
    switch (c.action) {
      case Action::kCreate:
        if (current) {
          rules.error(c, ListError::kExists);
        } else if (auto node = rules.apply(nullptr, c)) {
          put(deleted(*k), std::move(*node));
        }
        break;
      case Action::kUpdate:
      case Action::kSave:
        if (!current && c.action == Action::kUpdate) {
          rules.error(c, ListError::kMissing);
        } else if (auto node = rules.apply(current, c)) {
          put(at ? at : deleted(*k), std::move(*node));
        }
        break;
      case Action::kNoAction:
        if (!current)
          rules.error(c, ListError::kMissing);
        else
          mark(*at);  // kept in a complete list
        break;
      case Action::kDelete:
      case Action::kRemove:
        if (!current) {
          if (c.action == Action::kDelete) rules.error(c, ListError::kMissing);
        } else if (!rules.may_remove || rules.may_remove(*current, c)) {
          slots[*at].node.reset();
          mark(*at);
        } else {
          mark(*at);  // refused: it stays, also in a complete list
        }
        break;
    }
  }
  // Not complete: the stored nodes in place (changed or deleted as transmitted), then the new
  // ones in the order they came. Complete: only what the request transmitted, in its order.
  if (change.complete) {
    for (size_t i : transmitted_order)
      if (slots[i].node) list.push_back(std::move(*slots[i].node));
  } else {
    for (Slot& slot : slots)
      if (slot.node) list.push_back(std::move(*slot.node));
  }
}

}  // namespace causeway::soap::a2x
