// DeliveryLoop: its destinations (configured, paused, slots) and the slot reservations of
// claims by insert. Everything here but OnReservationEnded may run on any thread: the state is
// under config_mu_.
#include "exchange/delivery_loop.h"

#include <spdlog/spdlog.h>

namespace causeway::exchange::internal {

using outbox_store::ClaimedMessage;

std::optional<int64_t> DeliveryLoop::TryReserve(std::string_view destination, core::SystemTime now) {
  if (stopping_) return std::nullopt;
  std::lock_guard lock(config_mu_);
  auto it = destinations_.find(destination);
  if (it == destinations_.end()) return std::nullopt;
  DestinationState& s = it->second;
  if (!s.destination || s.paused || s.busy >= s.destination->max_concurrent) return std::nullopt;
  if (s.HeldAt(now)) return std::nullopt;  // the receiver asked to wait
  ++s.busy;
  return LeaseExpiry(*s.destination, now);
}

std::function<void(std::optional<ClaimedMessage>)> DeliveryLoop::ReservationDone(std::string destination) const {
  return [mailbox = mailbox_, destination = std::move(destination)](std::optional<ClaimedMessage> claimed) {
    mailbox->Post(ReservationEnded{.destination = destination, .claimed = std::move(claimed)});
  };
}

void DeliveryLoop::OnReservationEnded(ReservationEnded& ended) {
  if (ended.claimed) StartAttempt(std::move(*ended.claimed));  // the reserved slot is its
  else ReleaseSlot(ended.destination);
}

bool DeliveryLoop::HasDestination(std::string_view name) const {
  std::lock_guard lock(config_mu_);
  auto it = destinations_.find(name);
  return it != destinations_.end() && it->second.destination;
}

void DeliveryLoop::SetDestination(std::shared_ptr<const Destination> destination) {
  std::string name = destination->name;
  {
    std::lock_guard lock(config_mu_);
    DestinationState& s = destinations_[name];
    s.destination = std::move(destination);
    s.want_claim = true;
  }
  Wake(name);
}

bool DeliveryLoop::RemoveDestination(std::string_view name) {
  std::lock_guard lock(config_mu_);
  auto it = destinations_.find(name);
  if (it == destinations_.end() || !it->second.destination) return false;
  if (it->second.busy == 0 && !it->second.claim_outstanding) destinations_.erase(it);
  else it->second.destination.reset();  // the loop erases it once its messages are recorded
  return true;
}

bool DeliveryLoop::SetPaused(std::string_view name, bool paused) {
  {
    std::lock_guard lock(config_mu_);
    auto it = destinations_.find(name);
    if (it == destinations_.end() || !it->second.destination) return false;
    it->second.paused = paused;
    it->second.want_claim = true;
    ++pause_version_;
  }
  Wake(std::string(name));
  return true;
}

std::vector<DestinationInfo> DeliveryLoop::Destinations() const {
  std::vector<DestinationInfo> out;
  std::lock_guard lock(config_mu_);
  for (const auto& [name, s] : destinations_) {
    if (!s.destination) continue;
    const Destination& d = *s.destination;
    DestinationInfo info;
    info.name = d.name;
    info.base_url = d.base_url;
    info.user = d.user;
    info.has_password = !d.password.empty();
    info.paused = s.paused;
    info.max_concurrent = d.max_concurrent;
    info.busy = s.busy;
    info.ca_file = d.ca_file;
    info.insecure = d.insecure;
    info.connect_timeout = d.connect_timeout;
    info.total_timeout = d.total_timeout;
    info.retry = d.retry;
    for (const auto& [header, value] : d.headers) info.header_names.push_back(header);
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::string> DeliveryLoop::DestinationNames() const {
  std::vector<std::string> out;
  std::lock_guard lock(config_mu_);
  for (const auto& [name, s] : destinations_)
    if (s.destination) out.push_back(name);
  return out;
}

}  // namespace causeway::exchange::internal
