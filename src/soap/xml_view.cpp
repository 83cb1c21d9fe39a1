#include "soap/xml_view.h"

#include <libxml/tree.h>

#include "soap/xml_chars.h"

namespace causeway::soap {
namespace {

_xmlNode* NextElement(_xmlNode* n) {
  while (n && n->type != XML_ELEMENT_NODE) n = n->next;
  return n;
}

void AppendText(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) out += XmlChars(c->content);
    else if (c->type == XML_ELEMENT_NODE) AppendText(c, out);
  }
}

}  // namespace

std::string_view XmlElement::LocalName() const { return node_ ? XmlChars(node_->name) : std::string_view(); }

std::string_view XmlElement::Namespace() const {
  return node_ && node_->ns ? XmlChars(node_->ns->href) : std::string_view();
}

std::string XmlElement::Text() const {
  std::string out;
  if (node_) AppendText(node_, out);
  return out;
}

std::optional<std::string> XmlElement::Attribute(std::string_view name) const {
  if (!node_) return std::nullopt;
  for (xmlAttr* a = node_->properties; a; a = a->next) {
    if (a->ns != nullptr || XmlChars(a->name) != name) continue;
    std::string out;
    for (xmlNode* c = a->children; c; c = c->next)
      if (c->type == XML_TEXT_NODE) out += XmlChars(c->content);
    return out;
  }
  return std::nullopt;
}

XmlElement XmlElement::FirstChild() const { return XmlElement(node_ ? NextElement(node_->children) : nullptr); }

XmlElement XmlElement::Next() const { return XmlElement(node_ ? NextElement(node_->next) : nullptr); }

XmlElement XmlElement::Child(std::string_view local_name) const {
  for (XmlElement c : Children())
    if (c.node_->ns == nullptr && c.LocalName() == local_name) return c;
  return XmlElement();
}

std::optional<std::string> XmlElement::ChildText(std::string_view local_name) const {
  XmlElement c = Child(local_name);
  if (!c) return std::nullopt;
  return c.Text();
}

std::string Markup(XmlElement element) {
  if (!element) return {};
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  // xmlDocCopyNode declares the namespaces the copy uses but its original declared above it
  // on the copy's root, so the result parses on its own.
  xmlNodePtr copy = xmlDocCopyNode(element.raw(), doc, 1);
  std::string out;
  if (copy) {
    xmlDocSetRootElement(doc, copy);
    xmlReconciliateNs(doc, copy);
    xmlBufferPtr buf = xmlBufferCreate();
    if (buf && xmlNodeDump(buf, doc, copy, 0, 0) >= 0)
      out.assign(reinterpret_cast<const char*>(xmlBufferContent(buf)), static_cast<size_t>(xmlBufferLength(buf)));
    if (buf) xmlBufferFree(buf);
  }
  xmlFreeDoc(doc);
  return out;
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += ch;
  }
  return out;
}

}  // namespace causeway::soap
