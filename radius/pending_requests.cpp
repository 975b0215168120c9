// Outstanding RADIUS requests: retransmission, back-off and failover
// (RFC 2865 §2.4 leaves the schedule to the implementation; RFC 5080 §2.2.1
// for Identifier reuse).
#include "radius/pending_requests.h"

#include <algorithm>
#include <cassert>

namespace lanyard::radius {

PendingRequests::PendingRequests(size_t server_count, RetransmitPolicy policy)
    : policy_(policy), ids_(std::max<size_t>(server_count, 1)) {
    assert(server_count >= 1);
}

Result<PendingRequests::Slot> PendingRequests::open(TimePoint now) {
    if (current_ != 0 && failed_over_at_ && policy_.retry_primary_interval > Duration(0) &&
        now - *failed_over_at_ >= policy_.retry_primary_interval) {
        current_ = 0;
        failed_over_at_.reset();
    }
    if (pending_.size() >= policy_.max_pending)
        return make_error(ErrorCode::kLimit, "too many outstanding RADIUS requests (" + std::to_string(pending_.size()) + ")");
    auto id = ids_[current_].allocate();
    if (!id) return make_error(ErrorCode::kLimit, "all 256 RADIUS Identifiers in use for server " + std::to_string(current_));
    PendingRequest r;
    r.token = next_token_++;
    r.server = current_;
    r.identifier = *id;
    r.timeout = policy_.initial_timeout;
    pending_.emplace(r.token, r);
    return Slot{r.token, r.server, r.identifier};
}

void PendingRequests::sent(uint64_t token, Bytes wire, const Authenticator& authenticator, TimePoint now) {
    auto it = pending_.find(token);
    if (it == pending_.end()) return;
    PendingRequest& r = it->second;
    r.wire = std::move(wire);
    r.authenticator = authenticator;
    r.sent = true;
    ++r.attempts;
    ++r.attempts_on_server;
    r.deadline = now + r.timeout;
}

const PendingRequest* PendingRequests::match(size_t server, uint8_t identifier) const {
    for (const auto& [token, r] : pending_)
        if (r.server == server && r.identifier == identifier && r.sent) return &r;
    return nullptr;
}

const PendingRequest* PendingRequests::find(uint64_t token) const {
    auto it = pending_.find(token);
    return it == pending_.end() ? nullptr : &it->second;
}

void PendingRequests::remove(std::map<uint64_t, PendingRequest>::iterator it) {
    ids_[it->second.server].release(it->second.identifier);
    pending_.erase(it);
}

void PendingRequests::complete(uint64_t token) {
    auto it = pending_.find(token);
    if (it != pending_.end()) remove(it);
}

void PendingRequests::server_unreachable(size_t server, TimePoint now) {
    for (auto& [token, r] : pending_) {
        if (r.server != server || !r.sent) continue;
        r.attempts_on_server = std::max(r.attempts_on_server, policy_.attempts_per_server);
        r.deadline = now;
    }
}

void PendingRequests::cancel(uint64_t token) { complete(token); }

std::optional<TimePoint> PendingRequests::next_deadline() const {
    std::optional<TimePoint> best;
    for (const auto& [token, r] : pending_)
        if (r.sent && (!best || r.deadline < *best)) best = r.deadline;
    return best;
}

std::vector<TimeoutAction> PendingRequests::on_timer(TimePoint now) {
    std::vector<TimeoutAction> actions;
    for (auto it = pending_.begin(); it != pending_.end();) {
        PendingRequest& r = it->second;
        if (!r.sent || r.deadline > now) {
            ++it;
            continue;
        }
        if (r.attempts >= policy_.max_attempts) {
            actions.push_back({TimeoutDecision::kGiveUp, r.token, r.server, r.identifier});
            auto next = std::next(it);
            remove(it);
            it = next;
            continue;
        }
        if (r.attempts_on_server >= policy_.attempts_per_server && ids_.size() > 1) {
            // This server looks dead: move the client on (once per server).
            if (r.server == current_) {
                current_ = (current_ + 1) % ids_.size();
                failed_over_at_ = now;
            }
            const size_t target = current_;  // != r.server: the current server moved on
            auto id = ids_[target].allocate();
            if (!id) {
                actions.push_back({TimeoutDecision::kGiveUp, r.token, r.server, r.identifier});
                auto next = std::next(it);
                remove(it);
                it = next;
                continue;
            }
            ids_[r.server].release(r.identifier);
            r.server = target;
            r.identifier = *id;
            r.attempts_on_server = 0;
            r.timeout = policy_.initial_timeout;
            r.sent = false;  // waits for the re-encoded bytes
            r.wire.clear();
            actions.push_back({TimeoutDecision::kFailover, r.token, r.server, r.identifier});
            ++it;
            continue;
        }
        // Retransmit to the same server, backing off.
        r.timeout = std::min(r.timeout * 2, policy_.max_timeout);
        ++r.attempts;
        ++r.attempts_on_server;
        r.deadline = now + r.timeout;
        actions.push_back({TimeoutDecision::kRetransmit, r.token, r.server, r.identifier});
        ++it;
    }
    return actions;
}

}  // namespace lanyard::radius
