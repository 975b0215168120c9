// The RADIUS client's table of outstanding requests, as a pure state
// machine: Identifier allocation per server, retransmission schedule with
// exponential back-off, failover through an ordered server list, and return
// to the primary after radius_retry_primary_interval (hostapd.conf). Time
// comes in as TimePoint parameters; the caller owns sockets and timers and
// acts on the decisions this table returns.
//
// RFC 5080 §2.2.1: a retransmission to the same server reuses the
// Identifier and Request Authenticator (the caller resends the stored
// bytes); a request moved to another server gets a new Identifier from that
// server's space and must be re-encoded (new authenticator, that server's
// secret).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/result.h"
#include "radius/identifier_allocator.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

// Defaults after hostapd's radius_client.c: first wait 3 s, doubling up to
// 120 s, failover after 4 transmissions to one server, give up after 10.
struct RetransmitPolicy {
    Duration initial_timeout = seconds(3);
    Duration max_timeout = seconds(120);
    unsigned attempts_per_server = 4;
    unsigned max_attempts = 10;
    // hostapd radius_retry_primary_interval: once failed over, new requests
    // go back to the first server after this long; zero disables.
    Duration retry_primary_interval = Duration(0);
    // Bound on requests outstanding at once across all servers.
    size_t max_pending = 1024;
};

struct PendingRequest {
    uint64_t token = 0;
    size_t server = 0;
    uint8_t identifier = 0;
    Authenticator authenticator{};
    Bytes wire;                 // the bytes last sent (resent as is on retransmission)
    unsigned attempts_on_server = 0;
    unsigned attempts = 0;      // transmissions in total
    Duration timeout{};
    TimePoint deadline{};
    bool sent = false;
};

enum class TimeoutDecision {
    kRetransmit,  // resend `wire` to `server` unchanged
    kFailover,    // re-encode for `server` with `identifier`, then call sent()
    kGiveUp,      // the request is gone; report failure upstream
};

struct TimeoutAction {
    TimeoutDecision decision = TimeoutDecision::kGiveUp;
    uint64_t token = 0;
    size_t server = 0;
    uint8_t identifier = 0;
};

class PendingRequests {
public:
    // server_count >= 1; index 0 is the primary.
    PendingRequests(size_t server_count, RetransmitPolicy policy);

    struct Slot {
        uint64_t token = 0;
        size_t server = 0;
        uint8_t identifier = 0;
    };
    // Reserves an Identifier on the current server for a new request (after
    // moving back to the primary if the retry interval has passed). kLimit
    // when max_pending or the server's 256 Identifiers are exhausted.
    Result<Slot> open(TimePoint now);
    // Records a (re)encoded transmission of the request: first send, or the
    // send after kFailover. Arms the timeout. Unknown tokens are ignored.
    void sent(uint64_t token, Bytes wire, const Authenticator& authenticator, TimePoint now);

    // The request a response from `server` with `identifier` answers, or
    // nullptr (late or spoofed: drop). Verify it with the request's
    // authenticator before calling complete().
    const PendingRequest* match(size_t server, uint8_t identifier) const;
    // The server refused a datagram (ICMP unreachable): every sent request
    // on it is due now and fails over at the next on_timer() (when there is
    // another server), without waiting out its retransmissions.
    void server_unreachable(size_t server, TimePoint now);
    // A verified response arrived: frees the request and its Identifier.
    void complete(uint64_t token);
    // Abandons a request (upstream gave up): frees it.
    void cancel(uint64_t token);

    // The earliest deadline of a sent request, for the caller's timer.
    std::optional<TimePoint> next_deadline() const;
    // Handles every request whose deadline is <= now; each gets one action.
    // Retransmissions are counted and re-armed here (timeout doubled up to
    // max_timeout); failovers move the request to the next server (advancing
    // the current server if this request was on it), give it a fresh
    // Identifier there and wait for sent(); give-ups remove it.
    std::vector<TimeoutAction> on_timer(TimePoint now);

    size_t current_server() const { return current_; }
    size_t size() const { return pending_.size(); }
    const PendingRequest* find(uint64_t token) const;

private:
    void remove(std::map<uint64_t, PendingRequest>::iterator it);

    RetransmitPolicy policy_;
    std::vector<IdentifierAllocator> ids_;
    std::map<uint64_t, PendingRequest> pending_;
    size_t current_ = 0;
    std::optional<TimePoint> failed_over_at_;
    uint64_t next_token_ = 1;
};

}  // namespace lanyard::radius
