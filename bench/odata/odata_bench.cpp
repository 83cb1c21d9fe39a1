// URI parsing, $filter parsing and Atom/JSON serialization of a 20-entry feed.
#include <benchmark/benchmark.h>

#include "odata/filter_parser.h"
#include "odata/literal.h"
#include "odata/uri_parser.h"
#include "odata/writer.h"

namespace causeway::odata {
namespace {

Schema BenchSchema() {
  Schema s;
  s.namespace_name = "BENCH_SRV";
  s.entity_types.push_back(EntityType{
      .name = "Job",
      .keys = {"JobName", "JobRunCount"},
      .properties = {{.name = "JobName", .type = EdmType::kString, .nullable = false, .max_length = 32},
                     {.name = "JobRunCount", .type = EdmType::kString, .nullable = false, .max_length = 8},
                     {.name = "JobText", .type = EdmType::kString},
                     {.name = "Status", .type = EdmType::kString, .max_length = 1},
                     {.name = "Created", .type = EdmType::kDateTime},
                     {.name = "Changed", .type = EdmType::kDateTimeOffset},
                     {.name = "Steps", .type = EdmType::kInt32},
                     {.name = "Size", .type = EdmType::kInt64},
                     {.name = "Cost", .type = EdmType::kDecimal},
                     {.name = "Periodic", .type = EdmType::kBoolean}}});
  s.entity_sets.push_back(EntitySet{.name = "JobSet", .entity_type = "Job"});
  return s;
}

std::vector<Entity> Rows() {
  std::vector<Entity> rows;
  for (int i = 0; i < 20; ++i)
    rows.push_back(Entity{{Value("JOB_" + std::to_string(i)), Value("1234567" + std::to_string(i % 10)),
                           Value("A <job> & \"text\" number " + std::to_string(i)), Value("F"),
                           Value(DateTime{1704067200000 + i * 1000}), Value(DateTimeOffset{1704067200000, 60}),
                           Value(i), Value(int64_t{5000000000} + i), Value(Decimal{"12.50"}), Value(i % 2 == 0)},
                          {}});
  return rows;
}

void BM_ParseUri(benchmark::State& state) {
  const std::string path = "JobHeaderSet(JobName='BATCH%20JOB',JobRunCount='12345678')/JobStepSet";
  const std::string query = "$filter=StepNumber%20ge%201&$select=StepNumber,JobText&$top=10&$format=json";
  for (auto _ : state) {
    auto p = ParseResourcePath(path);
    auto q = ParseQueryString(query);
    auto lit = ParseLiteral(p->segments[0].key[0].literal);
    benchmark::DoNotOptimize(lit);
    benchmark::DoNotOptimize(q);
  }
}
BENCHMARK(BM_ParseUri);

void BM_ParseFilter(benchmark::State& state) {
  auto model = Model::Create(BenchSchema()).value();
  const EntityType& type = *model->FindEntityType("Job");
  const std::string filter =
      "(Status eq 'F' or Status eq 'A') and Created ge datetime'2024-01-01T00:00:00' and substringof('job',"
      "tolower(JobText)) and Steps add 1 gt 2 and Size lt 9000000000L";
  for (auto _ : state) {
    auto f = ParseFilter(filter, type);
    benchmark::DoNotOptimize(f);
  }
}
BENCHMARK(BM_ParseFilter);

void BM_SerializeFeed(benchmark::State& state, Format format) {
  auto model = Model::Create(BenchSchema()).value();
  const EntitySet& set = *model->FindEntitySet("JobSet");
  WriteContext ctx;
  ctx.model = model.get();
  ctx.root = "http://127.0.0.1:8080/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/";
  ctx.updated = "2024-01-01T12:00:00Z";
  std::vector<Entity> rows = Rows();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = format == Format::kJson ? JsonFeedDocument(ctx, set, rows, 20, {})
                                              : AtomFeedDocument(ctx, set, "JobSet", rows, 20, {});
    bytes += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_SerializeFeed, json_20, Format::kJson);
BENCHMARK_CAPTURE(BM_SerializeFeed, atom_20, Format::kAtom);

}  // namespace
}  // namespace causeway::odata

BENCHMARK_MAIN();
