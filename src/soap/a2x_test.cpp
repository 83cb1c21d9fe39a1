#include "soap/a2x.h"

#include <gtest/gtest.h>

#include <string>

#include "soap/a2x_list.h"

namespace causeway::soap::a2x {
namespace {

TEST(A2x, ActionCodes) {
  const struct {
    const char* code;
    std::optional<Action> action;
  } cases[] = {{"01", Action::kCreate}, {"02", Action::kUpdate}, {"03", Action::kDelete}, {"04", Action::kSave},
               {"05", Action::kRemove}, {"06", Action::kNoAction}, {"07", std::nullopt}, {"1", std::nullopt},
               {"", std::nullopt},      {"00", std::nullopt}};
  for (const auto& c : cases) {
    EXPECT_EQ(ActionFromCode(c.code), c.action) << c.code;
    if (c.action) {
      EXPECT_EQ(ActionCode(*c.action), c.code);
    }
  }
}

TEST(A2x, LogItemSubstitutesAndCutsAtWholeCharacters) {
  LogItem i = MakeLogItem(Severity::kWarning, "CAUSEWAY/X", "007", "Partner &1 of &2", "S1", {"P1", "A9"});
  EXPECT_EQ(i, (LogItem{"007(CAUSEWAY/X)", Severity::kWarning, "S1", "Partner P1 of A9"}));
  std::string umlauts;
  for (int k = 0; k < 250; ++k) umlauts += "\xc3\xa4";  // ä, two bytes each
  LogItem cut = MakeLogItem(Severity::kError, "C", "001", umlauts, "");
  EXPECT_EQ(cut.note.size(), 400u);  // 200 characters, none split
}

TEST(A2x, ReferenceSenderIdInheritsTheParentsWhenInitial) {
  EXPECT_EQ(ReferenceSenderId("C1", "R1"), "C1");
  EXPECT_EQ(ReferenceSenderId("", "R1"), "R1");
  EXPECT_EQ(ReferenceSenderId("  ", " R1 "), "R1");
  EXPECT_EQ(ReferenceSenderId("", ""), "");
}

TEST(A2x, SeverityAndResultCodes) {
  std::vector<LogItem> items = {{"1(C)", Severity::kInfo, "", "i"}, {"2(C)", Severity::kWarning, "", "w"}};
  EXPECT_EQ(MaxSeverity(items), Severity::kWarning);
  EXPECT_FALSE(HasError(items));
  items.push_back({"3(C)", Severity::kError, "", "e"});
  EXPECT_EQ(MaxSeverity(items), Severity::kError);
  EXPECT_TRUE(HasError(items));
  EXPECT_EQ(MaxSeverity({}), std::nullopt);
  EXPECT_EQ(ProcessingResultCode(2, 2), "3");
  EXPECT_EQ(ProcessingResultCode(1, 2), "4");
  EXPECT_EQ(ProcessingResultCode(0, 2), "5");
}

TEST(A2x, ChangeStatesIncreaseAndCompareAsTokens) {
  core::SystemTime t = core::FromUnixMillis(1714550400000);
  std::string a = NextChangeState(t), b = NextChangeState(t);
  EXPECT_EQ(a.size(), 22u);
  EXPECT_EQ(a.substr(0, 14), "20240501080000");
  EXPECT_LT(a, b);
  EXPECT_TRUE(ChangeStateMatches("", a));
  EXPECT_TRUE(ChangeStateMatches("   " + a + " ", a));
  EXPECT_FALSE(ChangeStateMatches(b, a));
}

TEST(A2x, NewUuidsAreVersion7AndSortByTheirTime) {
  const core::SystemTime t = core::FromUnixMillis(1714550400123);  // 2024-05-01T08:00:00.123Z
  const std::string u = NewUuid(t);
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u.substr(0, 13), "018f332a-e47b") << u;  // 0x018F332AE47B ms
  EXPECT_EQ(u[14], '7');
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;  // RFC 9562 variant
  EXPECT_NE(u, NewUuid(t));
  EXPECT_LT(NewUuid(t), NewUuid(t + std::chrono::milliseconds(1)));
  EXPECT_LT(NewUuid(t + std::chrono::milliseconds(1)), NewUuid(t + std::chrono::hours(24 * 365)));
}

// The list rules on a list of (key, value) pairs.
struct Node {
  std::string key, value;
  bool operator==(const Node&) const = default;
};
struct Change {
  Action action = Action::kSave;
  std::optional<std::string> key, value;
};

struct ListCase {
  const char* name;
  std::vector<Node> stored;
  ListChange<Change> change;
  std::vector<Node> expected;
  std::vector<std::pair<std::string, ListError>> errors;
};

TEST(A2x, ListChangeRules) {
  const std::vector<Node> ab = {{"a", "1"}, {"b", "2"}};
  const ListCase cases[] = {
      {"04 changes and creates, the rest stays",
       ab,
       {false, {{Action::kSave, "a", "9"}, {Action::kSave, "c", "3"}}},
       {{"a", "9"}, {"b", "2"}, {"c", "3"}},
       {}},
      {"04 keeps leaves not transmitted", ab, {false, {{Action::kSave, "a", std::nullopt}}}, ab, {}},
      {"complete list: what was not sent is deleted",
       ab,
       {true, {{Action::kSave, "b", std::nullopt}}},
       {{"b", "2"}},
       {}},
      {"complete and empty: cleared", ab, {true, {}}, {}, {}},
      {"01 on an existing node is an error",
       ab,
       {false, {{Action::kCreate, "a", "x"}}},
       ab,
       {{"a", ListError::kExists}}},
      {"02 and 03 on missing nodes are errors",
       ab,
       {false, {{Action::kUpdate, "z", "x"}, {Action::kDelete, "y", std::nullopt}}},
       ab,
       {{"z", ListError::kMissing}, {"y", ListError::kMissing}}},
      {"03 deletes, 05 removes silently",
       ab,
       {false, {{Action::kDelete, "a", std::nullopt}, {Action::kRemove, "q", std::nullopt}}},
       {{"b", "2"}},
       {}},
      {"06 keeps a node in a complete list", ab, {true, {{Action::kNoAction, "a", "ignored"}}}, {{"a", "1"}}, {}},
      // The seed: 01 "returns an error message if the node element already exists", 03 "if the
      // node element does not exist": also when a node before it in the same request made it so.
      {"01 twice in one request: the second is an error",
       ab,
       {false, {{Action::kCreate, "c", "3"}, {Action::kCreate, "c", "4"}}},
       {{"a", "1"}, {"b", "2"}, {"c", "3"}},
       {{"c", ListError::kExists}}},
      {"03 twice in one request: the second is an error",
       ab,
       {false, {{Action::kDelete, "a", std::nullopt}, {Action::kDelete, "a", std::nullopt}}},
       {{"b", "2"}},
       {{"a", ListError::kMissing}}},
      {"02 after 01 in one request changes the new node; 01 after 03 creates again",
       ab,
       {false,
        {{Action::kCreate, "c", "3"},
         {Action::kUpdate, "c", "4"},
         {Action::kDelete, "a", std::nullopt},
         {Action::kCreate, "a", "5"}}},
       {{"a", "5"}, {"b", "2"}, {"c", "4"}},
       {}},
      {"new nodes keep the order they came in, identified or not",
       ab,
       {false, {{Action::kSave, "c", "3"}, {Action::kSave, std::nullopt, "n"}, {Action::kSave, "d", "4"}}},
       {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"", "n"}, {"d", "4"}},
       {}},
      {"unidentified: 04 appends, 02 is an error, 05 nothing",
       ab,
       {false,
        {{Action::kSave, std::nullopt, "n"},
         {Action::kUpdate, std::nullopt, "m"},
         {Action::kRemove, std::nullopt, std::nullopt}}},
       {{"a", "1"}, {"b", "2"}, {"", "n"}},
       {{"", ListError::kUnidentified}}},
  };
  for (const ListCase& c : cases) {
    std::vector<std::pair<std::string, ListError>> errors;
    ListRules<Node, Change, std::string> rules{
        .change_key = [](const Change& ch) { return ch.key; },
        .key = [](const Node& n) { return n.key; },
        .apply = [](const Node* stored, const Change& ch) -> std::optional<Node> {
          Node n = stored ? *stored : Node{ch.key.value_or(""), ""};
          if (ch.value) n.value = *ch.value;
          return n;
        },
        .error = [&](const Change& ch, ListError e) { errors.emplace_back(ch.key.value_or(""), e); }};
    auto list = c.stored;
    ApplyListChange(list, c.change, rules);
    EXPECT_EQ(list, c.expected) << c.name;
    EXPECT_EQ(errors, c.errors) << c.name;
  }
}

