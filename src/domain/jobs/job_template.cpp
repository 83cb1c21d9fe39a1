#include "domain/jobs/job_template.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "core/random.h"
#include "core/utf8.h"
#include "domain/jobs/job.h"
#include "domain/jobs/job_errors.h"

namespace causeway::jobs {

const char* StepKindName(StepKind k) {
  switch (k) {
    case StepKind::kNoop: return "noop";
    case StepKind::kSleep: return "sleep";
    case StepKind::kFail: return "fail";
    case StepKind::kLogCleanup: return "log_cleanup";
    case StepKind::kCommand: return "command";
  }
  return "noop";
}

bool StepKindFromName(std::string_view name, StepKind* out) {
  for (StepKind k : {StepKind::kNoop, StepKind::kSleep, StepKind::kFail, StepKind::kLogCleanup, StepKind::kCommand}) {
    if (name == StepKindName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

namespace {

// The characters of a name, or -1 when it is not valid UTF-8 or holds a control character (C0,
// DEL, C1). Names travel in OData keys, URLs and XML (which cannot carry most controls), and
// PostgreSQL cannot store NUL: every back end must refuse the same names.
int NameLength(std::string_view name) {
  int n = 0;
  while (!name.empty()) {
    const size_t len = core::Utf8SequenceLength(name);
    const auto b0 = static_cast<unsigned char>(name[0]);
    if (len == 1 && (b0 < 0x20 || b0 >= 0x7F)) return -1;  // C0, DEL, or not a UTF-8 sequence
    if (len == 2 && b0 == 0xC2 && static_cast<unsigned char>(name[1]) < 0xA0) return -1;  // C1
    name.remove_prefix(len);
    ++n;
  }
  return n;
}

}  // namespace

core::Status ValidateTemplate(const JobTemplate& t) {
  const int name_length = NameLength(t.name);
  if (name_length < 0) return InvalidTemplate("Template name must be UTF-8 text without control characters");
  if (name_length < 1 || name_length > 40) return InvalidTemplate("Template name must have 1 to 40 characters");
  if (t.steps.empty()) return InvalidTemplate("Template " + t.name + " has no steps");
  for (const auto& p : t.parameters) {
    const int length = NameLength(p.name);
    if (p.step_nr < 1 || p.step_nr > static_cast<int>(t.steps.size()) || length < 1 || length > 38)
      return InvalidTemplate("Parameter '" + p.name + "' of template " + t.name + " has an invalid name or step number");
  }
  for (const auto& s : t.steps) {
    if (s.kind == StepKind::kCommand && s.argv.empty())
      return InvalidTemplate("Command step of template " + t.name + " has no argv");
  }
  return core::Status::Ok();
}

const ParameterDefinition* JobTemplate::FindParameter(int step_nr, std::string_view param_name) const {
  for (const auto& p : parameters)
    if (p.step_nr == step_nr && p.name == param_name) return &p;
  return nullptr;
}

std::string GenerateTemplateId() {
  return "Z" + core::RandomFromAlphabet(25, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

void SortOldestFirst(std::vector<Job>& jobs) {
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    if (a.created_at != b.created_at) return a.created_at < b.created_at;
    return a.key.name != b.key.name ? a.key.name < b.key.name : a.key.run_count < b.key.run_count;
  });
}

JobKey GenerateJobKey(core::SystemTime at) {
  // The name leads with the time (48 bits of milliseconds, as UUIDv7 does): jobs scheduled
  // together sort together, so their rows land on the same few index pages instead of one
  // random page each in the job tables' keys (the WAL of a commit, and PostgreSQL's full-page
  // images after a checkpoint, shrink with it). 80 random bits follow.
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto ms = static_cast<uint64_t>(std::max<int64_t>(0, core::ToUnixMillis(at)));
  std::string name(12, '0');
  for (int i = 0; i < 12; ++i) name[11 - i] = kHex[(ms >> (4 * i)) & 0xF];
  name += core::RandomHexUpper(10);
  return JobKey{std::move(name),
                core::RandomFromAlphabet(8, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")};
}

JobKey GenerateJobKey() { return GenerateJobKey(std::chrono::system_clock::now()); }

}  // namespace causeway::jobs
