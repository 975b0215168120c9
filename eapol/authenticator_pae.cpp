#include "eapol/authenticator_pae.h"

namespace lanyard::eapol {

const char* authenticator_pae_state_name(AuthenticatorPaeState state) {
    switch (state) {
        case AuthenticatorPaeState::kInitialize: return "INITIALIZE";
        case AuthenticatorPaeState::kDisconnected: return "DISCONNECTED";
        case AuthenticatorPaeState::kRestart: return "RESTART";
        case AuthenticatorPaeState::kConnecting: return "CONNECTING";
        case AuthenticatorPaeState::kAuthenticating: return "AUTHENTICATING";
        case AuthenticatorPaeState::kAuthenticated: return "AUTHENTICATED";
        case AuthenticatorPaeState::kAborting: return "ABORTING";
        case AuthenticatorPaeState::kHeld: return "HELD";
        case AuthenticatorPaeState::kForceAuth: return "FORCE_AUTH";
        case AuthenticatorPaeState::kForceUnauth: return "FORCE_UNAUTH";
    }
    return "UNKNOWN";
}

int authenticator_pae_state_mib_value(AuthenticatorPaeState state) {
    switch (state) {
        case AuthenticatorPaeState::kInitialize: return 1;
        case AuthenticatorPaeState::kDisconnected: return 2;
        case AuthenticatorPaeState::kConnecting: return 3;
        case AuthenticatorPaeState::kAuthenticating: return 4;
        case AuthenticatorPaeState::kAuthenticated: return 5;
        case AuthenticatorPaeState::kAborting: return 6;
        case AuthenticatorPaeState::kHeld: return 7;
        case AuthenticatorPaeState::kForceAuth: return 8;
        case AuthenticatorPaeState::kForceUnauth: return 9;
        case AuthenticatorPaeState::kRestart: return 10;
    }
    return 0;
}

bool AuthenticatorPae::step(AuthenticatorVariables& v, TimePoint now, AuthenticatorPaeActions& actions) {
    using S = AuthenticatorPaeState;
    const bool port_down = v.initialize || !v.portEnabled;
    // Figure 8-15 global transitions.
    if ((v.portControl == PortControl::kAuto && v.portMode != v.portControl) || port_down) {
        return enter(S::kInitialize, true, v, now, actions);
    }
    if (v.portControl == PortControl::kForceAuthorized && v.portMode != v.portControl) {
        return enter(S::kForceAuth, true, v, now, actions);
    }
    if (v.portControl == PortControl::kForceUnauthorized && v.portMode != v.portControl) {
        return enter(S::kForceUnauth, true, v, now, actions);
    }

    switch (state_) {
        case S::kInitialize:
            return enter(S::kDisconnected, false, v, now, actions);
        case S::kDisconnected:
            return enter(S::kRestart, false, v, now, actions);
        case S::kRestart:
            if (!v.eap.eapRestart) return enter(S::kConnecting, false, v, now, actions);
            return false;
        case S::kConnecting:
            if (v.eapolLogoff || v.reAuthCount > timers_.reauth_max) {
                return enter(S::kDisconnected, false, v, now, actions);
            }
            if ((v.eap.eapReq && v.reAuthCount <= timers_.reauth_max) || v.eap.eapSuccess || v.eap.eapFail) {
                return enter(S::kAuthenticating, false, v, now, actions);
            }
            return false;
        case S::kAuthenticating:
            if (v.authSuccess && v.portValid) return enter(S::kAuthenticated, false, v, now, actions);
            if (v.authFail || (v.keyDone && !v.portValid)) return enter(S::kHeld, false, v, now, actions);
            if (v.eapolStart || v.eapolLogoff || v.authTimeout) return enter(S::kAborting, false, v, now, actions);
            return false;
        case S::kAuthenticated:
            if (v.eapolStart || v.reAuthenticate) return enter(S::kRestart, false, v, now, actions);
            if (v.eapolLogoff || !v.portValid) return enter(S::kDisconnected, false, v, now, actions);
            return false;
        case S::kAborting:
            if (v.eapolLogoff && !v.authAbort) return enter(S::kDisconnected, false, v, now, actions);
            if (!v.eapolLogoff && !v.authAbort) return enter(S::kRestart, false, v, now, actions);
            return false;
        case S::kHeld:
            // EAPOL-Start is not a way out: the port stays quiet (§8.2.4).
            if (quiet_while_.is_zero(now)) return enter(S::kRestart, false, v, now, actions);
            return false;
        case S::kForceAuth:
            if (v.eapolStart) return enter(S::kForceAuth, false, v, now, actions);
            return false;
        case S::kForceUnauth:
            if (v.eapolStart) return enter(S::kForceUnauth, false, v, now, actions);
            return false;
    }
    return false;
}

bool AuthenticatorPae::enter(AuthenticatorPaeState next, bool global, AuthenticatorVariables& v, TimePoint now,
                             AuthenticatorPaeActions& actions) {
    using S = AuthenticatorPaeState;
    const bool changed = !(global && next == state_);
    state_ = next;
    switch (next) {
        case S::kInitialize:
            v.portMode = PortControl::kAuto;
            // Not in Figure 8-15, where INITIALIZE leaves authPortStatus
            // alone: the global transition holds the machine here while
            // portEnabled is FALSE, and a port that went down authorized
            // must not stay authorized until it comes back.
            v.authPortStatus = PortStatus::kUnauthorized;
            break;
        case S::kDisconnected:
            v.authPortStatus = PortStatus::kUnauthorized;
            v.reAuthCount = 0;
            v.eapolLogoff = false;
            break;
        case S::kRestart:
            v.eap.eapRestart = true;
            break;
        case S::kConnecting:
            v.reAuthenticate = false;
            ++v.reAuthCount;
            break;
        case S::kAuthenticating:
            v.eapolStart = false;
            v.authSuccess = false;
            v.authFail = false;
            v.authTimeout = false;
            v.authStart = true;
            v.keyRun = false;
            v.keyDone = false;
            break;
        case S::kAuthenticated:
            v.authPortStatus = PortStatus::kAuthorized;
            v.reAuthCount = 0;
            break;
        case S::kAborting:
            v.authAbort = true;
            v.keyRun = false;
            v.authStart = false;
            break;
        case S::kHeld:
            v.authPortStatus = PortStatus::kUnauthorized;
            quiet_while_.start(now, timers_.quiet_period);
            v.eapolLogoff = false;
            break;
        case S::kForceAuth:
            v.authPortStatus = PortStatus::kAuthorized;
            v.portMode = PortControl::kForceAuthorized;
            v.eapolStart = false;
            actions.tx_canned_success();
            break;
        case S::kForceUnauth:
            v.authPortStatus = PortStatus::kUnauthorized;
            v.portMode = PortControl::kForceUnauthorized;
            v.eapolStart = false;
            actions.tx_canned_fail();
            break;
    }
    return changed;
}

std::optional<TimePoint> AuthenticatorPae::next_timeout(TimePoint now) const {
    switch (state_) {
        case AuthenticatorPaeState::kHeld: return quiet_while_.pending(now);
        case AuthenticatorPaeState::kInitialize:
        case AuthenticatorPaeState::kDisconnected:
        case AuthenticatorPaeState::kRestart:
        case AuthenticatorPaeState::kConnecting:
        case AuthenticatorPaeState::kAuthenticating:
        case AuthenticatorPaeState::kAuthenticated:
        case AuthenticatorPaeState::kAborting:
        case AuthenticatorPaeState::kForceAuth:
        case AuthenticatorPaeState::kForceUnauth:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace lanyard::eapol
