#include "app/self_signed.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace causeway::app {
namespace {

core::Error TlsError(const char* what) {
  return core::MakeError(core::Code::kInternal, "CAUSEWAY/TLS", "001", std::string("self-signed certificate: ") + what);
}

}  // namespace

core::Status EnsureSelfSignedCertificate(const std::filesystem::path& cert_file, const std::filesystem::path& key_file) {
  if (std::filesystem::exists(cert_file) && std::filesystem::exists(key_file)) return core::Status::Ok();
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return TlsError("key generation failed");
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Causeway demo"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  if (!san) return TlsError("subjectAltName");
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) return TlsError("signing failed");

  std::filesystem::create_directories(key_file.parent_path());
  FILE* kf = std::fopen(key_file.c_str(), "wb");
  if (!kf) return TlsError("cannot write key file");
  ::chmod(key_file.c_str(), 0600);
  bool ok = PEM_write_PrivateKey(kf, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(kf);
  FILE* cf = std::fopen(cert_file.c_str(), "wb");
  if (!cf) return TlsError("cannot write certificate file");
  ok = ok && PEM_write_X509(cf, cert.get()) == 1;
  std::fclose(cf);
  return ok ? core::Status::Ok() : TlsError("PEM write failed");
}

}  // namespace causeway::app
