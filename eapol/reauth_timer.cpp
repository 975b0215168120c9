#include "eapol/reauth_timer.h"

namespace lanyard::eapol {

const char* reauth_timer_state_name(ReauthTimerState state) {
    switch (state) {
        case ReauthTimerState::kInitialize: return "INITIALIZE";
        case ReauthTimerState::kReauthenticate: return "REAUTHENTICATE";
    }
    return "UNKNOWN";
}

bool ReauthTimer::step(AuthenticatorVariables& v, TimePoint now) {
    // Figure 8-13 global transition: held in INITIALIZE (reAuthWhen reset)
    // while the port is not authorized under Auto control or reauth is off.
    if (v.portControl != PortControl::kAuto || v.initialize || v.authPortStatus == PortStatus::kUnauthorized ||
        !settings_.reauth_enabled) {
        armed_ = false;
        return enter(ReauthTimerState::kInitialize, true, v, now);
    }
    armed_ = true;
    switch (state_) {
        case ReauthTimerState::kInitialize:
            if (reauth_when_.is_zero(now)) return enter(ReauthTimerState::kReauthenticate, false, v, now);
            return false;
        case ReauthTimerState::kReauthenticate:
            return enter(ReauthTimerState::kInitialize, false, v, now);
    }
    return false;
}

bool ReauthTimer::enter(ReauthTimerState next, bool global, AuthenticatorVariables& v, TimePoint now) {
    const bool changed = !(global && next == state_);
    state_ = next;
    switch (next) {
        case ReauthTimerState::kInitialize:
            reauth_when_.start(now, settings_.reauth_period);
            break;
        case ReauthTimerState::kReauthenticate:
            v.reAuthenticate = true;
            break;
    }
    return changed;
}

std::optional<TimePoint> ReauthTimer::next_timeout(TimePoint now) const {
    if (!armed_) return std::nullopt;
    switch (state_) {
        case ReauthTimerState::kInitialize: return reauth_when_.pending(now);
        case ReauthTimerState::kReauthenticate: return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace lanyard::eapol
