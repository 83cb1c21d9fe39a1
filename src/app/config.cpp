#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <future>
#include <sstream>
#include <thread>
#include <utility>

#include "core/ascii.h"
#include "core/log.h"
#include "security/password_hash.h"
#include "services/common/config_table.h"

namespace causeway::app {
namespace {

// Plaintext passwords in the file are hashed at load (a UserConfig holds only the hash), each a
// deliberately slow PBKDF2 (~20-35 ms here): one after another they were most of the start-up
// time. Hashed side by side, as many at a time as there are cores.
void HashPasswords(const std::vector<std::pair<size_t, std::string>>& plaintext,
                   std::vector<security::UserConfig>& users) {
  const size_t width = std::max<size_t>(1, std::thread::hardware_concurrency());
  for (size_t first = 0; first < plaintext.size(); first += width) {
    const size_t last = std::min(plaintext.size(), first + width);
    std::vector<std::future<std::string>> hashes;
    for (size_t i = first + 1; i < last; ++i)
      hashes.push_back(std::async(std::launch::async, [&pw = plaintext[i].second] { return security::HashPassword(pw); }));
    users[plaintext[first].first].password_hash = security::HashPassword(plaintext[first].second);
    for (size_t i = first + 1; i < last; ++i) users[plaintext[i].first].password_hash = hashes[i - first - 1].get();
  }
}

}  // namespace

Config DemoConfig() {
  Config c;
  c.demo = true;
  c.generate_tls = true;
  http::ListenerOptions plain{"127.0.0.1", 8080, std::nullopt};
  http::ListenerOptions tls{"127.0.0.1", 8443, http::TlsOptions{}};
  c.server.listeners = {plain, tls};
  return c;
}

core::Result<Config> LoadConfig(const std::filesystem::path& file) {
  toml::table t;
  // toml++ reads a directory as an empty document: the server would then run on defaults.
  if (std::error_code ec; std::filesystem::is_directory(file, ec))
    return ConfigError(file.string() + ": is a directory, not a configuration file");
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << file.string() << ":" << e.source().begin.line << ": " << e.description();
    return ConfigError(os.str());
  }
  Config c;
  // [server] (module sections are read by the modules; serve checks the file has no others).
  CW_ASSIGN_OR_RETURN(services::ConfigTable server, services::ConfigTable::Section(t, "server"));
  std::string data_dir = "var", public_host;
  CW_RETURN_IF_ERROR(server.String("data_dir", data_dir));
  c.data_dir = data_dir;
  if (c.data_dir.is_relative()) c.data_dir = file.parent_path() / c.data_dir;
  CW_RETURN_IF_ERROR(server.String("system_id", c.system_id));
  CW_RETURN_IF_ERROR(server.String("default_client", c.default_client));
  CW_RETURN_IF_ERROR(server.Strings("clients", c.clients));
  CW_RETURN_IF_ERROR(server.String("node_id", c.node_id));
  if (c.node_id.size() > 64 || c.node_id.find_first_of(" /\\\t\r\n") != std::string::npos)
    return ConfigError("[server] node_id must be at most 64 characters without spaces or slashes");
  for (const auto& client : c.clients)
    if (client.size() != 3 || client.find_first_not_of("0123456789") != std::string::npos)
      return ConfigError("[server] clients: '" + client + "' is not a three-digit client");
  if (c.default_client.size() != 3 || c.default_client.find_first_not_of("0123456789") != std::string::npos)
    return ConfigError("[server] default_client must be three digits");
  if (!c.clients.empty() && std::find(c.clients.begin(), c.clients.end(), c.default_client) == c.clients.end())
    return ConfigError("[server] default_client " + c.default_client +
                       " is not one of clients: a logon without sap-client could never succeed");
  // It names the session cookie (SAP_SESSIONID_<SID>_<client>): SAP's three characters.
  auto letter = [](char ch) { return core::AsciiLower(ch) >= 'a' && core::AsciiLower(ch) <= 'z'; };
  if (c.system_id.size() != 3 || !letter(c.system_id[0]) ||
      !std::all_of(c.system_id.begin(), c.system_id.end(),
                   [&](char ch) { return letter(ch) || core::IsAsciiDigit(ch); }))
    return ConfigError("[server] system_id must be three letters or digits, the first a letter (e.g. CWY)");
  CW_RETURN_IF_ERROR(server.String("session_secret", c.session_secret));
  CW_RETURN_IF_ERROR(server.String("log_level", c.log_level));
  // spdlog turns every name it does not know into "off": a typo would silence the audit trail.
  c.log_level = core::ToLower(c.log_level);
  if (!core::IsLogLevel(c.log_level))
    return ConfigError("[server] log_level must be one of trace, debug, info, warn, error, critical, off");
  CW_RETURN_IF_ERROR(server.String("access_log", c.access_log));
  CW_RETURN_IF_ERROR(server.String("public_host", public_host));
  {
    std::string why;
    if (!http::ParsePublicHost(public_host, c.public_host, why)) return ConfigError("[server] public_host: " + why);
  }
  auto& s = c.server;
  int64_t io_slice_us = s.io_slice.count(), idle_ms = s.idle_timeout.count(), request_ms = s.request_timeout.count();
  CW_RETURN_IF_ERROR(server.Int("io_threads", s.io_threads, 1, 256));
  CW_RETURN_IF_ERROR(server.Int("worker_threads", s.worker_threads, 1, 4096));
  CW_RETURN_IF_ERROR(server.Int("io_slice_us", 0, 1'000'000, io_slice_us));
  CW_RETURN_IF_ERROR(server.Int("max_header_bytes", s.max_header_bytes, 1024, int64_t{1} << 24));
  CW_RETURN_IF_ERROR(server.Int("max_body_bytes", s.max_body_bytes, 0, int64_t{1} << 40));
  CW_RETURN_IF_ERROR(server.Int("max_connections", s.max_connections, 1, 1'000'000));
  CW_RETURN_IF_ERROR(server.Int("idle_timeout_ms", 1, int64_t{24} * 3600 * 1000, idle_ms));
  CW_RETURN_IF_ERROR(server.Int("request_timeout_ms", 1, int64_t{24} * 3600 * 1000, request_ms));
  s.io_slice = std::chrono::microseconds(io_slice_us);
  s.idle_timeout = std::chrono::milliseconds(idle_ms);
  s.request_timeout = std::chrono::milliseconds(request_ms);
  CW_RETURN_IF_ERROR(server.Bool("generate_tls", c.generate_tls));
  CW_RETURN_IF_ERROR(server.Done());
  CW_ASSIGN_OR_RETURN(c.store, ParseStoreConfig(t));

