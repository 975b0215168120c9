// The Authenticator PAE state machine (IEEE 802.1X-2004 §8.2.4,
// Figure 8-15): reacts to EAPOL-Start and EAPOL-Logoff, (re)starts the EAP
// conversation, holds the port for quietPeriod after a failure, and owns
// authPortStatus.
#pragma once

#include <optional>

#include "common/clock.h"
#include "eapol/authenticator_variables.h"
#include "eapol/pae_timer.h"

namespace lanyard::eapol {

enum class AuthenticatorPaeState {
    kInitialize,
    kDisconnected,
    kRestart,
    kConnecting,
    kAuthenticating,
    kAuthenticated,
    kAborting,
    kHeld,
    kForceAuth,
    kForceUnauth,
};
// "INITIALIZE", ..., "FORCE_AUTH", "FORCE_UNAUTH".
const char* authenticator_pae_state_name(AuthenticatorPaeState state);
// IEEE8021-PAE-MIB dot1xAuthPaeState (hostapd's dot1xAuthPaeState=):
// initialize(1), disconnected(2), connecting(3), authenticating(4),
// authenticated(5), aborting(6), held(7), forceAuth(8), forceUnauth(9),
// restart(10).
int authenticator_pae_state_mib_value(AuthenticatorPaeState state);

// §8.2.4.1.2 constants, with the standard's defaults.
struct AuthenticatorPaeTimers {
    Duration quiet_period = seconds(60);  // quietPeriod
    unsigned reauth_max = 2;              // reAuthMax
};

// §8.2.4.1.3 procedures.
class AuthenticatorPaeActions {
public:
    virtual ~AuthenticatorPaeActions() = default;
    virtual void tx_canned_success() = 0;  // txCannedSuccess
    virtual void tx_canned_fail() = 0;     // txCannedFail
};

class AuthenticatorPae {
public:
    explicit AuthenticatorPae(AuthenticatorPaeTimers timers = {}) : timers_(timers) {}

    // As SupplicantPae::step.
    bool step(AuthenticatorVariables& v, TimePoint now, AuthenticatorPaeActions& actions);

    AuthenticatorPaeState state() const { return state_; }
    const AuthenticatorPaeTimers& timers() const { return timers_; }
    void set_timers(const AuthenticatorPaeTimers& timers) { timers_ = timers; }
    std::optional<TimePoint> next_timeout(TimePoint now) const;
    long quiet_while_seconds(TimePoint now) const { return quiet_while_.seconds_left(now); }

private:
    bool enter(AuthenticatorPaeState next, bool global, AuthenticatorVariables& v, TimePoint now,
               AuthenticatorPaeActions& actions);

    AuthenticatorPaeTimers timers_;
    AuthenticatorPaeState state_ = AuthenticatorPaeState::kInitialize;
    PaeTimer quiet_while_;  // quietWhile
};

}  // namespace lanyard::eapol
