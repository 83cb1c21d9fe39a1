#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <future>
#include <sstream>
#include <thread>
#include <utility>

#include "core/ascii.h"
#include "security/password_hash.h"

namespace causeway::app {
namespace {

std::vector<std::string> Strings(const toml::node_view<const toml::node>& n) {
  std::vector<std::string> out;
  if (auto* arr = n.as_array())
    for (const auto& e : *arr)
      if (auto s = e.value<std::string>()) out.push_back(*s);
  return out;
}

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
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << file.string() << ":" << e.source().begin.line << ": " << e.description();
    return ConfigError(os.str());
  }
  Config c;
  c.data_dir = t["server"]["data_dir"].value_or(std::string("var"));
  if (c.data_dir.is_relative()) c.data_dir = file.parent_path() / c.data_dir;
  c.system_id = t["server"]["system_id"].value_or(c.system_id);
  c.default_client = t["server"]["default_client"].value_or(c.default_client);
  c.clients = Strings(std::as_const(t)["server"]["clients"]);
  c.node_id = t["server"]["node_id"].value_or(std::string());
  if (c.node_id.size() > 64 || c.node_id.find_first_of(" /\\\t\r\n") != std::string::npos)
    return ConfigError("[server] node_id must be at most 64 characters without spaces or slashes");
  for (const auto& client : c.clients)
    if (client.size() != 3 || client.find_first_not_of("0123456789") != std::string::npos)
      return ConfigError("[server] clients: '" + client + "' is not a three-digit client");
  if (c.default_client.size() != 3 || c.default_client.find_first_not_of("0123456789") != std::string::npos)
    return ConfigError("[server] default_client must be three digits");
  c.session_secret = t["server"]["session_secret"].value_or(std::string());
  c.log_level = t["server"]["log_level"].value_or(c.log_level);
  c.access_log = t["server"]["access_log"].value_or(c.access_log);
  {
    std::string why;
    if (!http::ParsePublicHost(t["server"]["public_host"].value_or(std::string()), c.public_host, why))
      return ConfigError("[server] public_host: " + why);
  }
  auto& s = c.server;
  s.io_threads = t["server"]["io_threads"].value_or(s.io_threads);
  s.worker_threads = t["server"]["worker_threads"].value_or(s.worker_threads);
  s.io_slice = std::chrono::microseconds(t["server"]["io_slice_us"].value_or(s.io_slice.count()));
  s.max_header_bytes = t["server"]["max_header_bytes"].value_or(s.max_header_bytes);
  s.max_body_bytes = t["server"]["max_body_bytes"].value_or(s.max_body_bytes);
  s.max_connections = t["server"]["max_connections"].value_or(s.max_connections);
  s.idle_timeout = std::chrono::milliseconds(t["server"]["idle_timeout_ms"].value_or(s.idle_timeout.count()));
  s.request_timeout = std::chrono::milliseconds(t["server"]["request_timeout_ms"].value_or(s.request_timeout.count()));
  c.generate_tls = t["server"]["generate_tls"].value_or(false);
  CW_ASSIGN_OR_RETURN(c.store, ParseStoreConfig(t));

  s.listeners.clear();
  if (auto* arr = t["listeners"].as_array()) {
    for (const auto& n : *arr) {
      const auto* l = n.as_table();
      if (!l) return ConfigError("[[listeners]] entries must be tables");
      http::ListenerOptions o;
      o.address = (*l)["address"].value_or(std::string("127.0.0.1"));
      o.port = static_cast<uint16_t>((*l)["port"].value_or(0));
      if ((*l)["tls"].value_or(false)) {
        http::TlsOptions tls;
        tls.cert_file = (*l)["cert_file"].value_or(std::string());
        tls.key_file = (*l)["key_file"].value_or(std::string());
        tls.client_ca_file = (*l)["client_ca_file"].value_or(std::string());
        tls.require_client_cert = (*l)["require_client_cert"].value_or(false);
        if ((tls.cert_file.empty() || tls.key_file.empty()) && !c.generate_tls)
          return ConfigError("TLS listener needs cert_file and key_file (or server.generate_tls = true)");
        o.tls = tls;
      }
      s.listeners.push_back(o);
    }
  }
  if (s.listeners.empty()) s.listeners.push_back({"127.0.0.1", 8080, std::nullopt});

  c.max_failed_logons = t["security"]["max_failed_logons"].value_or(c.max_failed_logons);
  c.sessions.idle_timeout = std::chrono::seconds(t["security"]["session_idle_timeout_s"].value_or(
      static_cast<int64_t>(c.sessions.idle_timeout.count())));
  c.sessions.absolute_timeout = std::chrono::seconds(t["security"]["session_absolute_timeout_s"].value_or(
      static_cast<int64_t>(c.sessions.absolute_timeout.count())));
  if (auto* sc = t["scenarios"].as_table())
    for (const auto& [name, services] : *sc) c.scenarios[std::string(name.str())] = Strings(toml::node_view<const toml::node>(services));

  std::vector<std::pair<size_t, std::string>> plaintext;  // (index in c.users, password)
  if (auto* arr = t["users"].as_array()) {
    for (const auto& n : *arr) {
      const auto* u = n.as_table();
      if (!u) return ConfigError("[[users]] entries must be tables");
      security::UserConfig uc;
      uc.name = (*u)["name"].value_or(std::string());
      if (uc.name.empty()) return ConfigError("a [[users]] entry has no name");
      std::string kind = (*u)["kind"].value_or(std::string("communication"));
      if (kind == "business") uc.kind = security::UserKind::kBusiness;
      else if (kind != "communication") return ConfigError("user " + uc.name + ": kind must be communication or business");
      if (auto h = (*u)["password_hash"].value<std::string>()) {
        if (!security::LooksLikePasswordHash(*h)) return ConfigError("user " + uc.name + ": malformed password_hash");
        uc.password_hash = *h;
      } else if (auto p = (*u)["password"].value<std::string>()) {
        plaintext.emplace_back(c.users.size(), std::move(*p));
      }
      uc.scenarios = Strings((*u)["scenarios"]);
      uc.services = Strings((*u)["services"]);
      uc.cert_subjects = Strings((*u)["cert_subjects"]);
      uc.cert_fingerprints = Strings((*u)["cert_fingerprints"]);
      uc.full_name = (*u)["full_name"].value_or(std::string());
      c.users.push_back(std::move(uc));
    }
  }
  HashPasswords(plaintext, c.users);
  c.root = std::move(t);
  c.config_dir = std::filesystem::absolute(file).parent_path();
  return c;
}

}  // namespace causeway::app
