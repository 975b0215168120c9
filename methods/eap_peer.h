// The EAP peer state machine (RFC 4137 §4), free of I/O and clocks.
//
// A lower layer (EAPOL supplicant PAE, IKEv2 initiator, PEAP's tunnel for
// phase 2) drives it:
//
//   EapPeer peer(env);                      // env: credentials, random, tls
//   peer.start(now);                        // portEnabled / eapRestart
//   PeerAction a = peer.handle(eap_bytes, now);   // every EAP packet received
//   PeerAction a = peer.on_timeout(now);          // when now >= next_timeout()
//
// and acts on each PeerAction: kSend → transmit packet (an EAP-Response);
// kSuccess → keys (if the method derived any) are ready; kFailure → give up
// (reason says why); kNone → nothing (e.g. a discarded packet).
// SUCCESS and FAILURE are final until start() is called again.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/clock.h"
#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/eap_packet.h"
#include "methods/eap_types.h"
#include "methods/method_registry.h"

namespace lanyard::eap {

struct PeerConfig {
    // RFC 4137 §4.1.2 ClientTimeout: how long to wait for the next Request
    // (idleWhile) before giving up. wpa_supplicant uses 60 s.
    Duration client_timeout = seconds(60);
    // Bound on Requests (new and retransmitted) per authentication, after
    // which the peer fails (DESIGN.md rule 3).
    unsigned max_requests = 100;
    // Phase 2 (inside a tunnel): always answer Identity with the real
    // identity, never anonymous_identity.
    bool phase2 = false;
    // A timer-less nested engine (PEAP phase 2) sets this false: the outer
    // method is the one that times out. next_timeout() is then empty.
    bool use_idle_timer = true;
};

enum class PeerActionKind { kNone, kSend, kSuccess, kFailure };

struct PeerAction {
    PeerActionKind kind = PeerActionKind::kNone;
    Bytes packet;         // kSend: the EAP-Response to transmit
    Keys keys;            // kSuccess: the method's keys when it derives any
    bool keys_available = false;
    std::string reason;   // kFailure (and kNone when a packet was discarded)
};

// RFC 4137 §4.4 states, folded to what a lower layer observes: DISABLED
// before start(), IDLE waiting for (or between) packets, SUCCESS, FAILURE.
enum class PeerState { kDisabled, kIdle, kSuccess, kFailure };
const char* peer_state_name(PeerState state);

struct PeerStats {
    unsigned requests = 0;       // Requests accepted (new and duplicates)
    unsigned duplicates = 0;     // retransmitted Requests answered from lastRespData
    unsigned discarded = 0;      // packets dropped (malformed, wrong id, not allowed now)
    unsigned naks = 0;           // legacy Naks sent
    unsigned notifications = 0;  // Notification Requests answered
};

class EapPeer {
public:
    // env (and what it points to) must outlive the peer. registry defaults to
    // MethodRegistry::builtin().
    explicit EapPeer(PeerEnvironment env, PeerConfig config = {}, const MethodRegistry* registry = nullptr);
    ~EapPeer();
    EapPeer(const EapPeer&) = delete;
    EapPeer& operator=(const EapPeer&) = delete;

    // RFC 4137 §4.5 INITIALIZE (portEnabled, eapRestart): forgets everything
    // of a previous authentication and arms idleWhile.
    void start(TimePoint now);
    // One received EAP packet (the whole packet, header first). Malformed or
    // unexpected packets are discarded and counted (kNone with a reason).
    PeerAction handle(ByteView packet, TimePoint now);
    // Call when now >= next_timeout(): idleWhile expired (RFC 4137 §4.5 IDLE →
    // FAILURE, or SUCCESS if the method's decision was UNCOND_SUCC).
    PeerAction on_timeout(TimePoint now);
    // RFC 4137 §4.1.1 altAccept / altReject: the lower layer's own
    // indication of success or failure (e.g. a 4-way handshake that starts
    // after a lost EAP-Success). The same decision rules as EAP-Success apply.
    PeerAction alt_accept(TimePoint now);
    PeerAction alt_reject(TimePoint now);

    std::optional<TimePoint> next_timeout() const;

    PeerState state() const { return state_; }
    bool finished() const { return state_ == PeerState::kSuccess || state_ == PeerState::kFailure; }
    // The method in use (nullopt before GET_METHOD selects one).
    std::optional<Type> selected_method() const { return selected_; }
    std::optional<MethodState> method_state() const;
    const std::string& identity_sent() const { return identity_sent_; }
    // Text of the last EAP-Request/Notification (RFC 3748 §5.2), for display.
    const std::string& last_notification() const { return last_notification_; }
    const std::string& failure_reason() const { return failure_reason_; }
    const PeerStats& stats() const { return stats_; }
    // The running method (for PEAP-style owners that need more than keys).
    const PeerMethod* method() const { return method_.get(); }

private:
    PeerAction handle_request(const Packet& req, TimePoint now);
    PeerAction handle_success(const Packet& pkt, TimePoint now);
    PeerAction handle_failure(const Packet& pkt, TimePoint now);
    PeerAction answer_identity(const Packet& req, TimePoint now);
    PeerAction answer_notification(const Packet& req, TimePoint now);
    PeerAction get_method(const Packet& req, TimePoint now);
    PeerAction run_method(const Packet& req, TimePoint now);
    PeerAction send_response(uint8_t id, Bytes packet, TimePoint now);
    PeerAction discard(const std::string& why);
    PeerAction succeed(const std::string& how);
    PeerAction fail(const std::string& why);
    bool success_allowed() const;
    void reset_method();

    PeerEnvironment env_;
    PeerConfig config_;
    const MethodRegistry* registry_;

    PeerState state_ = PeerState::kDisabled;
    std::optional<Type> selected_;
    std::unique_ptr<PeerMethod> method_;
    std::optional<uint8_t> last_id_;  // RFC 4137 lastId (NONE = nullopt)
    Bytes last_resp_;                 // RFC 4137 lastRespData
    std::optional<TimePoint> idle_deadline_;
    std::string identity_sent_;
    std::string last_notification_;
    std::string failure_reason_;
    PeerStats stats_;
};

}  // namespace lanyard::eap
