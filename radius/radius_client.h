// The RADIUS client as a pure machine over an ordered server list (hostapd's
// auth_server_* / acct_server_* groups): encodes a request for the current
// server, matches and verifies responses, and decides retransmissions,
// failovers and give-ups through PendingRequests. The caller owns the
// sockets (one per server) and a timer for next_deadline().
//
//   RadiusClient client(secrets, policy, random);
//   auto sent = client.submit(RequestKind::kAccess, packet, now);  // → send sent->wire to server sent->server
//   auto got  = client.receive(server, datagram);                 // verified response, or an error to drop
//   for (auto& e : client.on_timer(now)) ...                       // kSend (retransmit/failover) or kGaveUp
//
// Every response is verified before it is believed (RFC 2865 §3 Response
// Authenticator; Message-Authenticator required on every Access-Accept,
// Access-Reject and Access-Challenge: RFC 3579 §3.2 and Blast-RADIUS,
// CVE-2024-3596). A request moved to another server is re-encoded with a new
// Identifier and Request Authenticator and that server's secret (RFC 5080
// §2.2.1).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret.h"
#include "radius/pending_requests.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

enum class RequestKind { kAccess, kAccounting };

struct ClientStats {
    uint64_t requests = 0;
    uint64_t retransmissions = 0;
    uint64_t failovers = 0;
    uint64_t timeouts = 0;           // requests given up
    uint64_t responses = 0;          // verified and matched
    uint64_t bad_authenticators = 0; // dropped: verification failed
    uint64_t unknown_responses = 0;  // dropped: no request with that Identifier (late or spoofed)
    uint64_t malformed = 0;          // dropped: does not parse
};

class RadiusClient {
public:
    // One secret per server, in failover order (index 0 is the primary).
    RadiusClient(std::vector<SecretBytes> secrets, RetransmitPolicy policy, RandomSource& random);

    struct Transmission {
        uint64_t token = 0;
        size_t server = 0;
        Bytes wire;
    };
    // Encodes `packet` (code and attributes; the Identifier and Authenticator
    // are filled here) for the current server. kLimit when too many requests
    // are outstanding.
    Result<Transmission> submit(RequestKind kind, Packet packet, TimePoint now);

    struct Response {
        uint64_t token = 0;
        size_t server = 0;
        Packet packet;
        Authenticator request_authenticator{};  // for MPPE key decryption
        RequestKind kind = RequestKind::kAccess;
    };
    // A datagram from `server`: the verified response and the request it
    // answers (now completed), or an error (the datagram is dropped and
    // counted).
    Result<Response> receive(size_t server, ByteView datagram);

    struct Event {
        enum class Kind { kSend, kGaveUp };
        Kind kind = Kind::kSend;
        uint64_t token = 0;
        size_t server = 0;
        Bytes wire;  // kSend
    };
    // Due retransmissions (the same bytes), failovers (re-encoded bytes for
    // the next server) and give-ups.
    std::vector<Event> on_timer(TimePoint now);
    std::optional<TimePoint> next_deadline() const { return pending_.next_deadline(); }

    // The server refused (ICMP port unreachable on its socket): every request
    // on it fails over at the next on_timer(), without waiting out the
    // retransmissions.
    void server_unreachable(size_t server, TimePoint now);
    // Forgets a request whose answer nobody waits for any more.
    void cancel(uint64_t token);

    size_t server_count() const { return secrets_.size(); }
    ByteView secret(size_t server) const { return secrets_.at(server).view(); }
    size_t current_server() const { return pending_.current_server(); }
    size_t outstanding() const { return pending_.size(); }
    const ClientStats& stats() const { return stats_; }

private:
    Result<Bytes> encode(uint64_t token, size_t server, uint8_t identifier, Authenticator* authenticator);

    std::vector<SecretBytes> secrets_;
    RandomSource& random_;
    PendingRequests pending_;
    struct Template {
        RequestKind kind = RequestKind::kAccess;
        Packet packet;
    };
    std::map<uint64_t, Template> templates_;
    ClientStats stats_;
};

}  // namespace lanyard::radius
