// The EAP standalone authenticator state machine (RFC 4137 §5), free of I/O
// and clocks, shared by the 802.1X authenticator, the RADIUS server, the
// IKEv2 responder and PEAP's phase 2.
//
//   EapAuthenticator auth(env);             // env: users, random, tls
//   AuthAction a = auth.start(now);         // → kSend EAP-Request/Identity
//   AuthAction a = auth.start_with_identity("alice", now);  // identity known
//   AuthAction a = auth.handle(eap_response_bytes, now);
//   AuthAction a = auth.on_timeout(now);    // when now >= next_timeout()
//
// Actions: kSend → transmit packet (an EAP-Request; retransmissions too);
// kSuccess → transmit packet (EAP-Success) and use keys; kFailure → transmit
// packet (EAP-Failure); kTimeout → MaxRetrans exceeded, nothing to send;
// kNone → nothing (a discarded packet). After kSuccess, kFailure or kTimeout
// the machine is finished until start() again.
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

struct AuthenticatorConfig {
    // RFC 4137 §5.4 calculateTimeout: the first retransmission timeout,
    // doubled on each retransmission (RFC 3748 §4.3 back-off) up to the cap.
    Duration initial_timeout = seconds(3);
    Duration max_timeout = seconds(60);
    // RFC 4137 §5.1.2 MaxRetrans: retransmissions of one Request before the
    // TIMEOUT_FAILURE outcome.
    unsigned max_retransmissions = 5;
    // A timer-less nested engine (PEAP phase 2, where the outer method
    // retransmits) sets this false: next_timeout() is then empty.
    bool retransmit = true;
    // Bound on accepted Responses per authentication (DESIGN.md rule 3).
    unsigned max_rounds = 100;
    // Phase 2: user lookups use the [2] records.
    bool phase2 = false;
    // Optional displayable text in the EAP-Request/Identity (RFC 3748 §5.1).
    std::string identity_prompt;
};

enum class AuthActionKind { kNone, kSend, kSuccess, kFailure, kTimeout };

struct AuthAction {
    AuthActionKind kind = AuthActionKind::kNone;
    Bytes packet;         // kSend: EAP-Request; kSuccess: EAP-Success; kFailure: EAP-Failure
    Keys keys;            // kSuccess: the method's keys when it derives any
    bool keys_available = false;
    std::string reason;   // kFailure, kTimeout (and kNone when something was discarded)
};

// What a lower layer observes of RFC 4137 §5.4's states.
enum class AuthState {
    kDisabled,   // before start()
    kIdentity,   // waiting for the Response/Identity
    kMethod,     // a method is proposed or running
    kSuccess,
    kFailure,
    kTimeout,    // TIMEOUT_FAILURE
};
const char* auth_state_name(AuthState state);

struct AuthStats {
    unsigned requests_sent = 0;     // new Requests (not retransmissions)
    unsigned retransmissions = 0;   // all retransmissions in this authentication
    unsigned discarded = 0;         // malformed, wrong id, wrong code or type, integrity failure
    unsigned responses = 0;         // Responses accepted
    unsigned naks = 0;              // Naks received
};

class EapAuthenticator {
public:
    // env (and what it points to) must outlive the machine; env.identity and
    // env.user are filled by the machine itself. registry defaults to
    // MethodRegistry::builtin().
    explicit EapAuthenticator(ServerEnvironment env, AuthenticatorConfig config = {},
                              const MethodRegistry* registry = nullptr);
    ~EapAuthenticator();
    EapAuthenticator(const EapAuthenticator&) = delete;
    EapAuthenticator& operator=(const EapAuthenticator&) = delete;

    // RFC 4137 §5.5 INITIALIZE + Policy: sends EAP-Request/Identity.
    AuthAction start(TimePoint now);
    // The lower layer already knows the identity (e.g. IKEv2 IDi, or a RADIUS
    // Access-Request whose first EAP-Response/Identity was already read):
    // skips the Identity exchange and proposes that user's first method.
    // The first Identifier is still random.
    AuthAction start_with_identity(const std::string& identity, TimePoint now);
    // The same, continuing from an Identifier the lower layer has already used
    // (RADIUS: the id of the EAP-Response/Identity in the Access-Request), so
    // the next Request uses last_identifier + 1 (RFC 4137 §5.4 calculateId).
    AuthAction start_with_identity(const std::string& identity, uint8_t last_identifier, TimePoint now);

    // One received EAP packet (the whole packet, header first).
    AuthAction handle(ByteView packet, TimePoint now);
    // Call when now >= next_timeout(): retransmits the last Request or ends
    // with kTimeout after MaxRetrans.
    AuthAction on_timeout(TimePoint now);

    std::optional<TimePoint> next_timeout() const;

    AuthState state() const { return state_; }
    bool finished() const {
        return state_ == AuthState::kSuccess || state_ == AuthState::kFailure || state_ == AuthState::kTimeout;
    }
    // For status displays.
    const std::string& identity() const { return identity_; }
    std::optional<Type> current_method() const { return method_type_; }
    std::optional<uint8_t> current_identifier() const { return current_id_; }
    const AuthStats& stats() const { return stats_; }
    const std::string& failure_reason() const { return failure_reason_; }
    // The user record found for identity() (nullptr when unknown).
    const UserRecord* user() const { return env_.user; }
    // The running (or finished) method, for owners needing more than keys.
    const ServerMethod* method() const { return method_.get(); }

private:
    void reset(TimePoint now);
    uint8_t next_id();
    AuthAction after_identity(const std::string& identity, TimePoint now);
    AuthAction propose_next_method(const std::vector<uint8_t>* peer_wants, TimePoint now);
    AuthAction send_method_request(TimePoint now);
    AuthAction send_request(Bytes packet, TimePoint now);
    AuthAction handle_response(const Packet& resp, TimePoint now);
    AuthAction handle_nak(const Packet& resp, TimePoint now);
    AuthAction method_finished(TimePoint now);
    AuthAction discard(const std::string& why);
    AuthAction succeed();
    AuthAction fail(const std::string& why);
    Duration current_timeout() const;

    ServerEnvironment env_;
    AuthenticatorConfig config_;
    const MethodRegistry* registry_;

    AuthState state_ = AuthState::kDisabled;
    std::string identity_;
    std::optional<Type> method_type_;
    std::unique_ptr<ServerMethod> method_;
    bool method_has_response_ = false;   // a Nak is legal only before this
    std::vector<Type> tried_;            // methods proposed so far
    std::optional<uint8_t> current_id_;  // RFC 4137 currentId
    Bytes last_request_;                 // RFC 4137 lastReqData
    unsigned retrans_count_ = 0;         // RFC 4137 retransCount
    unsigned rounds_ = 0;                // Responses with the right Identifier
    std::optional<TimePoint> retrans_deadline_;  // retransWhile
    std::string failure_reason_;
    AuthStats stats_;
};

}  // namespace lanyard::eap
