#include "domain/jobs/job_status.h"

#include "core/ascii.h"

namespace causeway::jobs {

std::optional<JobStatus> StatusFromLetter(char c) {
  switch (c) {
    case 'S': case 'Y': case 'P': case 'R': case 'F': case 'W': case 'A':
    case 'U': case 'C': case 'c': case 'D': case 'K': case 'k': case 'X':
      return static_cast<JobStatus>(c);
    default:
      return std::nullopt;
  }
}

bool IsWaiting(JobStatus s) {
  return s == JobStatus::kReady || s == JobStatus::kScheduled || s == JobStatus::kReleased;
}

bool IsActive(JobStatus s) { return s == JobStatus::kRunning || s == JobStatus::kCanceling; }

bool IsTerminal(JobStatus s) { return !IsWaiting(s) && !IsActive(s) && s != JobStatus::kSkip; }

bool IsRestartable(JobStatus s) {
  return s == JobStatus::kFailed || s == JobStatus::kCanceled || s == JobStatus::kUserError;
}

const std::vector<StatusText>& StatusTexts(std::string_view language) {
  // Texts as an IBP tenant returns them (spec §1.6); German from the S/4HANA Fiori app.
  static const std::vector<StatusText> kEn = {
      {JobStatus::kReady, "Ready"},           {JobStatus::kScheduled, "Scheduled"},
      {JobStatus::kReleased, "Released"},     {JobStatus::kRunning, "In Process"},
      {JobStatus::kFinished, "Finished"},     {JobStatus::kWarning, "Finished with Warning"},
      {JobStatus::kFailed, "Failed"},         {JobStatus::kUserError, "User Error"},
      {JobStatus::kCanceled, "Canceled"},     {JobStatus::kCanceling, "Canceling"},
      {JobStatus::kDeleted, "Deleted"},       {JobStatus::kSkipped, "Skipped"},
      {JobStatus::kSkip, "Skip"},             {JobStatus::kUnknown, "Unknown"},
  };
  static const std::vector<StatusText> kDe = {
      {JobStatus::kReady, "Bereit"},            {JobStatus::kScheduled, "Eingeplant"},
      {JobStatus::kReleased, "Freigegeben"},    {JobStatus::kRunning, "In Bearbeitung"},
      {JobStatus::kFinished, "Beendet"},        {JobStatus::kWarning, "Mit Warnung beendet"},
      {JobStatus::kFailed, "Fehlgeschlagen"},   {JobStatus::kUserError, "Benutzerfehler"},
      {JobStatus::kCanceled, "Abgebrochen"},    {JobStatus::kCanceling, "Wird abgebrochen"},
      {JobStatus::kDeleted, "Gelöscht"},        {JobStatus::kSkipped, "Übersprungen"},
      {JobStatus::kSkip, "Überspringen"},       {JobStatus::kUnknown, "Unbekannt"},
  };
  return core::IEquals(language, "DE") ? kDe : kEn;
}

}  // namespace causeway::jobs