// A refused deletion (a text's stale change state) leaves the node, also in a complete list.
TEST(A2xListTest, MayRemoveKeepsWhatItRefuses) {
  const std::vector<Node> ab = {{"a", "1"}, {"b", "2"}};
  ListRules<Node, Change, std::string> rules{
      .change_key = [](const Change& ch) { return ch.key; },
      .key = [](const Node& n) { return n.key; },
      .apply = [](const Node* stored, const Change& ch) -> std::optional<Node> {
        return stored ? *stored : Node{ch.key.value_or(""), ch.value.value_or("")};
      },
      .error = [](const Change&, ListError) {},
      .may_remove = [](const Node& n, const Change&) { return n.key != "a"; }};
  for (bool complete : {false, true}) {
    auto list = ab;
    ApplyListChange(
        list,
        ListChange<Change>{complete, {{Action::kDelete, "a", std::nullopt}, {Action::kRemove, "b", std::nullopt}}},
        rules);
    EXPECT_EQ(list, (std::vector<Node>{{"a", "1"}})) << complete;
  }
}

// 20,000 transmitted nodes against 20,000 stored ones: hashed keys, not a scan per node (the
// quadratic version took half a minute inside the write transaction).
TEST(A2xListTest, LargeListsAreChangedInOnePass) {
  std::vector<Node> list;
  ListChange<Change> change{false, {}};
  for (int i = 0; i < 20000; ++i) {
    list.push_back({"s" + std::to_string(i), "1"});
    change.items.push_back({Action::kSave, "s" + std::to_string(i), "2"});
    change.items.push_back({Action::kCreate, "n" + std::to_string(i), "3"});
  }
  int errors = 0;
  size_t key_calls = 0;  // a scan per node called `key` for every stored node again: 4×10^8 here
  ListRules<Node, Change, std::string> rules{.change_key = [](const Change& ch) { return ch.key; },
                                             .key =
                                                 [&](const Node& n) {
                                                   ++key_calls;
                                                   return n.key;
                                                 },
                                             .apply = [](const Node* stored, const Change& ch) -> std::optional<Node> {
                                               Node n = stored ? *stored : Node{ch.key.value_or(""), ""};
                                               n.value = ch.value.value_or(n.value);
                                               return n;
                                             },
                                             .error = [&](const Change&, ListError) { ++errors; }};
  ApplyListChange(list, change, rules);
  ASSERT_EQ(list.size(), 40000u);
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(list[19999], (Node{"s19999", "2"}));
  EXPECT_EQ(list[20000], (Node{"n0", "3"}));
  EXPECT_LE(key_calls, 3 * 20000u);  // the stored nodes, the changed ones, the new ones
}

