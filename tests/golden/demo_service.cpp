#include "demo_service.h"

#include <mutex>
#include <stdexcept>

#include "odata/errors.h"
#include "odata/literal.h"
#include "odata/query_memory.h"

namespace causeway::odata::demo {
namespace {

Entity Product(int64_t id, std::string name, std::string price, double rating, int64_t stock, int64_t released_ms,
               int64_t modified_ms, bool available, int64_t open_ms, std::string uid, Value thumb, std::string category) {
  Entity e;
  e.values = {Value(id),        Value(std::move(name)), Value(Decimal{std::move(price)}),
              Value(rating),    Value(stock),           Value(DateTime{released_ms}),
              Value(DateTimeOffset{modified_ms, 0}),    Value(available),
              Value(Time{open_ms}), Value(Guid{std::move(uid)}), std::move(thumb), Value(std::move(category))};
  return e;
}

class DemoService final : public Service {
 public:
  DemoService() {
    products_ = {
        Product(1, "Bread", "2.50", 4.5, 100, 1704067200000, 1704067200000, true, 28800000,
                "005056a2-0000-1111-2222-333344445555", Value(Binary{"\x01\x02"}), "FOOD"),
        Product(2, "Butter", "1.99", 3.0, 0, 1706745600000, 1706745600000, false, 30600000,
                "005056a2-0000-1111-2222-333344445556", Value(), "FOOD"),
        Product(3, "It's Tea", "12.00", 5.0, 5000000000, 1709251200000, 1709251200000, true, 0,
                "005056a2-0000-1111-2222-333344445557", Value(), "DRINK"),
        Product(4, "Milk", "0.99", 2.5, 40, 1711929600000, 1711929600000, true, 45000000,
                "005056a2-0000-1111-2222-333344445558", Value(), "DRINK"),
    };
    categories_ = {{{Value("FOOD"), Value("Food")}, {}}, {{Value("DRINK"), Value("Drinks")}, {}}};
  }

  ServiceInfo Info() const override {
    ServiceInfo i;
    i.service_namespace = "/SAP/";
    i.service_id = "ZDEMO_SRV";
    i.service_version = "0001";
    i.component_id = "CA-DEMO";
    i.metadata_last_modified = "Mon, 01 Jan 2024 12:00:00 GMT";
    return i;
  }

