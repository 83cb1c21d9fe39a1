#include "domain/agreements/agreement_messages.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace causeway::agreements {
namespace {

struct Text {
  const char* number;
  const char* text;
};

constexpr Text kTexts[] = {
    {"001", "Business agreement &1 already exists"},
    {"002", "Business agreement &1 does not exist"},
    {"003", "Business agreement &1 was changed in the meantime (change state &2 is outdated); read it again"},
    {"004", "Business partner &1 does not exist"},
    {"005", "Employee &1 does not exist"},
    {"006", "A new business agreement needs its business partner (BusinessPartnerInternalID)"},
    {"007", "ID &1 and UUID &2 do not identify the same business agreement"},
    {"008", "&1 &2 does not exist in business agreement &3"},
    {"009", "&1 &2 already exists in business agreement &3"},
    {"010", "&1 cannot be identified without &2; action code &3 needs an existing one"},
    {"011", "Text &1 of business agreement &2 was changed in the meantime (change state &3 is outdated)"},
    {"012", "Action code &1 needs the ID or UUID of an existing business agreement"},
    {"013", "&1 needs &2"},
    {"020", "Business agreement &1 was created without an ID or UUID from the sender; sending this message again "
            "creates another one"},
    {"030", "Business agreement &1 created (revision &2)"},
    {"031", "Business agreement &1 changed (revision &2)"},
    {"032", "Business agreement &1 deleted"},
    {"033", "Business agreement &1 does not exist; nothing to remove"},
    {"034", "Business agreement &1 unchanged (revision &2)"},
};

soap::a2x::Severity SeverityOf(const char* number) {
  int n = std::atoi(number);
  if (n >= 30) return soap::a2x::Severity::kInfo;
  if (n >= 20) return soap::a2x::Severity::kWarning;
  return soap::a2x::Severity::kError;
}

}  // namespace

const char* MessageText(const char* number) {
  for (const Text& t : kTexts)
    if (std::strcmp(t.number, number) == 0) return t.text;
  return "";
}

LogItem Message(const char* number, std::string sender_id, std::initializer_list<std::string> vars) {
  return soap::a2x::MakeLogItem(SeverityOf(number), kMessageClass, number, MessageText(number), std::move(sender_id),
                                std::vector<std::string>(vars));
}

}  // namespace causeway::agreements
