#include "domain/activities/activity_messages.h"

#include <cstring>


namespace causeway::activities {
namespace {

struct Message {
  const char* number;
  const char* text;
};

constexpr Message kMessages[] = {
    {"001", "Activity task &1 already exists"},
    {"002", "Activity task &1 does not exist"},
    {"003", "Activity task &1 was changed in the meantime (change state &2 is outdated); read it again"},
    {"004", "Business partner &1 does not exist"},
    {"005", "Employee &1 does not exist"},
    {"006", "Business partner &1 is not an employee; the &2 must be an employee"},
    {"007", "Status change from &1 to &2 is not allowed"},
    {"008", "Start and end of the scheduled period must be given together"},
    {"009", "The scheduled end &1 is before the start &2"},
    {"010", "ID &1 and UUID &2 identify different activity tasks"},
    {"011", "Text type &1 is not allowed for activity tasks (allowed: 10002, 10011)"},
    {"012", "Only one text of type 10002 (activity body) is allowed"},
    {"013", "Document reference &1 does not exist in activity task &2"},
    {"014", "Document reference &1 already exists in activity task &2"},
    {"015", "Attachment &1 does not exist in activity task &2"},
    {"016", "Action code &1 needs the ID or UUID of an existing activity task"},
    {"017", "Activity task IDs are drawn from the internal number range; ID &1 does not exist"},
    {"018", "Text of type &1 does not exist in activity task &2"},
    {"019", "Attachment &1 already exists in activity task &2"},
    {"020", "E-mail address &1 identifies no employee; the &2 must be an employee"},
};

}  // namespace

const char* MessageText(const char* number) {
  for (const auto& m : kMessages)
    if (std::strcmp(m.number, number) == 0) return m.text;
  return "";
}

LogItem ErrorItem(const char* number, std::string sender_id, std::initializer_list<std::string> vars) {
  return soap::a2x::MakeLogItem(LogSeverity::kError, kMessageClass, number, MessageText(number), std::move(sender_id),
                                std::vector<std::string>(vars));
}

}  // namespace causeway::activities
