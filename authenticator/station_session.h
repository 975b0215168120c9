// One supplicant's session on the authenticator: an IEEE 802.1X-2004
// authenticator port (eapol::AuthenticatorPort, §8.2.4 / §8.2.9) for that
// station's MAC, driven by the integrated EAP server (eap::EapAuthenticator,
// RFC 4137 §5) through the eapol/eap_layer.h seam.
//
// EapServerAdapter is that seam's server side: it turns the port's calls
// into EapAuthenticator calls and the AuthActions back into
// EapServerResults, and reports the start and the end of every EAP
// conversation (for the CTRL-EVENT-EAP-* events and the timeline line).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/mac_address.h"
#include "eapol/authenticator_port.h"
#include "eapol/eap_layer.h"
#include "methods/eap_authenticator.h"

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
    bool resumed = false;    // the TLS session was resumed (RFC 5216 §2.1.2)
    std::string identity;
    std::string reason;      // failure / timeout reason
};

class EapServerAdapter final : public eapol::PaeEapServer {
public:
    struct Callbacks {
        std::function<void()> started;                     // eapRestart
        std::function<void(const EapOutcome&)> finished;   // success / failure / timeout
    };

    EapServerAdapter(const eap::ServerEnvironment& env, const eap::AuthenticatorConfig& config,
                     Callbacks callbacks);

    eapol::EapServerResult restart(TimePoint now) override;
    eapol::EapServerResult process(ByteView eap_response, TimePoint now) override;
    eapol::EapServerResult on_timeout(TimePoint now) override;
    std::optional<TimePoint> next_timeout() const override { return engine_.next_timeout(); }
    const char* state_name() const override { return eap::auth_state_name(engine_.state()); }

    const eap::EapAuthenticator& engine() const { return engine_; }
    // The last finished conversation (nullopt before the first one ends).
    const std::optional<EapOutcome>& last_outcome() const { return last_outcome_; }

private:
    eapol::EapServerResult convert(eap::AuthAction action, TimePoint now);
    void finish(EapOutcome::Kind kind, const std::string& reason, TimePoint now);

    eap::EapAuthenticator engine_;
    Callbacks callbacks_;
    TimePoint started_at_{};
    std::optional<EapOutcome> last_outcome_;
};

// The adapter and the port of one station, plus what the daemon keeps about
// it (its loop timer, when it was authorized, when it was last heard).
class StationSession {
public:
    StationSession(const MacAddress& station, const eapol::AuthenticatorPortConfig& port_config,
                   const eap::ServerEnvironment& env, const eap::AuthenticatorConfig& eap_config,
                   eapol::PortSink& sink, EapServerAdapter::Callbacks callbacks);
    StationSession(const StationSession&) = delete;
    StationSession& operator=(const StationSession&) = delete;

    const MacAddress& station() const { return port_.supplicant(); }
    eapol::AuthenticatorPort& port() { return port_; }
    const eapol::AuthenticatorPort& port() const { return port_; }
    const EapServerAdapter& eap() const { return eap_; }

    // The earliest deadline of the port and the EAP server.
    std::optional<TimePoint> next_timeout() const { return port_.next_timeout(); }

    // Bookkeeping owned by the daemon.
    TimerId timer = kNoTimer;
    TimePoint last_activity{};
    std::optional<TimePoint> authorized_since;

private:
    EapServerAdapter eap_;  // before port_: the port keeps a reference
    eapol::AuthenticatorPort port_;
};

}  // namespace lanyard::authenticator