  s.listeners.clear();
  CW_ASSIGN_OR_RETURN(std::vector<services::ConfigTable> listeners, services::ConfigTable::Array(t, "listeners"));
  for (auto& l : listeners) {
    http::ListenerOptions o;
    o.address = "127.0.0.1";
    bool tls_on = false;
    CW_RETURN_IF_ERROR(l.String("address", o.address));
    CW_RETURN_IF_ERROR(l.Int("port", o.port));
    CW_RETURN_IF_ERROR(l.Bool("tls", tls_on));
    http::TlsOptions tls;
    CW_RETURN_IF_ERROR(l.String("cert_file", tls.cert_file));
    CW_RETURN_IF_ERROR(l.String("key_file", tls.key_file));
    CW_RETURN_IF_ERROR(l.String("client_ca_file", tls.client_ca_file));
    CW_RETURN_IF_ERROR(l.Bool("require_client_cert", tls.require_client_cert));
    CW_RETURN_IF_ERROR(l.Done());
    const std::string where = "[[listeners]] port " + std::to_string(o.port) + ": ";
    if (!tls_on &&
        (!tls.cert_file.empty() || !tls.key_file.empty() || !tls.client_ca_file.empty() || tls.require_client_cert))
      return ConfigError(where + "cert_file, key_file, client_ca_file and require_client_cert need tls = true");
    if (tls.require_client_cert && tls.client_ca_file.empty())
      return ConfigError(where +
                         "require_client_cert needs client_ca_file (the CA client certificates are checked against)");
    if (tls_on) {
      if ((tls.cert_file.empty() || tls.key_file.empty()) && !c.generate_tls)
        return ConfigError("TLS listener needs cert_file and key_file (or server.generate_tls = true)");
      o.tls = tls;
    }
    s.listeners.push_back(o);
  }
  if (s.listeners.empty()) s.listeners.push_back({"127.0.0.1", 8080, std::nullopt});

