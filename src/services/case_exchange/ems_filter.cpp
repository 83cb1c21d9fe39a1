#include "services/case_exchange/ems_filter.h"

#include <cctype>
#include <charconv>

#include "core/ascii.h"

namespace causeway::services::case_exchange {

struct EmsFilter::Node {
  enum class Kind { kAnd, kOr, kCompare, kBetween, kIn };
  Kind kind = Kind::kCompare;
  std::vector<std::shared_ptr<const Node>> children;  // and / or
  std::string field;
  std::string op;                               // =, !=, <, <=, >, >=
  std::vector<std::optional<std::string>> values;  // literals; nullopt = null
};

namespace {

using Node = EmsFilter::Node;
constexpr int kMaxDepth = 32;

std::optional<int64_t> AsInt(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// <0, 0, >0; numeric when both are integers.
int Compare(const std::string& a, const std::string& b) {
  auto x = AsInt(a), y = AsInt(b);
  if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  core::Result<std::shared_ptr<const Node>> ParseAll() {
    auto n = ParseOr(0);
    if (!n.ok()) return n;
    Skip();
    if (pos_ != s_.size()) return Fail("unexpected text");
    return n;
  }

 private:
  core::Error Fail(std::string what) const {
    core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "110",
                                    "Invalid filter at position " + std::to_string(pos_ + 1) + ": " + what);
    e.target = "filter";
    return e;
  }
  void Skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool Keyword(std::string_view kw) {
    Skip();
    if (s_.size() - pos_ < kw.size() || !core::IEquals(s_.substr(pos_, kw.size()), kw)) return false;
    size_t end = pos_ + kw.size();
    if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_')) return false;
    pos_ = end;
    return true;
  }
  bool Char(char c) {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  core::Result<std::shared_ptr<const Node>> ParseOr(int depth) {
    if (depth > kMaxDepth) return Fail("nested too deeply");
    CW_ASSIGN_OR_RETURN(auto first, ParseAnd(depth));
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::kOr;
    node->children.push_back(std::move(first));
    while (Keyword("or")) {
      CW_ASSIGN_OR_RETURN(auto next, ParseAnd(depth));
      node->children.push_back(std::move(next));
    }
    if (node->children.size() == 1) return node->children[0];
    return std::shared_ptr<const Node>(node);
  }

  core::Result<std::shared_ptr<const Node>> ParseAnd(int depth) {
    CW_ASSIGN_OR_RETURN(auto first, ParsePrimary(depth));
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::kAnd;
    node->children.push_back(std::move(first));
    while (Keyword("and")) {
      CW_ASSIGN_OR_RETURN(auto next, ParsePrimary(depth));
      node->children.push_back(std::move(next));
    }
    if (node->children.size() == 1) return node->children[0];
    return std::shared_ptr<const Node>(node);
  }

  core::Result<std::shared_ptr<const Node>> ParsePrimary(int depth) {
    if (Char('(')) {
      CW_ASSIGN_OR_RETURN(auto inner, ParseOr(depth + 1));
      if (!Char(')')) return Fail("')' expected");
      return inner;
    }
    Skip();
    size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' || s_[pos_] == '.'))
      ++pos_;
    if (pos_ == start) return Fail("property name expected");
    auto node = std::make_shared<Node>();
    node->field = std::string(s_.substr(start, pos_ - start));
    if (Keyword("btw")) {
      node->kind = Node::Kind::kBetween;
      CW_RETURN_IF_ERROR(ParseList(*node));
      if (node->values.size() != 2) return Fail("btw takes two values");
      return std::shared_ptr<const Node>(node);
    }
    if (Keyword("in")) {
      node->kind = Node::Kind::kIn;
      CW_RETURN_IF_ERROR(ParseList(*node));
      if (node->values.empty()) return Fail("in takes at least one value");
      return std::shared_ptr<const Node>(node);
    }
    Skip();
    for (const char* op : {"!=", "<=", ">=", "=", "<", ">"}) {
      std::string_view o(op);
      if (s_.substr(pos_, o.size()) == o) {
        node->op = std::string(o);
        pos_ += o.size();
        break;
      }
    }
    if (node->op.empty()) return Fail("comparison expected");
    CW_ASSIGN_OR_RETURN(auto v, ParseLiteral());
    node->values.push_back(std::move(v));
    return std::shared_ptr<const Node>(node);
  }

  core::Status ParseList(Node& node) {
    if (!Char('(')) return Fail("'(' expected");
    do {
      CW_ASSIGN_OR_RETURN(auto v, ParseLiteral());
      node.values.push_back(std::move(v));
      if (node.values.size() > 1000) return Fail("too many values");
    } while (Char(','));
    if (!Char(')')) return Fail("')' expected");
    return core::Status::Ok();
  }

  core::Result<std::optional<std::string>> ParseLiteral() {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == '\'') {
      std::string out;
      ++pos_;
      for (;;) {
        if (pos_ >= s_.size()) return Fail("unterminated text");
        char c = s_[pos_++];
        if (c == '\'') {
          if (pos_ < s_.size() && s_[pos_] == '\'') {
            out += '\'';
            ++pos_;
            continue;
          }
          return std::optional<std::string>(std::move(out));
        }
        out += c;
      }
    }
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '.' || s_[pos_] == '_'))
      ++pos_;
    if (pos_ == start) return Fail("value expected");
    std::string word(s_.substr(start, pos_ - start));
    if (core::IEquals(word, "null")) return std::optional<std::string>();
    return std::optional<std::string>(std::move(word));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

bool Eval(const Node& n, const EmsFilter::Lookup& lookup) {
  switch (n.kind) {
    case Node::Kind::kAnd:
      for (const auto& c : n.children)
        if (!Eval(*c, lookup)) return false;
      return true;
    case Node::Kind::kOr:
      for (const auto& c : n.children)
        if (Eval(*c, lookup)) return true;
      return false;
    case Node::Kind::kBetween: {
      auto v = lookup(n.field);
      if (!v || !n.values[0] || !n.values[1]) return false;
      return Compare(*v, *n.values[0]) >= 0 && Compare(*v, *n.values[1]) <= 0;
    }
    case Node::Kind::kIn: {
      auto v = lookup(n.field);
      for (const auto& x : n.values)
        if ((!v && !x) || (v && x && Compare(*v, *x) == 0)) return true;
      return false;
    }
    case Node::Kind::kCompare: {
      auto v = lookup(n.field);
      const auto& x = n.values[0];
      if (!v || !x) {
        const bool both_null = !v && !x;
        return n.op == "=" ? both_null : n.op == "!=" ? !both_null : false;
      }
      int c = Compare(*v, *x);
      if (n.op == "=") return c == 0;
      if (n.op == "!=") return c != 0;
      if (n.op == "<") return c < 0;
      if (n.op == "<=") return c <= 0;
      if (n.op == ">") return c > 0;
      return c >= 0;
    }
  }
  return false;
}

}  // namespace

core::Result<EmsFilter> EmsFilter::Parse(std::string_view text) {
  EmsFilter f;
  if (core::Trim(text).empty()) return f;
  Parser p(text);
  CW_ASSIGN_OR_RETURN(f.root_, p.ParseAll());
  return f;
}

bool EmsFilter::Matches(const Lookup& lookup) const { return !root_ || Eval(*root_, lookup); }

std::optional<std::string> EmsFilter::EqualityOn(std::string_view name) const {
  if (!root_) return std::nullopt;
  auto check = [&](const Node& n) -> std::optional<std::string> {
    if (n.kind == Node::Kind::kCompare && n.op == "=" && n.field == name && n.values[0]) return n.values[0];
    return std::nullopt;
  };
  if (auto v = check(*root_)) return v;
  if (root_->kind == Node::Kind::kAnd)
    for (const auto& c : root_->children)
      if (auto v = check(*c)) return v;
  return std::nullopt;
}

}  // namespace causeway::services::case_exchange
