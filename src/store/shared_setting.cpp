#include "store/shared_setting.h"

#include <optional>

namespace causeway::store {
namespace {

core::Result<std::optional<std::string>> Stored(Database& db, const std::string& select, const std::string& name) {
  std::optional<std::string> value;
  CW_RETURN_IF_ERROR(db.Read([&](Tx& tx) {
    value.reset();  // a read may run again
    return tx.Query(select, {Value(name)}, [&](const Row& r) { value = r.String(0); });
  }));
  return value;
}

}  // namespace

core::Result<std::string> SharedSetting(Database& db, std::string_view table, const std::string& name,
                                        const std::function<std::string()>& generate) {
  const std::string select = "SELECT value FROM " + std::string(table) + " WHERE name = ?";
  // Read first: at every start after the first, no write.
  CW_ASSIGN_OR_RETURN(std::optional<std::string> value, Stored(db, select, name));
  if (value) return *value;
  const std::string candidate = generate();
  CW_RETURN_IF_ERROR(db.Write([&](Tx& tx) {
    return tx.Exec("INSERT INTO " + std::string(table) + " (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                   {Value(name), Value(candidate)});
  }));
  CW_ASSIGN_OR_RETURN(value, Stored(db, select, name));
  if (!value) return StoreError(core::Code::kInternal, "013", "setting " + name + " is missing after it was stored");
  return *value;
}

}  // namespace causeway::store
