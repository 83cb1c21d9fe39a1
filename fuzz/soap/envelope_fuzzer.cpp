// Feeds arbitrary bytes to the SOAP envelope parser, then walks, strips and validates whatever
// payload it yields against a small A2X-shaped schema set. Invariants beyond "no crash": a
// parsed envelope always has a payload element, and stripping foreign content twice removes
// nothing the second time.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "soap/envelope.h"
#include "soap/schema_set.h"
#include "soap/testing/echo_wsdl.h"

namespace {

using causeway::soap::XmlElement;

size_t Walk(XmlElement e, int depth) {
  size_t n = 1;
  (void)e.Text();
  (void)e.Attribute("actionCode");
  if (depth < 100)
    for (XmlElement c : e.Children()) n += Walk(c, depth + 1);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto schemas = causeway::soap::SchemaSet::FromWsdl(causeway::soap::testing::kEchoWsdl);
  if (!schemas.ok()) std::abort();
  causeway::soap::ParseLimits limits;
  limits.max_bytes = 64 * 1024;
  auto env = causeway::soap::ParseEnvelope(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!env.ok()) return 0;
  if (!env->payload) std::abort();
  Walk(env->payload, 0);
  (*schemas)->StripForeign(env->payload);
  if ((*schemas)->StripForeign(env->payload) != 0) std::abort();
  (void)(*schemas)->Validate(env->payload);
  return 0;
}
