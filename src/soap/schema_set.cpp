#include "soap/schema_set.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <atomic>
#include <map>
#include <mutex>

#include "soap/envelope.h"
#include "soap/xml_chars.h"

namespace causeway::soap {
namespace {

constexpr std::string_view kXsdNamespace = "http://www.w3.org/2001/XMLSchema";
constexpr std::string_view kWsdlNamespace = "http://schemas.xmlsoap.org/wsdl/";
constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
constexpr size_t kMaxMessages = 5;

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// Schema documents served to libxml2's schema compiler by location. Entries are never removed:
// there is one set per service, compiled at start-up.
struct Registry {
  std::mutex mu;
  std::map<std::string, std::string, std::less<>> docs;
  xmlExternalEntityLoader previous = nullptr;
};
Registry& TheRegistry() {
  static Registry* r = new Registry();  // never destroyed: libxml2 may call the loader at exit
  return *r;
}

xmlParserInputPtr InMemoryLoader(const char* url, const char*, xmlParserCtxtPtr ctxt) {
  if (url) {
    Registry& r = TheRegistry();
    std::lock_guard lock(r.mu);
    if (auto it = r.docs.find(std::string_view(url)); it != r.docs.end())
      return xmlNewStringInputStream(ctxt, X(it->second.c_str()));
  }
  // Every other external load (file, http, DTD, entity) is refused.
  return nullptr;
}

void InstallLoader() {
  static std::once_flag once;
  std::call_once(once, [] {
    EnsureLibxml();
    TheRegistry().previous = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(InMemoryLoader);
  });
}

struct Messages {
  std::vector<std::string> items;
  size_t total = 0;
};

void CollectError(void* user, xmlErrorPtr e) {
  auto* m = static_cast<Messages*>(user);
  ++m->total;
  if (!e || m->items.size() >= kMaxMessages) return;
  std::string_view msg = e->message ? e->message : "error";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.remove_suffix(1);
  std::string line;
  if (e->line > 0) line = "line " + std::to_string(e->line) + ": ";
  m->items.push_back(line + std::string(msg));
}

std::string Joined(const Messages& m) {
  std::string out;
  for (const auto& s : m.items) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  if (m.total > m.items.size()) out += "; (" + std::to_string(m.total - m.items.size()) + " more)";
  return out;
}

bool IsXsd(xmlNodePtr n, std::string_view local) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && XmlChars(n->ns->href) == kXsdNamespace && XmlChars(n->name) == local;
}

// Declares on `schema` every namespace in scope at it in the WSDL, so that QName values
// (type="xi3:UUID") still resolve once the schema stands alone.
void DeclareInScopeNamespaces(xmlDocPtr doc, xmlNodePtr schema) {
  xmlNsPtr* list = xmlGetNsList(doc, schema);
  if (!list) return;
  for (xmlNsPtr* p = list; *p; ++p) {
    bool own = false;
    for (xmlNsPtr d = schema->nsDef; d; d = d->next)
      if (XmlChars(d->prefix) == XmlChars((*p)->prefix)) own = true;
    if (!own) xmlNewNs(schema, (*p)->href, (*p)->prefix);
  }
  xmlFree(list);
}

std::string Serialize(xmlDocPtr doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemory(doc, &mem, &size);
  std::string out(reinterpret_cast<const char*>(mem), static_cast<size_t>(size));
  xmlFree(mem);
  return out;
}

core::Error CompileError(std::string text) {
  return core::MakeError(core::Code::kInternal, "CAUSEWAY/SOAP", "020", "WSDL schema: " + std::move(text));
}

}  // namespace

