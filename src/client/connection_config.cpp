#include "client/connection_config.h"

#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "client/duration_flag.h"

namespace causeway::client {

namespace {

core::Error Usage(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CLIENT", "", std::move(text));
}

struct FileSettings {
  std::string url, user, password, client_cert, client_key, ca_bundle, sap_client;
  std::string connect_timeout, request_timeout;
  bool insecure = false;
};

std::string DefaultConfigPath(const EnvLookup& env) {
  std::string dir;
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    dir = *xdg;
  } else if (auto home = env("HOME"); home && !home->empty()) {
    dir = *home + "/.config";
  } else {
    return "";
  }
  return dir + "/causeway/client.toml";
}

core::Result<FileSettings> LoadConfigFile(const std::string& path, bool explicit_path) {
  FileSettings out;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (!explicit_path) return out;  // the default file is optional
    return Usage("config file " + path + " not found");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Usage("config file " + path + " has mode " + mode +
                 "; it may hold a password and must not be readable by others: chmod 600 " + path);
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Usage("config file " + path + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    std::string k(key.str());
    auto text = [&](std::string& target) -> core::Status {
      if (auto s = node.value<std::string>()) {
        target = *s;
      } else if (auto i = node.value<int64_t>()) {
        target = std::to_string(*i);
      } else {
        return Usage("config file " + path + ": '" + k + "' must be a string");
      }
      return core::Status::Ok();
    };
    core::Status st_key = core::Status::Ok();
    if (k == "url") st_key = text(out.url);
    else if (k == "user") st_key = text(out.user);
    else if (k == "password") st_key = text(out.password);
    else if (k == "client_cert") st_key = text(out.client_cert);
    else if (k == "client_key") st_key = text(out.client_key);
    else if (k == "ca_bundle") st_key = text(out.ca_bundle);
    else if (k == "sap_client") st_key = text(out.sap_client);
    else if (k == "connect_timeout") st_key = text(out.connect_timeout);
    else if (k == "request_timeout") st_key = text(out.request_timeout);
    else if (k == "insecure") {
      auto b = node.value<bool>();
      if (!b) return Usage("config file " + path + ": 'insecure' must be true or false");
      out.insecure = *b;
    } else {
      return Usage("config file " + path + ": unknown key '" + k + "'");
    }
    CW_RETURN_IF_ERROR(st_key);
  }
  return out;
}

// flag, else env, else file.
std::string Pick(const std::string& flag, const EnvLookup& env, const char* env_name,
                 const std::string& file) {
  if (!flag.empty()) return flag;
  if (auto v = env(env_name); v && !v->empty()) return *v;
  return file;
}

}  // namespace

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

core::Result<Connection> ResolveConnection(const ConnectionFlags& flags, const EnvLookup& env) {
  std::string path = flags.config_file;
  bool explicit_path = !path.empty();
  if (!explicit_path) {
    if (auto v = env("CAUSEWAY_CONFIG"); v && !v->empty()) {
      path = *v;
      explicit_path = true;
    } else {
      path = DefaultConfigPath(env);
    }
  }
  FileSettings file;
  if (!path.empty()) {
    CW_ASSIGN_OR_RETURN(file, LoadConfigFile(path, explicit_path));
  }

  Connection c;
  c.url = Pick(flags.url, env, "CAUSEWAY_URL", file.url);
  c.http.user = Pick(flags.user, env, "CAUSEWAY_USER", file.user);
  c.http.password = Pick(flags.password, env, "CAUSEWAY_PASSWORD", file.password);
  c.http.client_cert = Pick(flags.client_cert, env, "CAUSEWAY_CLIENT_CERT", file.client_cert);
  c.http.client_key = Pick(flags.client_key, env, "CAUSEWAY_CLIENT_KEY", file.client_key);
  c.http.ca_bundle = Pick(flags.ca_bundle, env, "CAUSEWAY_CA_BUNDLE", file.ca_bundle);
  c.http.insecure = flags.insecure || file.insecure;
  std::string sap_client = Pick(flags.sap_client, env, "CAUSEWAY_SAP_CLIENT", file.sap_client);
  std::string connect_timeout = flags.connect_timeout.empty() ? file.connect_timeout
                                                              : flags.connect_timeout;
  std::string request_timeout = flags.request_timeout.empty() ? file.request_timeout
                                                              : flags.request_timeout;
  if (!connect_timeout.empty()) {
    CW_ASSIGN_OR_RETURN(c.http.connect_timeout, ParseDuration(connect_timeout));
  }
  if (!request_timeout.empty()) {
    CW_ASSIGN_OR_RETURN(c.http.request_timeout, ParseDuration(request_timeout));
  }
  // libcurl reads 0 as "no timeout at all": a hanging server would hold the client forever.
  if (c.http.request_timeout.count() <= 0) return Usage("request timeout: must be > 0");
  if (c.http.connect_timeout.count() <= 0) return Usage("connect timeout: must be > 0");

  if (c.url.empty()) {
    return Usage("no service URL: use --url, CAUSEWAY_URL or 'url' in the config file");
  }
  bool https = c.url.starts_with("https://");
  if (!https && !c.url.starts_with("http://")) {
    return Usage("service URL must start with https:// or http://");
  }
  std::string_view authority = std::string_view(c.url).substr(c.url.find("//") + 2);
  authority = authority.substr(0, authority.find('/'));
  if (authority.find('@') != std::string_view::npos) {
    return Usage("service URL must not contain credentials; use --logon-user and CAUSEWAY_PASSWORD");
  }
  // A file named but not readable is a mistake in the job definition (2), not a TLS failure
  // the scheduler should rerun (7).
  for (const auto& [what, named] : {std::pair<const char*, const std::string&>{"CA bundle", c.http.ca_bundle},
                                    {"client certificate", c.http.client_cert},
                                    {"client key", c.http.client_key}}) {
    if (!named.empty() && ::access(named.c_str(), R_OK) != 0)
      return Usage(std::string(what) + " " + named + ": " + std::strerror(errno));
  }
  if (c.http.client_cert.empty() && (c.http.user.empty() || c.http.password.empty())) {
    return Usage("no credentials: give a user and password (CAUSEWAY_USER, CAUSEWAY_PASSWORD) "
                 "or a client certificate (--client-cert)");
  }
  if (!flags.password.empty()) {
    c.warnings.push_back("warning: a password on the command line is visible to other local users "
                         "(ps, shell history); prefer CAUSEWAY_PASSWORD or a 0600 config file");
  }
  if (!https && !c.http.password.empty()) {
    c.warnings.push_back("warning: sending a password over plain http://");
  }
  if (c.http.insecure) {
    c.warnings.push_back("warning: --insecure: the server's TLS certificate is not verified");
  }
  if (!sap_client.empty()) c.extra_query.emplace_back("sap-client", sap_client);
  if (flags.disable_saml) c.extra_query.emplace_back("saml2", "disabled");
  return c;
}

}  // namespace causeway::client
