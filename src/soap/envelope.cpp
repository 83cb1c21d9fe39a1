#include "soap/envelope.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace causeway::soap {
namespace {

core::Error SoapError(const char* number, std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/SOAP", number, std::move(text));
}

struct ParseState {
  const ParseLimits* limits = nullptr;
  bool doctype = false;
  size_t elements = 0;
  int depth = 0;
  std::string over_limit;  // why the parse stopped at a shape limit, or ""
};

// SAX hook: the parser reports <!DOCTYPE …> before it reads any declaration inside it; stopping
// here means no entity is ever declared, let alone expanded or fetched.
void RefuseDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  static_cast<ParseState*>(ctxt->_private)->doctype = true;
  xmlStopParser(ctxt);
}

// SAX hooks around libxml2's tree builder: element count and depth are checked as each element
// starts, so a body of many small elements stops at the limit instead of first building a tree
// of them all (16 MiB of "<a/>" were half a gigabyte of nodes before a check after the parse).
void CountedStartElement(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                         int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int nb_defaulted,
                         const xmlChar** attributes) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  auto* state = static_cast<ParseState*>(ctxt->_private);
  if (state != nullptr && state->limits != nullptr) {
    ++state->elements;
    ++state->depth;
    if (state->elements > state->limits->max_elements)
      state->over_limit = "more than " + std::to_string(state->limits->max_elements) + " elements";
    else if (state->depth > state->limits->max_depth)
      state->over_limit = "elements nested deeper than " + std::to_string(state->limits->max_depth) + " levels";
    if (!state->over_limit.empty()) {
      xmlStopParser(ctxt);
      return;
    }
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
                        attributes);
}

void CountedEndElement(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  if (auto* state = static_cast<ParseState*>(ctxt->_private)) --state->depth;
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

// Silences libxml2's default of printing errors to stderr; the error is read from the context.
void IgnoreStructuredError(void*, xmlErrorPtr) {}

// Above this many names and short texts in its dictionary, a thread's parser context is dropped
// after the parse (a new one comes with the next): envelopes of one service repeat a few hundred
// names, hostile ones could add new ones without end.
constexpr int kMaxDictEntries = 20'000;

// One parser context per thread, reused for every document it parses: a fresh one (its
// dictionary, SAX handler, input and node stacks) per request was allocated and freed again,
// and every element name of every request entered a new dictionary. Documents share the
// context's dictionary (reference counted), so they may outlive the context.
class ThreadParser {
 public:
  ~ThreadParser() { Drop(); }
  xmlParserCtxtPtr Get() {
    if (!ctxt_) {
      ctxt_ = xmlNewParserCtxt();
      if (ctxt_) {
        ctxt_->sax->internalSubset = RefuseDoctype;
        ctxt_->sax->serror = IgnoreStructuredError;
        ctxt_->sax->startElementNs = CountedStartElement;
        ctxt_->sax->endElementNs = CountedEndElement;
      }
    }
    return ctxt_;
  }
  // After a parse: the input (libxml2's copy of the whole text) is freed at once, not kept
  // until the thread's next parse (a 12 MiB body on each of 32 worker threads would stay).
  void Release() {
    if (!ctxt_) return;
    xmlCtxtReset(ctxt_);
    if (ctxt_->dict == nullptr || xmlDictSize(ctxt_->dict) > kMaxDictEntries) Drop();
  }

 private:
  void Drop() {
    if (ctxt_) xmlFreeParserCtxt(ctxt_);
    ctxt_ = nullptr;
  }
  xmlParserCtxtPtr ctxt_ = nullptr;
};

thread_local ThreadParser thread_parser;

// The most attributes any start tag of `text` has, counted as '=' outside quoted values, or
// more than `limit` as soon as one tag passes it. Comments, CDATA sections and processing
// instructions are skipped; a DOCTYPE is left to the parser, which refuses it. Linear, so it
// runs before libxml2 sees the text: libxml2 spends time quadratic in a tag's attributes before
// any of its hooks could stop it.
size_t MostAttributes(std::string_view text, size_t limit) {
  size_t most = 0;
  size_t i = 0;
  auto skip_to = [&](std::string_view end) {
    size_t e = text.find(end, i);
    i = e == std::string_view::npos ? text.size() : e + end.size();
  };
  while (i < text.size()) {
    const void* lt = std::memchr(text.data() + i, '<', text.size() - i);
    if (!lt) break;
    i = static_cast<size_t>(static_cast<const char*>(lt) - text.data()) + 1;
    std::string_view rest = text.substr(i);
    if (rest.starts_with("!--")) {
      skip_to("-->");
    } else if (rest.starts_with("![CDATA[")) {
      skip_to("]]>");
    } else if (rest.starts_with("?")) {
      skip_to("?>");
    } else if (rest.starts_with("!") || rest.starts_with("/")) {
      continue;
    } else {
      size_t count = 0;
      char quote = 0;
      for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '=') {
          if (++count > limit) return count;
        } else if (c == '>') {
          break;
        }
      }
      most = std::max(most, count);
    }
  }
  return most;
}

}  // namespace

void EnsureLibxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    // Per-thread default handlers would print to stderr; the engine reads errors from contexts.
    xmlSetStructuredErrorFunc(nullptr, IgnoreStructuredError);
  });
}

XmlDocument::XmlDocument(_xmlDoc* doc) : doc_(doc) {}
XmlDocument::~XmlDocument() {
  if (doc_) xmlFreeDoc(doc_);
}
XmlDocument& XmlDocument::operator=(XmlDocument&& o) noexcept {
  if (this != &o) {
    if (doc_) xmlFreeDoc(doc_);
    doc_ = o.doc_;
    o.doc_ = nullptr;
  }
  return *this;
}
XmlElement XmlDocument::Root() const { return XmlElement(doc_ ? xmlDocGetRootElement(doc_) : nullptr); }

core::Result<XmlDocument> ParseXml(std::string_view text, const ParseLimits& limits) {
  EnsureLibxml();
  if (text.size() > limits.max_bytes)
    return SoapError("003", "The request has " + std::to_string(text.size()) + " bytes; at most " +
                                std::to_string(limits.max_bytes) + " are accepted");
  if (text.size() > static_cast<size_t>(INT32_MAX)) return SoapError("003", "The request is too large");
  if (MostAttributes(text, limits.max_attributes) > limits.max_attributes)
    return SoapError(
        "004", "The request has an element with more than " + std::to_string(limits.max_attributes) + " attributes");
  xmlParserCtxtPtr ctxt = thread_parser.Get();
  if (!ctxt) return core::MakeError(core::Code::kInternal, "CAUSEWAY/SOAP", "009", "Out of memory");
  ParseState state;
  state.limits = &limits;
  ctxt->_private = &state;
  // Never XML_PARSE_NOENT (entity substitution), XML_PARSE_DTDLOAD/DTDATTR/DTDVALID,
  // XML_PARSE_XINCLUDE or XML_PARSE_HUGE. XML_PARSE_COMPACT keeps text shorter than two
  // pointers (codes, indicators, numbers: most of an A2X request's values) inside its node
  // instead of a block of its own; the tree reads the same.
  const int options =
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, text.data(), static_cast<int>(text.size()), nullptr, nullptr, options);
  std::string parse_error;
  if (!doc || !ctxt->wellFormed) {
    if (const xmlError* e = xmlCtxtGetLastError(ctxt); e && e->message) {
      std::string_view msg = e->message;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.remove_suffix(1);
      parse_error = std::string(msg) + " (line " + std::to_string(e->line) + ")";
    }
  }
  const bool well_formed = doc && ctxt->wellFormed;
  ctxt->_private = nullptr;
  thread_parser.Release();
  XmlDocument owned(doc);
  if (state.doctype) return SoapError("002", "A document type declaration (DOCTYPE) is not allowed");
  if (!state.over_limit.empty()) return SoapError("004", "The request has " + state.over_limit);
  if (!well_formed) return SoapError("001", "The request is not well-formed XML: " + (parse_error.empty() ? "no document" : parse_error));
  return owned;
}

core::Result<Envelope> ParseEnvelope(std::string_view text, const ParseLimits& limits) {
  CW_ASSIGN_OR_RETURN(XmlDocument doc, ParseXml(text, limits));
  Envelope env;
  XmlElement root = doc.Root();
  if (root.LocalName() != "Envelope")
    return SoapError("005", "The root element " + std::string(root.LocalName()) + " is not a SOAP Envelope");
  std::string_view ns = root.Namespace();
  if (ns == kSoap11Namespace) env.version = SoapVersion::k11;
  else if (ns == kSoap12Namespace) env.version = SoapVersion::k12;
  else return SoapError("006", "Envelope namespace '" + std::string(ns) + "' is neither SOAP 1.1 nor SOAP 1.2");
  XmlElement body;
  for (XmlElement c : root.Children()) {
    if (c.Namespace() != ns) continue;  // foreign elements around Header/Body are tolerated
    if (c.LocalName() == "Header" && !env.header && !body) {
      env.header = c;
    } else if (c.LocalName() == "Body") {
      // One Body (SOAP 1.1 §4.3, 1.2 part 1 §5): which of two a receiver reads is a guess, and
      // an intermediary may have checked the other.
      if (body) return SoapError("007", "The SOAP envelope has more than one Body");
      body = c;
    }
  }
  if (!body) return SoapError("007", "The SOAP envelope has no Body");
  XmlElement first = body.FirstChild();
  if (!first || first.Next()) return SoapError("008", "The SOAP Body must contain exactly one element");
  env.payload = first;
  env.doc = std::move(doc);
  return env;
}

}  // namespace causeway::soap
