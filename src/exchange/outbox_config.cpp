#include "exchange/outbox_config.h"

#include <cstdlib>
#include <functional>
#include <map>

namespace causeway::exchange {
namespace {

// Every problem found, in order; the first becomes the error, all of them its details.
class Problems {
 public:
  void Add(std::string number, std::string target, std::string text) {
    items_.push_back({std::move(number), std::move(target), std::move(text)});
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }

  core::Error ToError() const {
    const Item& first = items_.front();
    core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", first.number,
                                    first.target + ": " + first.text);
    e.target = first.target;
    if (items_.size() > 1) e.text += " (and " + std::to_string(items_.size() - 1) + " more)";
    for (const Item& i : items_) {
      e.details.push_back({"CAUSEWAY/EXCHANGE/" + i.number, i.target + ": " + i.text, i.target,
                           core::Severity::kError});
    }
    return e;
  }

 private:
  struct Item {
    std::string number, target, text;
  };
  std::vector<Item> items_;
};

using Reader = std::function<void(const toml::node&, const std::string& target)>;

// Readers that check a node's type and range and store it, or report the field.
struct Fields {
  Problems& problems;
  std::string number = "001";

  Reader String(std::string* out) const {
    return [this, out](const toml::node& n, const std::string& target) {
      if (const auto* s = n.as_string()) *out = s->get();
      else problems.Add(number, target, "must be a string");
    };
  }
  Reader Bool(bool* out) const {
    return [this, out](const toml::node& n, const std::string& target) {
      if (const auto* b = n.as_boolean()) *out = b->get();
      else problems.Add(number, target, "must be true or false");
    };
  }
  Reader Integer(std::function<void(int64_t)> store, int64_t min, int64_t max) const {
    return [this, store = std::move(store), min, max](const toml::node& n, const std::string& target) {
      const auto* i = n.as_integer();
      if (!i) {
        problems.Add(number, target, "must be an integer");
      } else if (i->get() < min || i->get() > max) {
        problems.Add(number, target, "must lie between " + std::to_string(min) + " and " + std::to_string(max));
      } else {
        store(i->get());
      }
    };
  }
  Reader Millis(std::chrono::milliseconds* out, int64_t unit_ms, int64_t min, int64_t max) const {
    return Integer([out, unit_ms](int64_t v) { *out = std::chrono::milliseconds(v * unit_ms); }, min, max);
  }
  Reader Number(double* out) const {
    return [this, out](const toml::node& n, const std::string& target) {
      if (const auto* f = n.as_floating_point()) *out = f->get();
      else if (const auto* i = n.as_integer()) *out = static_cast<double>(i->get());
      else problems.Add(number, target, "must be a number");
    };
  }
};

void ReadTable(const toml::table& table, const std::string& prefix, const std::map<std::string, Reader>& readers,
               Problems& problems, const std::string& number) {
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    auto it = readers.find(name);
    if (it == readers.end()) {
      std::string known;
      for (const auto& [k, r] : readers) known += (known.empty() ? "" : ", ") + k;
      problems.Add(number, prefix + name, "unknown field (known: " + known + ")");
      continue;
    }
    it->second(node, prefix + name);
  }
}

