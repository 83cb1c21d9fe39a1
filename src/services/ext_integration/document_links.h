// Download links of documents and attachments, in the two shapes of the guide's appendix 5.1,
// each signed with a key only Causeway holds and valid until an expiry:
//
//   <base>/sap/bc/solman/SolmanDocuments/<client>?_CLASS=SOLARGEN&_LOIO=<id>&LANGUAGE=EN
//       &RELEASE=620&IWB_INDUSTRY=/KWCUST/&TMP_IWB_TRY_OTHER_LANG=X&TMP_IWB_TRY_OTHER_IND=X
//       &TMP_IWB_TASK=PREVIEW2&expiration=<YYYYMMDDhhmmss>&secKey=<signature>
//   <base>/sap/bc/contentserver/<client>?get&pVersion=0046&contRep=CRMORDER&docId=<id>
//       &compId=<file>&accessMode=r&authId=CN%3D<SID>&expiration=<YYYYMMDDhhmmss>&secKey=<signature>
//
// The signature is HMAC-SHA256 (base64, percent-encoded) over the lower-cased path and every
// query parameter before secKey, percent-decoded, in order: changing any of them (the id, the
// expiry, the client) invalidates it; a client re-encoding the query does not.
// Thread-safe (const).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/crypto.h"
#include "services/ext_integration/push_payload.h"

namespace causeway::services::ext_integration {

inline constexpr std::string_view kDocumentsPath = "/sap/bc/solman/SolmanDocuments/";
inline constexpr std::string_view kContentServerPath = "/sap/bc/contentserver/";

class DocumentLinks {
 public:
  // `key`: the signing key (any length); `validity`: how long a link is valid after it was
  // made; `system_id`: the SID in the content-server link's authId.
  DocumentLinks(std::string_view key, std::chrono::seconds validity, std::string system_id);

  // The absolute link of `spec` under `base` ("https://host:port"), expiring `validity` after `now`.
  std::string Make(const LinkSpec& spec, std::string_view base, std::string_view client, core::SystemTime now) const;

  enum class State { kValid, kExpired, kInvalid };
  struct Verdict {
    State state = State::kInvalid;
    bool attachment = false;
    std::string id;      // the LOIO / docId the link names (valid and expired links)
    std::string reason;  // kInvalid / kExpired: why, for the refusal's text
  };
  // Checks a request's path and raw query (what the external tool sends back).
  Verdict Check(std::string_view path, std::string_view raw_query, core::SystemTime now) const;

  std::chrono::seconds validity() const { return validity_; }

 private:
  std::string Signature(std::string_view path, std::string_view raw_query_without_key) const;

  core::HmacSha256Signer signer_;
  std::chrono::seconds validity_;
  std::string system_id_;
};


}  // namespace causeway::services::ext_integration