// A key type with equality only, and not a transitive one: the task's document references are
// the same when their UUIDs are (both given), else when their IDs are. A change of one reference
// must change that one and leave the others, whatever else its key equals.
struct Ref {
  std::string uuid, id, value;
  bool operator==(const Ref&) const = default;
};
struct RefKey {
  std::string uuid, id;
  bool operator==(const RefKey& o) const { return !uuid.empty() && !o.uuid.empty() ? uuid == o.uuid : id == o.id; }
};
struct RefChange {
  Action action = Action::kSave;
  std::string uuid, id;
  std::optional<std::string> value;
};

TEST(A2xListTest, AKeyThatEqualsSeveralStoredNodesChangesTheFirstOnly) {
  ListRules<Ref, RefChange, RefKey> rules{.change_key = [](const RefChange& ch) -> std::optional<RefKey> {
                                            return RefKey{ch.uuid, ch.id};
                                          },
                                          .key =
                                              [](const Ref& r) {
                                                return RefKey{r.uuid, r.id};
                                              },
                                          .apply = [](const Ref* stored, const RefChange& ch) -> std::optional<Ref> {
                                            Ref r = stored ? *stored : Ref{ch.uuid, ch.id, ""};
                                            if (ch.value) r.value = *ch.value;
                                            return r;
                                          },
                                          .error = [](const RefChange&, ListError) {}};
  const std::vector<Ref> three = {{"U1", "4711", "a"}, {"U2", "4711", "b"}, {"", "4799", "c"}};
  for (Action action : {Action::kUpdate, Action::kSave}) {
    auto list = three;
    ApplyListChange(list, ListChange<RefChange>{false, {{action, "", "4711", "x"}}}, rules);
    EXPECT_EQ(list, (std::vector<Ref>{{"U1", "4711", "x"}, {"U2", "4711", "b"}, {"", "4799", "c"}}));
  }
  auto list = three;
  ApplyListChange(list, ListChange<RefChange>{false, {{Action::kNoAction, "", "4711", std::nullopt}}}, rules);
  EXPECT_EQ(list, three);
  list = three;
  ApplyListChange(list, ListChange<RefChange>{false, {{Action::kRemove, "", "4711", std::nullopt}}}, rules);
  EXPECT_EQ(list, (std::vector<Ref>{{"U2", "4711", "b"}, {"", "4799", "c"}}));
  // The UUID decides between two given UUIDs, even when the ID names another stored node.
  const std::vector<Ref> two = {{"U1", "X", "a"}, {"", "Y", "b"}};
  list = two;
  ApplyListChange(list, ListChange<RefChange>{false, {{Action::kUpdate, "U1", "Y", "x"}}}, rules);
  EXPECT_EQ(list, (std::vector<Ref>{{"U1", "X", "x"}, {"", "Y", "b"}}));
}

