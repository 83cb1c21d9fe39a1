// A job's log as one log per step (the shape of the application logs of an application job):
// groups the job's log lines by step and classifies each line as a message of a message class.
//
// Contract of StepLogs: every step of the job gets exactly one log, in step order, even when it
// has no lines. A line written for a step (LogLine::step_nr > 0) goes to that step. A job-level
// line (step_nr 0: "scheduled", "job started", the recovery lines after a crash, "job ended")
// goes to the step of the nearest step line before it, or to the first step when there is none
// yet; so the recovery lines land in the step that was running when the server stopped. A job
// without steps has no logs. Lines keep their order; message numbers count from 1 per log.
#pragma once

#include <string>
#include <vector>

#include "domain/jobs/job.h"

namespace causeway::jobs {

struct StepLogMessage {
  int number = 0;         // 1-based within the step's log
  char type = 'I';        // S, I, W, E, A
  std::string msg_class;  // "APJ_RT" for the documented APJ_RT texts, else "BL" (free text)
  std::string msg_no;     // 3 digits: the APJ_RT number, or "001" for BL free text
  std::vector<std::string> vars;  // message variables &1..&4 (BL/001: the text in 50-character pieces)
  std::string text;
  core::SystemTime at{};
};

struct StepLog {
  int step_nr = 0;
  std::vector<StepLogMessage> messages;
  core::SystemTime created_at{};  // time of the first message; the step's start if it has none
  // Number of messages of a type ('A', 'E', 'W', 'I', 'S').
  int Count(char type) const;
  // Highest severity present: A > E > W > I > S; 'S' for an empty log.
  char Severity() const;
};

std::vector<StepLog> StepLogs(const Job& job, const std::vector<LogLine>& lines);

// Classifies a log text: APJ_RT/<nnn> with its variables when the text is a documented APJ_RT
// text (with &1..&4 filled in), else BL/001, the free-text message of application logs, whose
// variables are the text in pieces of at most 50 bytes (at most four; MsgText stays complete).
StepLogMessage ClassifyLogText(const std::string& text);

}  // namespace causeway::jobs
