// The Backend Authentication state machine (IEEE 802.1X-2004 §8.2.9,
// Figure 8-14): relays EAP between the supplicant and the EAP authenticator
// (local or behind RADIUS) and tells the Authenticator PAE how it ended.
#pragma once

#include <optional>

#include "common/clock.h"
#include "eapol/authenticator_variables.h"
#include "eapol/pae_timer.h"

namespace lanyard::eapol {

enum class BackendAuthenticationState {
    kRequest,
    kResponse,
    kSuccess,
    kFail,
    kTimeout,
    kIdle,
    kInitialize,
    kIgnore,
};
// "REQUEST", "RESPONSE", ..., "IGNORE".
const char* backend_authentication_state_name(BackendAuthenticationState state);
// IEEE8021-PAE-MIB dot1xAuthBackendAuthState: request(1), response(2),
// success(3), fail(4), timeout(5), idle(6), initialize(7), ignore(8).
int backend_authentication_state_mib_value(BackendAuthenticationState state);

struct BackendAuthenticationTimers {
    // §8.2.9.1.2 serverTimeout: how long to wait for the EAP server.
    Duration server_timeout = seconds(30);
    // suppTimeout (802.1X-2001 §8.5.8.1.2): how long to wait for the
    // supplicant after a Request. In 802.1X-2004 RFC 4137 retransmission
    // (eapTimeout) does this job; aWhile = suppTimeout stays as a backstop
    // for EAP layers that do not retransmit. Each retransmission re-arms it.
    Duration supp_timeout = seconds(30);
};

// §8.2.9.2 procedures.
class BackendAuthenticationActions {
public:
    virtual ~BackendAuthenticationActions() = default;
    virtual void tx_req() = 0;                // txReq: send eapReqData to the supplicant
    virtual void send_resp_to_server() = 0;   // sendRespToServer: eapRespData = received EAP packet
    virtual void abort_auth() = 0;            // abortAuth
};

class BackendAuthentication {
public:
    explicit BackendAuthentication(BackendAuthenticationTimers timers = {}) : timers_(timers) {}

    // As SupplicantPae::step.
    bool step(AuthenticatorVariables& v, TimePoint now, BackendAuthenticationActions& actions);

    BackendAuthenticationState state() const { return state_; }
    const BackendAuthenticationTimers& timers() const { return timers_; }
    void set_timers(const BackendAuthenticationTimers& timers) { timers_ = timers; }
    std::optional<TimePoint> next_timeout(TimePoint now) const;

private:
    bool enter(BackendAuthenticationState next, bool global, AuthenticatorVariables& v, TimePoint now,
               BackendAuthenticationActions& actions);

    BackendAuthenticationTimers timers_;
    BackendAuthenticationState state_ = BackendAuthenticationState::kInitialize;
    PaeTimer a_while_;  // aWhile
};

}  // namespace lanyard::eapol