core::Result<std::shared_ptr<const SchemaSet>> SchemaSet::FromWsdl(std::string_view wsdl) {
  InstallLoader();
  static std::atomic<int> set_counter{0};
  const int set_id = ++set_counter;
  ParseLimits limits;
  limits.max_elements = 10'000'000;
  auto parsed = ParseXml(wsdl, limits);
  if (!parsed.ok()) return CompileError(parsed.error().text);
  XmlDocument wsdl_doc = std::move(parsed).value();
  xmlNodePtr root = wsdl_doc.Root().raw();
  if (!root || XmlChars(root->name) != "definitions" || !root->ns || XmlChars(root->ns->href) != kWsdlNamespace)
    return CompileError("the document is not a WSDL 1.1 definitions element");

  std::vector<xmlNodePtr> schemas;
  for (xmlNodePtr n = root->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || XmlChars(n->name) != "types") continue;
    for (xmlNodePtr s = n->children; s; s = s->next)
      if (IsXsd(s, "schema")) schemas.push_back(s);
  }
  if (schemas.empty()) return CompileError("wsdl:types holds no xsd:schema");

  auto set = std::shared_ptr<SchemaSet>(new SchemaSet());
  std::map<std::string, std::string> location_of;  // target namespace → location
  for (size_t i = 0; i < schemas.size(); ++i) {
    xmlChar* tns = xmlGetProp(schemas[i], X("targetNamespace"));
    std::string ns = tns ? std::string(XmlChars(tns)) : std::string();
    xmlFree(tns);
    location_of[ns] = "cw-schema:/" + std::to_string(set_id) + "/" + std::to_string(i) + ".xsd";
    set->namespaces_.push_back(ns);
  }

  std::map<std::string, std::string> docs;
  for (size_t i = 0; i < schemas.size(); ++i) {
    DeclareInScopeNamespaces(wsdl_doc.raw(), schemas[i]);
    xmlDocPtr standalone = xmlNewDoc(X("1.0"));
    xmlNodePtr copy = xmlDocCopyNode(schemas[i], standalone, 1);
    xmlDocSetRootElement(standalone, copy);
    for (xmlNodePtr c = copy->children; c; c = c->next) {
      if (!IsXsd(c, "import") || xmlHasProp(c, X("schemaLocation"))) continue;
      xmlChar* ns = xmlGetProp(c, X("namespace"));
      auto it = ns ? location_of.find(std::string(XmlChars(ns))) : location_of.end();
      if (it != location_of.end()) xmlSetProp(c, X("schemaLocation"), X(it->second.c_str()));
      xmlFree(ns);
    }
    docs[location_of[set->namespaces_[i]]] = Serialize(standalone);
    xmlFreeDoc(standalone);
  }
  {
    Registry& r = TheRegistry();
    std::lock_guard lock(r.mu);
    for (auto& [loc, text] : docs) r.docs[loc] = std::move(text);
  }

  // A driver schema importing every namespace, so one compiled schema covers all of them.
  std::string driver =
      "<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:causeway:soap:driver\">";
  for (const auto& [ns, loc] : location_of)
    driver += "<xsd:import namespace=\"" + ns + "\" schemaLocation=\"" + loc + "\"/>";
  driver += "</xsd:schema>";

  Messages messages;
  xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt(driver.data(), static_cast<int>(driver.size()));
  if (!pctxt) return CompileError("cannot create the schema parser");
  xmlSchemaSetParserStructuredErrors(pctxt, CollectError, &messages);
  set->schema_ = xmlSchemaParse(pctxt);
  xmlSchemaFreeParserCtxt(pctxt);
  if (!set->schema_ || messages.total > 0) return CompileError(Joined(messages));
  return std::shared_ptr<const SchemaSet>(std::move(set));
}

SchemaSet::~SchemaSet() {
  if (schema_) xmlSchemaFree(schema_);
}

bool SchemaSet::Declares(std::string_view ns) const {
  for (const auto& n : namespaces_)
    if (n == ns) return true;
  return false;
}

core::Status SchemaSet::Validate(XmlElement element) const {
  xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema_);
  if (!vctxt) return core::MakeError(core::Code::kInternal, "CAUSEWAY/SOAP", "009", "Out of memory");
  Messages messages;
  xmlSchemaSetValidStructuredErrors(vctxt, CollectError, &messages);
  int rc = xmlSchemaValidateOneElement(vctxt, element.raw());
  xmlSchemaFreeValidCtxt(vctxt);
  if (rc == 0 && messages.total == 0) return core::Status::Ok();
  if (messages.items.empty()) messages.items.push_back("validation failed (code " + std::to_string(rc) + ")");
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/SOAP", "010",
                         "The message does not match the service's schema: " + Joined(messages));
}

size_t SchemaSet::StripForeign(XmlElement element) const {
  size_t removed = 0;
  std::vector<xmlNodePtr> pending{element.raw()};
  while (!pending.empty()) {
    xmlNodePtr n = pending.back();
    pending.pop_back();
    for (xmlAttrPtr a = n->properties; a;) {
      xmlAttrPtr next = a->next;
      if (a->ns && XmlChars(a->ns->href) != kXsiNamespace && !Declares(XmlChars(a->ns->href))) {
        xmlRemoveProp(a);
        ++removed;
      }
      a = next;
    }
    for (xmlNodePtr c = n->children; c;) {
      xmlNodePtr next = c->next;
      if (c->type == XML_ELEMENT_NODE) {
        if (c->ns && !Declares(XmlChars(c->ns->href))) {
          xmlUnlinkNode(c);
          xmlFreeNode(c);
          ++removed;
        } else {
          pending.push_back(c);
        }
      }
      c = next;
    }
  }
  return removed;
}

}  // namespace causeway::soap
