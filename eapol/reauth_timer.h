// The Reauthentication Timer state machine (IEEE 802.1X-2004 §8.2.8,
// Figure 8-13): while the port is authorized and reAuthEnabled, asks for a
// reauthentication every reAuthPeriod.
#pragma once

#include <optional>

#include "common/clock.h"
#include "eapol/authenticator_variables.h"
#include "eapol/pae_timer.h"

namespace lanyard::eapol {

enum class ReauthTimerState { kInitialize, kReauthenticate };
const char* reauth_timer_state_name(ReauthTimerState state);  // "INITIALIZE", "REAUTHENTICATE"

// §8.2.8.1 constants. The standard's default for reAuthEnabled is FALSE;
// hostapd's eap_reauth_period=3600 turns it on.
struct ReauthTimerSettings {
    Duration reauth_period = seconds(3600);  // reAuthPeriod
    bool reauth_enabled = false;             // reAuthEnabled
};

class ReauthTimer {
public:
    explicit ReauthTimer(ReauthTimerSettings settings = {}) : settings_(settings) {}

    // As SupplicantPae::step. No outputs but reAuthenticate.
    bool step(AuthenticatorVariables& v, TimePoint now);

    ReauthTimerState state() const { return state_; }
    const ReauthTimerSettings& settings() const { return settings_; }
    void set_settings(const ReauthTimerSettings& settings) { settings_ = settings; }
    std::optional<TimePoint> next_timeout(TimePoint now) const;
    long reauth_when_seconds(TimePoint now) const { return reauth_when_.seconds_left(now); }

private:
    bool enter(ReauthTimerState next, bool global, AuthenticatorVariables& v, TimePoint now);

    ReauthTimerSettings settings_;
    ReauthTimerState state_ = ReauthTimerState::kInitialize;
    PaeTimer reauth_when_;  // reAuthWhen
    bool armed_ = false;    // the global condition was false at the last step
};

}  // namespace lanyard::eapol