  Schema DefineSchema() const override {
    Schema s;
    s.namespace_name = "ZDEMO_SRV";
    s.entity_types.push_back(EntityType{
        .name = "Product",
        .keys = {"ID"},
        .properties =
            {
                {.name = "ID", .type = EdmType::kInt32, .nullable = false, .sap = {{"label", "Product ID"}}},
                {.name = "Name", .type = EdmType::kString, .max_length = 20, .sap = {{"label", "Name"}, {"filterable", "true"}}},
                {.name = "Price", .type = EdmType::kDecimal, .precision = 10, .scale = 2},
                {.name = "Rating", .type = EdmType::kDouble},
                {.name = "Stock", .type = EdmType::kInt64},
                {.name = "Released", .type = EdmType::kDateTime, .precision = 0, .sap = {{"display-format", "Date"}}},
                {.name = "Modified", .type = EdmType::kDateTimeOffset, .nullable = false},
                {.name = "Available", .type = EdmType::kBoolean},
                {.name = "OpensAt", .type = EdmType::kTime},
                {.name = "Uid", .type = EdmType::kGuid},
                {.name = "Thumb", .type = EdmType::kBinary, .max_length = 16},
                {.name = "CategoryID", .type = EdmType::kString, .max_length = 10},
            },
        .navigation = {{.name = "Category", .relationship = "ProductCategory", .from_role = "FromProduct", .to_role = "ToCategory"}},
        .etag_property = "Modified",
        .sap = {{"content-version", "1"}},
    });
    s.entity_types.push_back(EntityType{
        .name = "Category",
        .keys = {"ID"},
        .properties = {{.name = "ID", .type = EdmType::kString, .nullable = false, .max_length = 10},
                       {.name = "Title", .type = EdmType::kString}},
        .navigation = {{.name = "Products", .relationship = "ProductCategory", .from_role = "ToCategory", .to_role = "FromProduct"}},
    });
    s.complex_types.push_back(ComplexType{.name = "Stats",
                                          .properties = {{.name = "Count", .type = EdmType::kInt32},
                                                         {.name = "Total", .type = EdmType::kDecimal}}});
    s.associations.push_back(Association{.name = "ProductCategory",
                                         .end1 = {"Product", "*", "FromProduct"},
                                         .end2 = {"Category", "1", "ToCategory"}});
    s.entity_sets.push_back(EntitySet{.name = "Products", .entity_type = "Product", .max_page_size = 0,
                                      .sap = {{"content-version", "1"}}});
    s.entity_sets.push_back(EntitySet{.name = "PagedProducts", .entity_type = "Product", .max_page_size = 2});
    s.entity_sets.push_back(EntitySet{.name = "LockedProducts", .entity_type = "Product",
                                      .supported_options = kOptTop | kOptSelect, .etag_required = true,
                                      .sap = {{"creatable", "false"}, {"deletable", "false"}}});
    s.entity_sets.push_back(EntitySet{.name = "Categories", .entity_type = "Category"});
    s.association_sets.push_back(AssociationSet{.name = "ProductCategorySet", .association = "ProductCategory",
                                                .end1 = {"FromProduct", "Products"}, .end2 = {"ToCategory", "Categories"}});
    s.function_imports.push_back(FunctionImport{
        .name = "GetProduct", .http_method = "GET",
        .parameters = {{.name = "ID", .type = EdmType::kInt32, .nullable = false}},
        .return_kind = ReturnKind::kEntity, .return_type = "Product", .entity_set = "Products"});
    s.function_imports.push_back(FunctionImport{
        .name = "CheapProducts", .http_method = "GET",
        .parameters = {{.name = "MaxPrice", .type = EdmType::kDecimal, .nullable = false, .precision = 10, .scale = 2}},
        .return_kind = ReturnKind::kEntityCollection, .return_type = "Product", .entity_set = "Products"});
    s.function_imports.push_back(FunctionImport{.name = "Stats", .http_method = "GET",
                                                .return_kind = ReturnKind::kComplex, .return_type = "Stats"});
    s.function_imports.push_back(FunctionImport{.name = "CountAll", .http_method = "GET",
                                                .return_kind = ReturnKind::kPrimitive, .return_primitive = EdmType::kInt32});
    s.function_imports.push_back(FunctionImport{
        .name = "Reprice", .http_method = "POST",
        .parameters = {{.name = "ID", .type = EdmType::kInt32, .nullable = false},
                       {.name = "Price", .type = EdmType::kDecimal, .nullable = false}},
        .return_kind = ReturnKind::kNone, .sap = {{"action-for", "ZDEMO_SRV.Product"}}});
    // Fail throws, as a handler with a defect would: the engine must still answer in OData.
    s.function_imports.push_back(FunctionImport{.name = "Fail", .http_method = "GET",
                                                .return_kind = ReturnKind::kPrimitive, .return_primitive = EdmType::kInt32});
    // Echo returns the canonical URI literal of every parameter it was given: the literal contract.
    s.function_imports.push_back(FunctionImport{
        .name = "Echo", .http_method = "GET",
        .parameters = {{.name = "S", .type = EdmType::kString, .max_length = 10}, {.name = "B", .type = EdmType::kBoolean},
                       {.name = "U8", .type = EdmType::kByte},  {.name = "I16", .type = EdmType::kInt16},
                       {.name = "I32", .type = EdmType::kInt32}, {.name = "I64", .type = EdmType::kInt64},
                       {.name = "Dec", .type = EdmType::kDecimal}, {.name = "Dbl", .type = EdmType::kDouble},
                       {.name = "Sgl", .type = EdmType::kSingle}, {.name = "DT", .type = EdmType::kDateTime},
                       {.name = "DTO", .type = EdmType::kDateTimeOffset}, {.name = "T", .type = EdmType::kTime},
                       {.name = "G", .type = EdmType::kGuid}, {.name = "Bin", .type = EdmType::kBinary}},
        .return_kind = ReturnKind::kPrimitiveCollection, .return_primitive = EdmType::kString});
    return s;
  }

  core::Result<EntityCollection> ReadEntitySet(const EntitySet& set, const QueryOptions& q, Context& ctx) const override {
    std::lock_guard lock(mu_);
    if (set.name == "Categories") return ApplyQueryInMemory(set, *category_type_, categories_, q);
    if (!q.search.empty()) ctx.messages.push_back({"ZDEMO/001", "search is ignored by this service", "", core::Severity::kWarning});
    return ApplyQueryInMemory(set, *product_type_, products_, q);
  }

  core::Result<std::optional<Entity>> ReadEntity(const EntitySet& set, const KeyValues& key, Context&) const override {
    std::lock_guard lock(mu_);
    const auto& rows = set.name == "Categories" ? categories_ : products_;
    for (const auto& e : rows)
      if (e.values[0] == key[0]) return std::optional<Entity>(e);
    return std::optional<Entity>();
  }

  core::Result<EntityCollection> ReadNavigation(const EntitySet& set, const KeyValues& key, const NavigationTarget& nav,
                                                const QueryOptions& q, Context&) const override {
    std::lock_guard lock(mu_);
    std::vector<Entity> out;
    if (set.name != "Categories") {
      Value cat;
      for (const auto& p : products_)
        if (p.values[0] == key[0]) cat = p.values[11];
      for (const auto& c : categories_)
        if (c.values[0] == cat) out.push_back(c);
    } else {
      for (const auto& p : products_)
        if (p.values[11] == key[0]) out.push_back(p);
    }
    return ApplyQueryInMemory(*nav.target_set, *nav.target_type, std::move(out), q);
  }

