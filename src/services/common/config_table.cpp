#include "services/common/config_table.h"

namespace causeway::services {

core::Error ConfigError(const std::string& text, const std::string& target) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CONFIG", "001", text);
  e.target = target;
  return e;
}

core::Result<ConfigTable> ConfigTable::Open(const toml::node* node, std::string name, std::string target) {
  ConfigTable t;
  t.name_ = std::move(name);
  t.target_ = std::move(target);
  if (node) {
    t.table_ = node->as_table();
    if (!t.table_) return ConfigError(t.name_ + " must be a table", t.target_);
  }
  return t;
}

core::Result<ConfigTable> ConfigTable::Section(const toml::table& root, std::string_view key) {
  return Open(root.get(key), "[" + std::string(key) + "]", std::string(key));
}

core::Result<std::vector<ConfigTable>> ConfigTable::Array(const toml::table& root, std::string_view key) {
  std::vector<ConfigTable> out;
  const toml::node* node = root.get(key);
  if (!node) return out;
  const std::string name = "[[" + std::string(key) + "]]";
  const toml::array* items = node->as_array();
  if (!items) return ConfigError(name + " must be an array of tables", std::string(key));
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string target = std::string(key) + "[" + std::to_string(i) + "]";
    if (!(*items)[i].is_table()) return ConfigError(name + " entries must be tables", target);
    CW_ASSIGN_OR_RETURN(ConfigTable t, Open(&(*items)[i], name + " #" + std::to_string(i + 1), target));
    out.push_back(std::move(t));
  }
  return out;
}

core::Error ConfigTable::Error(std::string_view key, const std::string& what) const {
  return ConfigError(name_ + " " + std::string(key) + ": " + what, target_ + "." + std::string(key));
}

const toml::node* ConfigTable::Get(std::string_view key) {
  read_.emplace(key);
  return table_ ? table_->get(key) : nullptr;
}

core::Status ConfigTable::String(std::string_view key, std::string& out) {
  const toml::node* n = Get(key);
  if (!n) return core::Status::Ok();
  if (!n->is_string()) return Error(key, "must be a string");
  out = n->as_string()->get();
  return core::Status::Ok();
}

core::Status ConfigTable::Bool(std::string_view key, bool& out) {
  const toml::node* n = Get(key);
  if (!n) return core::Status::Ok();
  if (!n->is_boolean()) return Error(key, "must be true or false");
  out = n->as_boolean()->get();
  return core::Status::Ok();
}

core::Status ConfigTable::Bool(std::string_view key, std::optional<bool>& out) {
  if (!Has(key)) {
    read_.emplace(key);
    return core::Status::Ok();
  }
  bool value = false;
  CW_RETURN_IF_ERROR(Bool(key, value));
  out = value;
  return core::Status::Ok();
}

core::Status ConfigTable::Int(std::string_view key, int64_t min, int64_t max, int64_t& out) {
  const toml::node* n = Get(key);
  if (!n) return core::Status::Ok();
  if (!n->is_integer() || n->as_integer()->get() < min || n->as_integer()->get() > max)
    return Error(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  out = n->as_integer()->get();
  return core::Status::Ok();
}

core::Status ConfigTable::Strings(std::string_view key, std::vector<std::string>& out) {
  const toml::node* n = Get(key);
  if (!n) return core::Status::Ok();
  const toml::array* a = n->as_array();
  if (!a) return Error(key, "must be an array of strings");
  std::vector<std::string> values;
  for (const auto& e : *a) {
    if (!e.is_string()) return Error(key, "must be an array of strings");
    values.push_back(e.as_string()->get());
  }
  out = std::move(values);
  return core::Status::Ok();
}

void ConfigTable::Known(std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) read_.emplace(k);
}

core::Status ConfigTable::Done() const {
  if (!table_) return core::Status::Ok();
  for (const auto& [key, value] : *table_)
    if (!read_.count(key.str())) return Error(key.str(), "is not a known setting");
  return core::Status::Ok();
}

}  // namespace causeway::services
