#include "eapol/backend_authentication.h"

namespace lanyard::eapol {

const char* backend_authentication_state_name(BackendAuthenticationState state) {
    switch (state) {
        case BackendAuthenticationState::kRequest: return "REQUEST";
        case BackendAuthenticationState::kResponse: return "RESPONSE";
        case BackendAuthenticationState::kSuccess: return "SUCCESS";
        case BackendAuthenticationState::kFail: return "FAIL";
        case BackendAuthenticationState::kTimeout: return "TIMEOUT";
        case BackendAuthenticationState::kIdle: return "IDLE";
        case BackendAuthenticationState::kInitialize: return "INITIALIZE";
        case BackendAuthenticationState::kIgnore: return "IGNORE";
    }
    return "UNKNOWN";
}

int backend_authentication_state_mib_value(BackendAuthenticationState state) {
    switch (state) {
        case BackendAuthenticationState::kRequest: return 1;
        case BackendAuthenticationState::kResponse: return 2;
        case BackendAuthenticationState::kSuccess: return 3;
        case BackendAuthenticationState::kFail: return 4;
        case BackendAuthenticationState::kTimeout: return 5;
        case BackendAuthenticationState::kIdle: return 6;
        case BackendAuthenticationState::kInitialize: return 7;
        case BackendAuthenticationState::kIgnore: return 8;
    }
    return 0;
}

bool BackendAuthentication::step(AuthenticatorVariables& v, TimePoint now, BackendAuthenticationActions& actions) {
    using S = BackendAuthenticationState;
    // Figure 8-14 global transition.
    if (v.portControl != PortControl::kAuto || v.initialize || v.authAbort) {
        return enter(S::kInitialize, true, v, now, actions);
    }
    switch (state_) {
        case S::kInitialize:
            return enter(S::kIdle, false, v, now, actions);
        case S::kIdle:
            if (v.eap.eapFail && v.authStart) return enter(S::kFail, false, v, now, actions);
            if (v.eap.eapReq && v.authStart) return enter(S::kRequest, false, v, now, actions);
            if (v.eap.eapSuccess && v.authStart) return enter(S::kSuccess, false, v, now, actions);
            return false;
        case S::kRequest:
            if (v.eapolEap) return enter(S::kResponse, false, v, now, actions);
            if (v.eap.eapReq) return enter(S::kRequest, false, v, now, actions);  // a retransmission
            if (v.eap.eapTimeout || a_while_.is_zero(now)) return enter(S::kTimeout, false, v, now, actions);
            return false;
        case S::kResponse:
            if (v.eap.eapNoReq) return enter(S::kIgnore, false, v, now, actions);
            if (a_while_.is_zero(now)) return enter(S::kTimeout, false, v, now, actions);
            if (v.eap.eapFail) return enter(S::kFail, false, v, now, actions);
            if (v.eap.eapSuccess) return enter(S::kSuccess, false, v, now, actions);
            if (v.eap.eapReq) return enter(S::kRequest, false, v, now, actions);
            return false;
        case S::kIgnore:
            if (v.eapolEap) return enter(S::kResponse, false, v, now, actions);
            if (v.eap.eapReq) return enter(S::kRequest, false, v, now, actions);
            if (v.eap.eapTimeout) return enter(S::kTimeout, false, v, now, actions);
            return false;
        case S::kSuccess:
        case S::kFail:
        case S::kTimeout:
            return enter(S::kIdle, false, v, now, actions);
    }
    return false;
}

bool BackendAuthentication::enter(BackendAuthenticationState next, bool global, AuthenticatorVariables& v,
                                  TimePoint now, BackendAuthenticationActions& actions) {
    using S = BackendAuthenticationState;
    const bool changed = !(global && next == state_);
    state_ = next;
    switch (next) {
        case S::kRequest:
            actions.tx_req();
            v.eap.eapReq = false;
            a_while_.start(now, timers_.supp_timeout);
            // Not in Figure 8-14: a Response received before this Request
            // went out answers an older one, so it is dropped here rather
            // than relayed as the answer to this Request.
            v.eapolEap = false;
            break;
        case S::kResponse:
            v.authTimeout = false;
            v.eapolEap = false;
            v.eap.eapNoReq = false;
            a_while_.start(now, timers_.server_timeout);
            v.eap.eapResp = true;
            actions.send_resp_to_server();
            break;
        case S::kSuccess:
            actions.tx_req();
            v.authSuccess = true;
            v.keyRun = true;
            break;
        case S::kFail:
            actions.tx_req();
            v.authFail = true;
            break;
        case S::kTimeout:
            v.authTimeout = true;
            break;
        case S::kIdle:
            v.authStart = false;
            break;
        case S::kInitialize:
            if (changed) actions.abort_auth();
            v.eap.eapNoReq = false;
            v.authAbort = false;
            break;
        case S::kIgnore:
            v.eap.eapNoReq = false;
            break;
    }
    return changed;
}

std::optional<TimePoint> BackendAuthentication::next_timeout(TimePoint now) const {
    switch (state_) {
        case BackendAuthenticationState::kRequest:
        case BackendAuthenticationState::kResponse:
            return a_while_.pending(now);
        case BackendAuthenticationState::kSuccess:
        case BackendAuthenticationState::kFail:
        case BackendAuthenticationState::kTimeout:
        case BackendAuthenticationState::kIdle:
        case BackendAuthenticationState::kInitialize:
        case BackendAuthenticationState::kIgnore:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace lanyard::eapol