  core::Result<FunctionResult> CallFunction(const FunctionImport& fn, const std::vector<Value>& params,
                                            Context&) const override {
    std::lock_guard lock(mu_);
    FunctionResult r;
    if (fn.name == "GetProduct") {
      for (const auto& p : products_)
        if (p.values[0] == params[0]) r.entities.push_back(p);
    } else if (fn.name == "CheapProducts") {
      for (const auto& p : products_)
        if (std::stod(p.values[2].get_if<Decimal>()->text) <= std::stod(params[0].get_if<Decimal>()->text))
          r.entities.push_back(p);
    } else if (fn.name == "Stats") {
      r.entities.push_back(Entity{{Value(static_cast<int64_t>(products_.size())), Value(Decimal{"17.48"})}, {}});
    } else if (fn.name == "CountAll") {
      r.entities.push_back(Entity{{Value(static_cast<int64_t>(products_.size()))}, {}});
    } else if (fn.name == "Reprice") {
      for (auto& p : products_)
        if (p.values[0] == params[0]) {
          p.values[2] = params[1];
          return r;
        }
      return core::MakeError(core::Code::kBadRequest, "ZDEMO", "002", "Product &1 does not exist",
                             {std::to_string(*params[0].get_if<int64_t>())});
    } else if (fn.name == "Fail") {
      throw std::runtime_error("demo defect");
    } else if (fn.name == "Echo") {
      for (size_t i = 0; i < params.size(); ++i)
        if (!params[i].is_null())
          r.entities.push_back(Entity{{Value(fn.parameters[i].name + "=" + FormatLiteral(params[i], fn.parameters[i].type))}, {}});
    }
    return r;
  }

  core::Result<Entity> CreateEntity(const EntitySet& set, const EntityPayload& payload, Context&) const override {
    if (set.name != "Products") return NotImplemented(set.name + "_CREATE_ENTITY");
    std::lock_guard lock(mu_);
    Entity e;
    e.values = payload.values;
    if (e.values[1].is_null())
      return core::MakeError(core::Code::kBadRequest, "ZDEMO", "003", "Name is mandatory");
    int64_t max_id = 0;
    for (const auto& p : products_) max_id = std::max(max_id, *p.values[0].get_if<int64_t>());
    e.values[0] = Value(max_id + 1);
    e.values[6] = Value(DateTimeOffset{1717200000000, 0});
    products_.push_back(e);
    return e;
  }

  core::Status UpdateEntity(const EntitySet&, const KeyValues& key, const EntityPayload& payload, UpdateMode mode,
                            Context&) const override {
    std::lock_guard lock(mu_);
    for (auto& p : products_)
      if (p.values[0] == key[0]) {
        for (size_t i = 1; i < p.values.size(); ++i)
          if (payload.present[i] || mode == UpdateMode::kReplace) p.values[i] = payload.values[i];
        p.values[6] = Value(DateTimeOffset{1717200000000, 0});
        return core::Status::Ok();
      }
    return EntityNotFound("Products");
  }

  core::Status DeleteEntity(const EntitySet&, const KeyValues& key, Context&) const override {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < products_.size(); ++i)
      if (products_[i].values[0] == key[0]) {
        products_.erase(products_.begin() + static_cast<long>(i));
        return core::Status::Ok();
      }
    return EntityNotFound("Products");
  }

  // Change sets: snapshot and restore (the demo's idea of a transaction).
  // All or nothing in memory: operations run on the live rows, a failure restores the copy.
  core::Status RunChangeSet(Context&, const std::function<core::Status()>& operations) const override {
    std::vector<Entity> snapshot;
    {
      std::lock_guard lock(mu_);
      snapshot = products_;
    }
    core::Status st = operations();
    if (!st.ok()) {
      std::lock_guard lock(mu_);
      products_ = std::move(snapshot);
    }
    return st;
  }

  void Bind(const Model& m) {
    product_type_ = m.FindEntityType("Product");
    category_type_ = m.FindEntityType("Category");
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<Entity> products_;
  std::vector<Entity> categories_;
  const EntityType* product_type_ = nullptr;
  const EntityType* category_type_ = nullptr;
  std::shared_ptr<const Model> model_;

 public:
  void Init() {
    model_ = Model::Create(DefineSchema()).value();
    Bind(*model_);
  }
};

}  // namespace

std::shared_ptr<Service> MakeDemoService() {
  auto s = std::make_shared<DemoService>();
  s->Init();
  return s;
}

}  // namespace causeway::odata::demo
