// What an authenticator station session needs of its EAP server, whichever
// it is: the integrated engine (EapServerAdapter, station_session.h) or the
// RADIUS pass-through (RadiusEapBackend, radius_eap_backend.h). Both are the
// eapol/eap_layer.h server seam plus what the daemon reports and acts on.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/secret.h"
#include "eapol/eap_layer.h"

namespace lanyard::authenticator {

// How one EAP conversation ended (RFC 4137 §5.1.2 eapSuccess / eapFail /
// eapTimeout).
struct EapOutcome {
    enum class Kind { kSuccess, kFailure, kTimeout };
    Kind kind = Kind::kFailure;
    std::string method;      // "TLS", "MD5", ... ("none" when no method ran)
    uint8_t method_type = 0; // EAP Type number (0 when no method ran)
    unsigned rounds = 0;     // EAP-Responses accepted in this conversation
    Duration time{0};        // from the EAP restart to the decision
    bool resumed = false;    // the TLS session was resumed (RFC 5216 §2.1.2); unknown (false) in pass-through
    std::string identity;
    std::string reason;      // failure / timeout reason
};

// Hooks a session's EAP server calls.
struct EapServerCallbacks {
    std::function<void()> started;                                // eapRestart
    std::function<void(const EapOutcome&)> finished;              // success / failure / timeout
    // A decision that was kPending (the RADIUS server answered): hand it to
    // the port (AuthenticatorPort::eap_result) and re-arm its timers.
    std::function<void(const eapol::EapServerResult&)> deliver;
};

// RFC 2865 §5.27 / §5.29 from the Access-Accept.
struct SessionLimits {
    std::optional<uint32_t> session_timeout;  // seconds
    bool reauthenticate_at_timeout = false;   // Termination-Action = RADIUS-Request
    std::optional<uint32_t> interim_interval; // Acct-Interim-Interval, seconds
};

class StationEapServer : public eapol::PaeEapServer {
public:
    // The last finished conversation (nullopt before the first one ends).
    const std::optional<EapOutcome>& last_outcome() const { return last_outcome_; }
    // The EAP identity of the current or last conversation.
    virtual std::string identity() const = 0;
    // The EAP method toward the station (0: none yet) and, in pass-through,
    // the one the back-end server ran (hostapd's last_eap_type_as).
    virtual uint8_t method_type() const = 0;
    virtual uint8_t backend_method_type() const { return 0; }
    // The MSK of the last success, when the method derived one.
    virtual const SecretBytes* msk() const { return nullptr; }
    // Class attributes to echo in accounting (RFC 2865 §5.25), and the
    // session limits the back-end set; empty for the integrated server.
    virtual std::vector<Bytes> radius_classes() const { return {}; }
    virtual SessionLimits session_limits() const { return {}; }

protected:
    explicit StationEapServer(EapServerCallbacks callbacks) : callbacks_(std::move(callbacks)) {}
    // A conversation starts (eapRestart).
    void begin(TimePoint now) {
        started_at_ = now;
        if (callbacks_.started) callbacks_.started();
    }
    // A conversation ended; fills the time and reports it.
    void end(EapOutcome outcome, TimePoint now) {
        outcome.time = now - started_at_;
        last_outcome_ = outcome;
        if (callbacks_.finished) callbacks_.finished(outcome);
    }
    void deliver(const eapol::EapServerResult& result) {
        if (callbacks_.deliver) callbacks_.deliver(result);
    }

private:
    EapServerCallbacks callbacks_;
    TimePoint started_at_{};
    std::optional<EapOutcome> last_outcome_;
};

}  // namespace lanyard::authenticator
