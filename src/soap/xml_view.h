// A read-only view of a parsed XML element (libxml2 underneath), so that services map request
// payloads without calling libxml2 themselves. Views are cheap values that point into the
// document they came from: they are valid only while that document (soap::XmlDocument) lives.
// Not thread-safe beyond what a read-only libxml2 tree is (concurrent reads of one document are
// fine; nothing here modifies it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct _xmlNode;

namespace causeway::soap {

struct XmlChildRange;

class XmlElement {
 public:
  XmlElement() = default;
  explicit XmlElement(_xmlNode* node) : node_(node) {}

  explicit operator bool() const { return node_ != nullptr; }
  _xmlNode* raw() const { return node_; }

  std::string_view LocalName() const;
  // Namespace URI, "" for an unqualified element.
  std::string_view Namespace() const;
  // The concatenated text content of the element and its descendants (as XSD sees a simple
  // value; no whitespace processing).
  std::string Text() const;
  // An unqualified attribute's value, or nullopt.
  std::optional<std::string> Attribute(std::string_view name) const;

  // First element child, next element sibling (skipping text, comments, PIs).
  XmlElement FirstChild() const;
  XmlElement Next() const;
  // First element child with this local name in no namespace (A2X children are unqualified).
  XmlElement Child(std::string_view local_name) const;
  // Text of Child(name), or nullopt when there is no such child.
  std::optional<std::string> ChildText(std::string_view local_name) const;

  // Range over the element children: for (XmlElement c : e.Children()) ...
  XmlChildRange Children() const;

 private:
  _xmlNode* node_ = nullptr;
};

class XmlChildIterator {
 public:
  explicit XmlChildIterator(XmlElement e) : e_(e) {}
  XmlElement operator*() const { return e_; }
  XmlChildIterator& operator++() {
    e_ = e_.Next();
    return *this;
  }
  bool operator!=(const XmlChildIterator& o) const { return e_.raw() != o.e_.raw(); }

 private:
  XmlElement e_;
};

struct XmlChildRange {
  XmlElement first;
  XmlChildIterator begin() const { return XmlChildIterator(first); }
  XmlChildIterator end() const { return XmlChildIterator(XmlElement()); }
};

inline XmlChildRange XmlElement::Children() const { return XmlChildRange{FirstChild()}; }

// The element and its subtree as standalone markup: every namespace it (or a descendant) uses
// is declared on it, even where the original document declared it on an ancestor; no XML
// declaration. "" for an empty view. Reads only (the copy is made in a document of its own).
std::string Markup(XmlElement element);

// XSD whitespace "collapse" as for xsd:token: trims and folds inner runs of blanks to one space.
std::string CollapseWhitespace(std::string_view s);

}  // namespace causeway::soap
