#include "soap/a2x_xml.h"

namespace causeway::soap::a2x {

Action ActionAttribute(XmlElement node, std::string_view attribute) {
  auto a = node.Attribute(attribute);
  if (!a) return Action::kSave;
  return ActionFromCode(CollapseWhitespace(*a)).value_or(Action::kSave);
}

bool IndicatorAttribute(XmlElement node, std::string_view attribute) {
  auto a = node.Attribute(attribute);
  if (!a) return false;
  std::string v = CollapseWhitespace(*a);
  return v == "true" || v == "1";
}

std::optional<std::string> ChildToken(XmlElement node, std::string_view name) {
  auto t = node.ChildText(name);
  if (!t) return std::nullopt;
  return CollapseWhitespace(*t);
}

std::optional<std::string> ChildString(XmlElement node, std::string_view name) { return node.ChildText(name); }

std::optional<bool> ChildIndicator(XmlElement node, std::string_view name) {
  auto t = ChildToken(node, name);
  if (!t) return std::nullopt;
  return *t == "true" || *t == "1";
}

void WriteLog(XmlWriter& w, const std::vector<LogItem>& items, std::string_view result_code) {
  w.Open("Log");
  if (!result_code.empty()) w.Leaf("BusinessDocumentProcessingResultCode", result_code);
  if (auto max = MaxSeverity(items)) w.Leaf("MaximumLogItemSeverityCode", std::to_string(static_cast<int>(*max)));
  for (const LogItem& i : items) {
    w.Open("Item").Leaf("TypeID", i.type_id).Leaf("SeverityCode", std::to_string(static_cast<int>(i.severity)));
    if (!i.sender_id.empty()) w.Leaf("ReferenceObjectNodeSenderTechnicalID", i.sender_id);
    w.Leaf("Note", i.note).Close();
  }
  w.Close();
}

}  // namespace causeway::soap::a2x
