// The RADIUS server side of EAP (RFC 3579 §2, RFC 2865 §4): Lanyard's EAP
// engine (methods/eap_authenticator.h) served to NASes over RADIUS, as
// hostapd's integrated RADIUS server and FreeRADIUS's eap module do.
//
// Pure: datagrams and time come in, the datagram to answer goes out. The
// daemon owns the UDP socket (authenticator/radius_server_daemon.h).
//
//   * Clients: only addresses in the client table are answered, each with
//     its own shared secret (hostapd's radius_server_clients file).
//   * Requests: Message-Authenticator is required on every Access-Request
//     (RFC 3579 §3.2 makes it mandatory with EAP-Message; Blast-RADIUS
//     hardening makes it mandatory always) and verified before anything
//     else is read.
//   * Sessions (one EAP conversation each) are keyed by the State attribute
//     we put in every Access-Challenge (RFC 2865 §5.24) and bound to the
//     client that started them. A request without State starts a session;
//     its EAP-Message must be the peer's Response/Identity.
//   * Duplicates (RFC 5080 §2.2.2): a retransmitted request is answered with
//     the same response bytes, never processed twice.
//   * Bounds (DESIGN.md rule 3): sessions in total and per client, idle
//     sessions expire.
//   * Answers: Access-Challenge with the EAP-Request and State;
//     Access-Accept with EAP-Success, MS-MPPE-Recv/Send-Key from the MSK
//     (RFC 2548) and User-Name; Access-Reject with EAP-Failure. Proxy-State
//     is copied (RFC 2865 §5.33). Message-Authenticator comes first.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/random.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_config.h"
#include "radius/client_table.h"
#include "radius/duplicate_cache.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

struct EapRadiusServerConfig {
    size_t max_sessions = 16384;
    size_t max_sessions_per_client = 4096;
    // A session with no request for this long is dropped (hostapd keeps
    // RADIUS server sessions 10 s after their end and expires idle ones).
    Duration session_idle_timeout = seconds(30);
    bool require_message_authenticator = true;
    // The EAP machine: the NAS retransmits, so the engine itself does not.
    eap::AuthenticatorConfig eap = [] {
        eap::AuthenticatorConfig c;
        c.retransmit = false;
        return c;
    }();
    DuplicateCache::Limits duplicates;
    // The first octet of every State we issue (the rest is random): a
    // multi-worker server puts the worker's index here to route a
    // conversation back to the worker that holds it.
    std::optional<uint8_t> state_prefix;
};

// Why requests were dropped unanswered; each is counted.
enum class DropReason {
    kUnknownClient,
    kMalformed,            // does not parse as RADIUS
    kBadAuthenticator,     // Message-Authenticator missing or wrong
    kNotAccessRequest,     // another code (Accounting goes to its own port)
    kNoEapMessage,         // pass-through only serves EAP
    kBadEap,               // the EAP-Message is not a well-formed EAP packet
    kUnknownState,         // State that names no session of this client
    kInProgress,           // a retransmission of a request being processed
    kSessionLimit,         // too many sessions
    kEngineDiscarded,      // the EAP engine discarded the packet (no answer)
    kEncode,               // our own response did not encode (logged)
};
inline constexpr size_t kDropReasonCount = 11;
const char* drop_reason_name(DropReason reason);

struct EapRadiusServerStats {
    uint64_t requests = 0;
    uint64_t accepts = 0;
    uint64_t rejects = 0;
    uint64_t challenges = 0;
    uint64_t duplicates_answered = 0;
    uint64_t sessions_started = 0;
    uint64_t sessions_expired = 0;
    uint64_t dropped[kDropReasonCount] = {};
    uint64_t dropped_total() const;
};

// One finished EAP conversation, for logs and events.
struct EapRadiusOutcome {
    bool success = false;
    std::string identity;
    std::string method;  // "TLS", "PEAP", ... or "none"
    bool resumed = false;
    unsigned rounds = 0;
    std::string client;  // the NAS address
    std::string reason;  // on failure
};

class EapRadiusServer {
public:
    // clients, env (and what it points to) and random must outlive the server.
    EapRadiusServer(const ClientTable& clients, const eap::ServerEnvironment& env, RandomSource& random,
                    EapRadiusServerConfig config = {});
    ~EapRadiusServer();
    EapRadiusServer(const EapRadiusServer&) = delete;
    EapRadiusServer& operator=(const EapRadiusServer&) = delete;

    // One datagram from `from`; the answer to send back to `from`, or nullopt
    // (dropped and counted; the reason is logged at debug level).
    std::optional<Bytes> handle(ByteView datagram, const IpAddress& from, uint16_t from_port, TimePoint now);

    // Drops idle sessions and old duplicate entries; the daemon calls it
    // about once a second.
    void expire(TimePoint now);

    void set_observer(std::function<void(const EapRadiusOutcome&)> observer) { observer_ = std::move(observer); }
    const EapRadiusServerStats& stats() const { return stats_; }
    size_t session_count() const { return sessions_.size(); }

private:
    struct Session;
    using StateKey = Bytes;

    std::optional<Bytes> drop(DropReason reason, const std::string& detail);
    std::optional<Bytes> process(const Packet& request, const NasClient& client, const std::string& client_key,
                                 ByteView eap, TimePoint now);
    Result<Session*> open_session(const std::string& client_key, const eap::Packet& identity_response,
                                  eap::AuthAction* first_action, TimePoint now);
    std::optional<Bytes> answer(const Packet& request, const NasClient& client, Session& session,
                                eap::AuthAction action, TimePoint now);
    void finish(Session& session, bool success, const std::string& reason);
    void erase_session(const StateKey& state);

    const ClientTable& clients_;
    eap::ServerEnvironment env_;
    RandomSource& random_;
    EapRadiusServerConfig config_;
    std::map<StateKey, std::unique_ptr<Session>> sessions_;
    std::map<std::string, size_t> sessions_per_client_;
    DuplicateCache duplicates_;
    EapRadiusServerStats stats_;
    std::function<void(const EapRadiusOutcome&)> observer_;
};

}  // namespace lanyard::radius
