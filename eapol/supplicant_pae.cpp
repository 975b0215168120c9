#include "eapol/supplicant_pae.h"

namespace lanyard::eapol {

const char* supplicant_pae_state_name(SupplicantPaeState state) {
    switch (state) {
        case SupplicantPaeState::kLogoff: return "LOGOFF";
        case SupplicantPaeState::kDisconnected: return "DISCONNECTED";
        case SupplicantPaeState::kConnecting: return "CONNECTING";
        case SupplicantPaeState::kAuthenticating: return "AUTHENTICATING";
        case SupplicantPaeState::kHeld: return "HELD";
        case SupplicantPaeState::kAuthenticated: return "AUTHENTICATED";
        case SupplicantPaeState::kRestart: return "RESTART";
        case SupplicantPaeState::kForceAuth: return "S_FORCE_AUTH";
        case SupplicantPaeState::kForceUnauth: return "S_FORCE_UNAUTH";
    }
    return "UNKNOWN";
}

int supplicant_pae_state_mib_value(SupplicantPaeState state) {
    switch (state) {
        case SupplicantPaeState::kDisconnected: return 1;
        case SupplicantPaeState::kLogoff: return 2;
        case SupplicantPaeState::kConnecting: return 3;
        case SupplicantPaeState::kAuthenticating: return 4;
        case SupplicantPaeState::kAuthenticated: return 5;
        case SupplicantPaeState::kHeld: return 7;
        case SupplicantPaeState::kRestart: return 8;
        case SupplicantPaeState::kForceAuth: return 9;
        case SupplicantPaeState::kForceUnauth: return 10;
    }
    return 0;
}

bool SupplicantPae::step(SupplicantVariables& v, TimePoint now, SupplicantPaeActions& actions) {
    using S = SupplicantPaeState;
    const bool port_down = v.initialize || !v.portEnabled;
    // Figure 8-17 global transitions, in order.
    if (v.userLogoff && !v.logoffSent && !port_down) return enter(S::kLogoff, true, v, now, actions);
    if ((v.portControl == PortControl::kAuto && v.sPortMode != v.portControl) || port_down) {
        return enter(S::kDisconnected, true, v, now, actions);
    }
    if (v.portControl == PortControl::kForceAuthorized && v.sPortMode != v.portControl) {
        return enter(S::kForceAuth, true, v, now, actions);
    }
    if (v.portControl == PortControl::kForceUnauthorized && v.sPortMode != v.portControl) {
        return enter(S::kForceUnauth, true, v, now, actions);
    }

    switch (state_) {
        case S::kLogoff:
            if (!v.userLogoff) return enter(S::kDisconnected, false, v, now, actions);
            return false;
        case S::kDisconnected:
            return enter(S::kConnecting, false, v, now, actions);
        case S::kConnecting: {
            const bool start_expired = start_when_.is_zero(now);
            const bool starts_exhausted = start_count_ >= timers_.max_start;
            if (start_expired && !starts_exhausted) return enter(S::kConnecting, false, v, now, actions);
            // No answer to maxStart EAPOL-Starts: the authenticator is not
            // 802.1X-aware, so the port is taken as authorized (§8.2.11).
            if (start_expired && starts_exhausted && v.portValid) return enter(S::kAuthenticated, false, v, now, actions);
            if (v.eap.eapSuccess || v.eap.eapFail) return enter(S::kAuthenticating, false, v, now, actions);
            if (v.eapolEap) return enter(S::kRestart, false, v, now, actions);
            if (start_expired && starts_exhausted && !v.portValid) return enter(S::kHeld, false, v, now, actions);
            return false;
        }
        case S::kAuthenticating:
            if (v.suppSuccess && v.portValid) return enter(S::kAuthenticated, false, v, now, actions);
            if (v.suppFail || (v.keyDone && !v.portValid)) return enter(S::kHeld, false, v, now, actions);
            if (v.suppTimeout) return enter(S::kConnecting, false, v, now, actions);
            return false;
        case S::kHeld:
            if (held_while_.is_zero(now)) {
                // Not in Figure 8-17: the failed conversation's eapFail is
                // spent. Left set, CONNECTING would take it for a new outcome
                // and go straight back to HELD without asking the authenticator.
                v.eap.eapFail = false;
                v.eap.eapSuccess = false;
                return enter(S::kConnecting, false, v, now, actions);
            }
            if (v.eapolEap) return enter(S::kRestart, false, v, now, actions);
            return false;
        case S::kAuthenticated:
            if (v.eapolEap && v.portValid) return enter(S::kRestart, false, v, now, actions);
            if (!v.portValid) return enter(S::kDisconnected, false, v, now, actions);
            return false;
        case S::kRestart:
            if (!v.eap.eapRestart) return enter(S::kAuthenticating, false, v, now, actions);
            return false;
        case S::kForceAuth:
        case S::kForceUnauth:
            return false;
    }
    return false;
}

bool SupplicantPae::enter(SupplicantPaeState next, bool global, SupplicantVariables& v, TimePoint now,
                          SupplicantPaeActions& actions) {
    using S = SupplicantPaeState;
    const bool changed = !(global && next == state_);
    state_ = next;
    switch (next) {
        case S::kLogoff:
            actions.tx_logoff();
            v.logoffSent = true;
            v.suppPortStatus = PortStatus::kUnauthorized;
            break;
        case S::kDisconnected:
            v.sPortMode = PortControl::kAuto;
            start_count_ = 0;
            v.logoffSent = false;
            v.suppPortStatus = PortStatus::kUnauthorized;
            v.suppAbort = true;
            break;
        case S::kConnecting:
            start_when_.start(now, timers_.start_period);
            ++start_count_;
            v.eapolEap = false;
            actions.tx_start();
            break;
        case S::kAuthenticating:
            start_count_ = 0;
            v.suppSuccess = false;
            v.suppFail = false;
            v.suppTimeout = false;
            v.keyRun = false;
            v.keyDone = false;
            v.suppStart = true;
            break;
        case S::kHeld:
            held_while_.start(now, timers_.held_period);
            v.suppPortStatus = PortStatus::kUnauthorized;
            break;
        case S::kAuthenticated:
            v.suppPortStatus = PortStatus::kAuthorized;
            break;
        case S::kRestart:
            v.eap.eapRestart = true;
            break;
        case S::kForceAuth:
            v.suppPortStatus = PortStatus::kAuthorized;
            v.sPortMode = PortControl::kForceAuthorized;
            break;
        case S::kForceUnauth:
            v.suppPortStatus = PortStatus::kUnauthorized;
            v.sPortMode = PortControl::kForceUnauthorized;
            actions.tx_logoff();
            break;
    }
    return changed;
}

std::optional<TimePoint> SupplicantPae::next_timeout(TimePoint now) const {
    switch (state_) {
        case SupplicantPaeState::kConnecting: return start_when_.pending(now);
        case SupplicantPaeState::kHeld: return held_while_.pending(now);
        case SupplicantPaeState::kLogoff:
        case SupplicantPaeState::kDisconnected:
        case SupplicantPaeState::kAuthenticating:
        case SupplicantPaeState::kAuthenticated:
        case SupplicantPaeState::kRestart:
        case SupplicantPaeState::kForceAuth:
        case SupplicantPaeState::kForceUnauth:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace lanyard::eapol
