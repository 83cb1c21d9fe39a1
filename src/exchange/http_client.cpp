#include "exchange/http_client.h"

#include <future>

namespace causeway::exchange {

HttpOutcome HttpClient::SendAndWait(OutboundRequest request) {
  std::promise<HttpOutcome> promise;
  std::future<HttpOutcome> future = promise.get_future();
  Send(std::move(request), [&promise](HttpOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

}  // namespace causeway::exchange