std::string ResolvePath(const std::string& path, const std::filesystem::path& base_dir) {
  if (path.empty() || base_dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (base_dir / path).string();
}

// ValidateDestination names the struct's fields; the file names some with their unit.
std::string ConfigFieldName(const std::string& field) {
  static const std::map<std::string, std::string> kRenamed = {
      {"connect_timeout", "connect_timeout_ms"}, {"total_timeout", "total_timeout_ms"},
      {"retry.initial", "retry.initial_ms"},     {"retry.max_delay", "retry.max_delay_ms"},
      {"retry.max_age", "retry.max_age_s"},
  };
  auto it = kRenamed.find(field);
  return it == kRenamed.end() ? field : it->second;
}

void ParseRetry(const toml::node& node, const std::string& prefix, BackoffPolicy& retry, Problems& problems) {
  const toml::table* t = node.as_table();
  if (!t) {
    problems.Add("003", prefix.substr(0, prefix.size() - 1), "must be a table");
    return;
  }
  Fields f{problems, "003"};
  const int64_t kDay = 24 * 3600;
  std::map<std::string, Reader> readers = {
      {"initial_ms", f.Millis(&retry.initial, 1, 1, kDay * 1000)},
      {"max_delay_ms", f.Millis(&retry.max_delay, 1, 1, 30 * kDay * 1000)},
      {"multiplier", f.Number(&retry.multiplier)},
      {"jitter",
       [&problems, &retry](const toml::node& n, const std::string& target) {
         const auto* s = n.as_string();
         if (s && s->get() == "none") retry.jitter = Jitter::kNone;
         else if (s && s->get() == "full") retry.jitter = Jitter::kFull;
         else if (s && s->get() == "decorrelated") retry.jitter = Jitter::kDecorrelated;
         else problems.Add("003", target, "must be \"none\", \"full\" or \"decorrelated\"");
       }},
      {"max_attempts", f.Integer([&retry](int64_t v) { retry.max_attempts = static_cast<int>(v); }, 0, 1'000'000)},
      {"max_age_s", f.Millis(&retry.max_age, 1000, 0, 365 * kDay)},
  };
  ReadTable(*t, prefix, readers, problems, "003");
}

void ParseOne(const std::string& name, const toml::node& node, const std::string& prefix,
              const std::filesystem::path& base_dir, std::vector<Destination>& out, Problems& problems) {
  const toml::table* t = node.as_table();
  if (!t) {
    problems.Add("001", prefix + name, "must be a table of destination fields");
    return;
  }
  const size_t before = problems.size();
  Destination d;
  d.name = name;
  std::string password, password_env;
  bool password_set = false;
  Fields f{problems};
  int64_t max_answer = static_cast<int64_t>(d.max_answer_bytes);
  std::map<std::string, Reader> readers = {
      {"base_url", f.String(&d.base_url)},
      {"user", f.String(&d.user)},
      {"password",
       [&](const toml::node& n, const std::string& target) {
         f.String(&password)(n, target);
         password_set = true;
       }},
      {"password_env", f.String(&password_env)},
      {"ca_file", f.String(&d.ca_file)},
      {"client_cert", f.String(&d.client_cert)},
      {"client_key", f.String(&d.client_key)},
      {"insecure", f.Bool(&d.insecure)},
      {"connect_timeout_ms", f.Millis(&d.connect_timeout, 1, 1, 3'600'000)},
      {"total_timeout_ms", f.Millis(&d.total_timeout, 1, 1, 24 * 3'600'000)},
      {"max_concurrent", f.Integer([&d](int64_t v) { d.max_concurrent = static_cast<int>(v); }, 1, 4096)},
      {"headers",
       [&](const toml::node& n, const std::string& target) {
         const toml::table* h = n.as_table();
         if (!h) {
           problems.Add("001", target, "must be a table of header names and values");
           return;
         }
         for (const auto& [k, v] : *h) {
           if (const auto* s = v.as_string()) d.headers.Add(std::string(k.str()), s->get());
           else problems.Add("001", target + "." + std::string(k.str()), "must be a string");
         }
       }},
      {"follow_redirects", f.Bool(&d.follow_redirects)},
      {"max_redirects", f.Integer([&d](int64_t v) { d.max_redirects = static_cast<int>(v); }, 1, 20)},
      {"max_answer_bytes", f.Integer([&max_answer](int64_t v) { max_answer = v; }, 1, int64_t{1} << 30)},
      {"keep_cookies", f.Bool(&d.keep_cookies)},
      {"idempotency_header", f.String(&d.idempotency_header)},
      {"retry", [&](const toml::node& n, const std::string& target) { ParseRetry(n, target + ".", d.retry, problems); }},
  };
  const std::string field_prefix = prefix + name + ".";
  ReadTable(*t, field_prefix, readers, problems, "001");
  d.max_answer_bytes = static_cast<size_t>(max_answer);
  if (password_set && !password_env.empty()) {
    problems.Add("001", field_prefix + "password_env", "set either password or password_env, not both");
  } else if (!password_env.empty()) {
    const char* value = std::getenv(password_env.c_str());
    if (!value) problems.Add("001", field_prefix + "password_env", "environment variable " + password_env + " is not set");
    else password = value;
  }
  d.password = Secret(std::move(password));
  d.ca_file = ResolvePath(d.ca_file, base_dir);
  d.client_cert = ResolvePath(d.client_cert, base_dir);
  d.client_key = ResolvePath(d.client_key, base_dir);
  if (problems.size() != before) return;  // ranges are checked once the types are right
  core::Status valid = ValidateDestination(d);
  if (!valid.ok()) {
    const core::Error& e = valid.error();
    std::string text = e.text;
    // "Destination base_url: is empty" → "is empty": the target says which field.
    if (size_t colon = text.find(": "); text.starts_with("Destination ") && colon != std::string::npos) {
      text = text.substr(colon + 2);
    }
    problems.Add(e.message_number, field_prefix + ConfigFieldName(e.target), text);
    return;
  }
  out.push_back(std::move(d));
}

core::Result<std::vector<Destination>> Parse(const toml::table& destinations, const std::string& prefix,
                                             const std::filesystem::path& base_dir, Problems& problems) {
  std::vector<Destination> out;
  for (const auto& [key, node] : destinations) ParseOne(std::string(key.str()), node, prefix, base_dir, out, problems);
  if (!problems.empty()) return problems.ToError();
  return out;
}

}  // namespace

core::Result<std::vector<Destination>> ParseDestinations(const toml::table& destinations,
                                                         const std::filesystem::path& base_dir) {
  Problems problems;
  return Parse(destinations, "", base_dir, problems);
}

core::Result<OutboxOptions> ParseOutboxConfig(const toml::table& outbox, const std::filesystem::path& base_dir) {
  Problems problems;
  OutboxOptions o;
  Fields f{problems, "004"};
  const toml::table* destinations = nullptr;
  const int64_t kYearS = 365 * 24 * 3600;
  std::map<std::string, Reader> readers = {
      {"node_id", f.String(&o.node_id)},
      {"retention_h", f.Millis(&o.retention, 3'600'000, 1, 24 * 3650)},
      {"lease_s", f.Millis(&o.lease, 1000, 1, kYearS)},
      {"lease_sweep_s", f.Millis(&o.lease_sweep_interval, 1000, 1, kYearS)},
      {"claim_poll_ms", f.Millis(&o.claim_poll_interval, 1, 10, 3'600'000)},
      {"prune_interval_s", f.Millis(&o.prune_interval, 1000, 1, kYearS)},
      {"stop_timeout_s", f.Millis(&o.stop_timeout, 1000, 0, 3600)},
      {"destinations",
       [&](const toml::node& n, const std::string& target) {
         destinations = n.as_table();
         if (!destinations) problems.Add("001", target, "must be a table of destinations");
       }},
  };
  ReadTable(outbox, "outbox.", readers, problems, "004");
  if (o.node_id.empty()) problems.Add("004", "outbox.node_id", "must not be empty");
  if (destinations) {
    auto parsed = Parse(*destinations, "outbox.destinations.", base_dir, problems);
    if (parsed.ok()) o.destinations = std::move(parsed).value();
  }
  if (!problems.empty()) return problems.ToError();
  return o;
}

}  // namespace causeway::exchange
