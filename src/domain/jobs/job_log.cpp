#include "domain/jobs/job_log.h"

#include <cstdio>

#include "domain/jobs/job_errors.h"

namespace causeway::jobs {
namespace {

// Matches `text` against an APJ_RT template with &1..&4 placeholders; fills `vars` on success.
bool MatchTemplate(std::string_view tmpl, std::string_view text, std::vector<std::string>& vars) {
  vars.clear();
  size_t t = 0, x = 0;
  while (t < tmpl.size()) {
    if (tmpl[t] == '&' && t + 1 < tmpl.size() && tmpl[t + 1] >= '1' && tmpl[t + 1] <= '4') {
      t += 2;
      // The variable runs up to the next literal piece of the template (or the end).
      size_t next = tmpl.find('&', t);
      std::string_view literal = tmpl.substr(t, next == std::string_view::npos ? std::string_view::npos : next - t);
      size_t end = literal.empty() ? text.size() : text.find(literal, x);
      if (end == std::string_view::npos) return false;
      if (literal.empty() && next != std::string_view::npos) return false;  // adjacent placeholders
      vars.emplace_back(text.substr(x, end - x));
      x = end;
      continue;
    }
    if (x >= text.size() || text[x] != tmpl[t]) return false;
    ++t;
    ++x;
  }
  return x == text.size();
}

// The documented APJ_RT texts (number, text), collected once.
const std::vector<std::pair<std::string, std::string>>& ApjTexts() {
  static const auto* texts = [] {
    auto* out = new std::vector<std::pair<std::string, std::string>>();
    for (int n = 1; n <= 999; ++n) {
      char number[4];
      std::snprintf(number, sizeof number, "%03d", n);
      const char* text = ApjText(number);
      if (*text != '\0') out->emplace_back(number, text);
    }
    return out;
  }();
  return *texts;
}

}  // namespace

StepLogMessage ClassifyLogText(const std::string& text) {
  StepLogMessage m;
  m.text = text;
  for (const auto& [number, tmpl] : ApjTexts()) {
    if (MatchTemplate(tmpl, text, m.vars)) {
      m.msg_class = "APJ_RT";
      m.msg_no = number;
      return m;
    }
  }
  m.vars.clear();
  m.msg_class = "BL";
  m.msg_no = "001";
  for (size_t pos = 0; pos < text.size() && m.vars.size() < 4; pos += 50) m.vars.push_back(text.substr(pos, 50));
  return m;
}

int StepLog::Count(char type) const {
  int n = 0;
  for (const auto& m : messages) n += m.type == type ? 1 : 0;
  return n;
}

char StepLog::Severity() const {
  for (char type : {'A', 'E', 'W', 'I'})
    if (Count(type) > 0) return type;
  return 'S';
}

std::vector<StepLog> StepLogs(const Job& job, const std::vector<LogLine>& lines) {
  std::vector<StepLog> logs;
  for (const auto& s : job.steps) {
    StepLog log;
    log.step_nr = s.step_nr;
    log.created_at = s.started_at.value_or(job.created_at);
    logs.push_back(std::move(log));
  }
  if (logs.empty()) return logs;
  size_t current = 0;  // index of the log job-level lines go to
  for (const auto& line : lines) {
    if (line.step_nr > 0)
      for (size_t i = 0; i < logs.size(); ++i)
        if (logs[i].step_nr == line.step_nr) current = i;
    StepLog& log = logs[current];
    StepLogMessage m = ClassifyLogText(line.text);
    m.number = static_cast<int>(log.messages.size()) + 1;
    m.type = line.type;
    m.at = line.at;
    if (log.messages.empty()) log.created_at = line.at;
    log.messages.push_back(std::move(m));
  }
  return logs;
}

}  // namespace causeway::jobs