// A node is matched against the list as the nodes before it left it: a change that gives a
// reference its UUID makes it the one that UUID names; a deleted one no longer hides another that
// matches; and an earlier change does not decide what a later UUID names.
TEST(A2xListTest, LaterNodesMatchWhatEarlierNodesLeft) {
  ListRules<Ref, RefChange, RefKey> rules{.change_key = [](const RefChange& ch) -> std::optional<RefKey> {
                                            return RefKey{ch.uuid, ch.id};
                                          },
                                          .key =
                                              [](const Ref& r) {
                                                return RefKey{r.uuid, r.id};
                                              },
                                          .apply = [](const Ref* stored, const RefChange& ch) -> std::optional<Ref> {
                                            Ref r = stored ? *stored : Ref{ch.uuid, ch.id, ""};
                                            if (!ch.uuid.empty()) r.uuid = ch.uuid;
                                            if (!ch.id.empty()) r.id = ch.id;
                                            if (ch.value) r.value = *ch.value;
                                            return r;
                                          },
                                          .error = [](const RefChange&, ListError) {}};
  std::vector<Ref> list = {{"", "4711", "a"}};
  ApplyListChange(
      list,
      ListChange<RefChange>{false, {{Action::kUpdate, "U1", "4711", std::nullopt}, {Action::kSave, "U1", "", "b"}}},
      rules);
  EXPECT_EQ(list, (std::vector<Ref>{{"U1", "4711", "b"}}));
  list = {{"", "4711", "a"}};
  ApplyListChange(
      list,
      ListChange<RefChange>{false,
                            {{Action::kUpdate, "U1", "4711", std::nullopt}, {Action::kRemove, "U1", "", std::nullopt}}},
      rules);
  EXPECT_EQ(list, std::vector<Ref>{});
  list = {{"A1", "4711", "a"}, {"B1", "4711", "b"}};
  ApplyListChange(
      list,
      ListChange<RefChange>{false, {{Action::kDelete, "B1", "", std::nullopt}, {Action::kUpdate, "", "4711", "x"}}},
      rules);
  EXPECT_EQ(list, (std::vector<Ref>{{"A1", "4711", "x"}}));
  list = {{"B1", "9", "a"}, {"", "4711", "b"}};
  ApplyListChange(
      list, ListChange<RefChange>{false, {{Action::kUpdate, "", "4711", "x"}, {Action::kUpdate, "B1", "4711", "y"}}},
      rules);
  EXPECT_EQ(list, (std::vector<Ref>{{"B1", "4711", "y"}, {"", "4711", "x"}}));
}

}  // namespace
}  // namespace causeway::soap::a2x