  CW_ASSIGN_OR_RETURN(services::ConfigTable security, services::ConfigTable::Section(t, "security"));
  int64_t idle_s = c.sessions.idle_timeout.count(), absolute_s = c.sessions.absolute_timeout.count();
  CW_RETURN_IF_ERROR(security.Int("max_failed_logons", c.max_failed_logons, 1, 1000));
  CW_RETURN_IF_ERROR(security.Int("session_idle_timeout_s", 1, int64_t{366} * 86400, idle_s));
  CW_RETURN_IF_ERROR(security.Int("session_absolute_timeout_s", 1, int64_t{366} * 86400, absolute_s));
  CW_RETURN_IF_ERROR(security.Done());
  c.sessions.idle_timeout = std::chrono::seconds(idle_s);
  c.sessions.absolute_timeout = std::chrono::seconds(absolute_s);

  CW_ASSIGN_OR_RETURN(services::ConfigTable scenarios, services::ConfigTable::Section(t, "scenarios"));
  if (scenarios.table())
    for (const auto& [name, services] : *scenarios.table())
      CW_RETURN_IF_ERROR(scenarios.Strings(name.str(), c.scenarios[std::string(name.str())]));

  std::vector<std::pair<size_t, std::string>> plaintext;  // (index in c.users, password)
  CW_ASSIGN_OR_RETURN(std::vector<services::ConfigTable> users, services::ConfigTable::Array(t, "users"));
  for (services::ConfigTable& u : users) {
    security::UserConfig uc;
    std::string kind = "communication", hash, password;
    CW_RETURN_IF_ERROR(u.String("name", uc.name));
    if (uc.name.empty()) return ConfigError("a [[users]] entry has no name");
    // User names are case-insensitive (SAP): a second entry would silently replace the first.
    for (const auto& other : c.users)
      if (core::IEquals(other.name, uc.name)) return ConfigError("user " + uc.name + " is configured twice", u.path());
    CW_RETURN_IF_ERROR(u.String("kind", kind));
    if (kind == "business")
      uc.kind = security::UserKind::kBusiness;
    else if (kind != "communication")
      return ConfigError("user " + uc.name + ": kind must be communication or business");
    CW_RETURN_IF_ERROR(u.String("password_hash", hash));
    CW_RETURN_IF_ERROR(u.String("password", password));
    if (u.Has("password_hash") && u.Has("password"))
      return ConfigError("user " + uc.name + ": give password or password_hash, not both", u.path());
    if (u.Has("password_hash")) {
      if (!security::LooksLikePasswordHash(hash)) return ConfigError("user " + uc.name + ": malformed password_hash");
      uc.password_hash = hash;
    } else if (u.Has("password")) {
      if (password.empty())
        return ConfigError(
            "user " + uc.name + ": password must not be empty (leave it out for a certificate-only user)", u.path());
      plaintext.emplace_back(c.users.size(), std::move(password));
    }
    CW_RETURN_IF_ERROR(u.Strings("scenarios", uc.scenarios));
    CW_RETURN_IF_ERROR(u.Strings("services", uc.services));
    CW_RETURN_IF_ERROR(u.Strings("cert_subjects", uc.cert_subjects));
    CW_RETURN_IF_ERROR(u.Strings("cert_fingerprints", uc.cert_fingerprints));
    // As `openssl x509 -fingerprint -sha256` prints them (AB:CD:…) or as plain hex.
    for (std::string& f : uc.cert_fingerprints) {
      std::erase(f, ':');
      if (f.size() != 64 || !std::all_of(f.begin(), f.end(), [](char ch) { return core::HexDigitValue(ch) >= 0; }))
        return ConfigError(
            "user " + uc.name + ": cert_fingerprints holds SHA-256 fingerprints (64 hex digits, colons allowed)",
            u.path());
    }
    CW_RETURN_IF_ERROR(u.String("full_name", uc.full_name));
    CW_RETURN_IF_ERROR(u.Done());
    c.users.push_back(std::move(uc));
  }
  HashPasswords(plaintext, c.users);
  c.root = std::move(t);
  c.config_dir = std::filesystem::absolute(file).parent_path();
  return c;
}

core::Status CheckSections(const toml::table& root, const std::vector<std::string>& module_sections) {
  std::vector<std::string> known = {"server", "listeners", "security", "scenarios", "users", "store"};
  known.insert(known.end(), module_sections.begin(), module_sections.end());
  for (const auto& [key, value] : root) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return ConfigError("[" + std::string(key.str()) + "] is not a section of causeway.toml (known: " + list + ")",
                       std::string(key.str()));
  }
  return core::Status::Ok();
}

}  // namespace causeway::app
