#include "exchange/message_kind.h"

namespace causeway::exchange {
namespace {

class FunctionKind final : public MessageKind {
 public:
  explicit FunctionKind(KindFunctions f) : f_(std::move(f)) {}
  bool creates() const override { return f_.creates; }
  core::Result<OutboundRequest> BuildRequest(const OutgoingMessage& message) const override {
    return f_.build(message);
  }
  core::Result<std::string> ResultOf(const OutgoingMessage& message, const HttpOutcome& answer) const override {
    if (f_.result) return f_.result(message, answer);
    return MessageKind::ResultOf(message, answer);
  }

 private:
  KindFunctions f_;
};

bool IsPlaceholderChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

core::Result<std::string> MessageKind::ResultOf(const OutgoingMessage&, const HttpOutcome&) const {
  return std::string();
}

std::shared_ptr<const MessageKind> MakeKind(KindFunctions functions) {
  return std::make_shared<FunctionKind>(std::move(functions));
}

core::Result<std::string> FillPlaceholders(std::string_view text,
                                           const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('#', i);
    if (open == std::string_view::npos) break;
    size_t close = text.find('#', open + 1);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(open + 1, close - open - 1);
    bool is_name = !name.empty();
    for (char c : name) is_name = is_name && IsPlaceholderChar(c);
    if (!is_name) {  // "##" or "#a b#": not a placeholder; the second '#' may open one
      out.append(text.substr(i, close - i));
      i = close;
      continue;
    }
    auto it = values.find(name);
    if (it == values.end()) {
      core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", "012",
                                      "No value for placeholder #&1#", {std::string(name)});
      e.target = std::string(name);
      return e;
    }
    out.append(text.substr(i, open - i));
    out.append(it->second);
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace causeway::exchange
