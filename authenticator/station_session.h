// One supplicant's session on the authenticator: an IEEE 802.1X-2004
// authenticator port (eapol::AuthenticatorPort, §8.2.4 / §8.2.9) for that
// station's MAC, driven by an EAP server through the eapol/eap_layer.h seam:
// the integrated EAP server (EapServerAdapter, below) or the RADIUS
// pass-through (radius_eap_backend.h).
//
// EapServerAdapter turns the port's calls into eap::EapAuthenticator calls
// (RFC 4137 §5) and the AuthActions back into EapServerResults, and reports
// the start and the end of every EAP conversation (for the CTRL-EVENT-EAP-*
// events and the timeline line).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "authenticator/station_eap_server.h"
#include "common/clock.h"
#include "common/event_loop.h"
#include "common/mac_address.h"
#include "eapol/authenticator_port.h"
#include "methods/eap_authenticator.h"

namespace lanyard::authenticator {

class EapServerAdapter final : public StationEapServer {
public:
    using Callbacks = EapServerCallbacks;

    EapServerAdapter(const eap::ServerEnvironment& env, const eap::AuthenticatorConfig& config,
                     Callbacks callbacks);

    eapol::EapServerResult restart(TimePoint now) override;
    eapol::EapServerResult process(ByteView eap_response, TimePoint now) override;
    eapol::EapServerResult on_timeout(TimePoint now) override;
    std::optional<TimePoint> next_timeout() const override { return engine_.next_timeout(); }
    const char* state_name() const override { return eap::auth_state_name(engine_.state()); }

    std::string identity() const override { return engine_.identity(); }
    uint8_t method_type() const override;

    const eap::EapAuthenticator& engine() const { return engine_; }
    // The MSK of the last success (Wi-Fi derives the PMK from it).
    const SecretBytes* msk() const override { return msk_.empty() ? nullptr : &msk_; }

private:
    eapol::EapServerResult convert(eap::AuthAction action, TimePoint now);
    void finish(EapOutcome::Kind kind, const std::string& reason, TimePoint now);

    eap::EapAuthenticator engine_;
    SecretBytes msk_;
};

// The EAP server and the port of one station, plus what the daemon keeps
// about it (its loop timers, when it was authorized, when it was last heard).
class StationSession {
public:
    // eap must not be null.
    StationSession(const MacAddress& station, const eapol::AuthenticatorPortConfig& port_config,
                   std::unique_ptr<StationEapServer> eap, eapol::PortSink& sink);
    StationSession(const StationSession&) = delete;
    StationSession& operator=(const StationSession&) = delete;

    const MacAddress& station() const { return port_.supplicant(); }
    eapol::AuthenticatorPort& port() { return port_; }
    const eapol::AuthenticatorPort& port() const { return port_; }
    const StationEapServer& eap() const { return *eap_; }

    // The earliest deadline of the port and the EAP server.
    std::optional<TimePoint> next_timeout() const { return port_.next_timeout(); }

    // Bookkeeping owned by the daemon.
    TimerId timer = kNoTimer;
    TimerId session_timer = kNoTimer;  // RADIUS Session-Timeout
    TimePoint last_activity{};
    std::optional<TimePoint> authorized_since;

private:
    std::unique_ptr<StationEapServer> eap_;  // before port_: the port keeps a reference
    eapol::AuthenticatorPort port_;
};

}  // namespace lanyard::authenticator
