#include "eapol/supplicant_backend.h"

namespace lanyard::eapol {

const char* supplicant_backend_state_name(SupplicantBackendState state) {
    switch (state) {
        case SupplicantBackendState::kRequest: return "REQUEST";
        case SupplicantBackendState::kResponse: return "RESPONSE";
        case SupplicantBackendState::kSuccess: return "SUCCESS";
        case SupplicantBackendState::kFail: return "FAIL";
        case SupplicantBackendState::kTimeout: return "TIMEOUT";
        case SupplicantBackendState::kIdle: return "IDLE";
        case SupplicantBackendState::kInitialize: return "INITIALIZE";
        case SupplicantBackendState::kReceive: return "RECEIVE";
    }
    return "UNKNOWN";
}

int supplicant_backend_state_mib_value(SupplicantBackendState state) {
    switch (state) {
        case SupplicantBackendState::kInitialize: return 1;
        case SupplicantBackendState::kIdle: return 2;
        case SupplicantBackendState::kRequest: return 3;
        case SupplicantBackendState::kResponse: return 4;
        case SupplicantBackendState::kReceive: return 5;
        case SupplicantBackendState::kFail: return 6;
        case SupplicantBackendState::kSuccess: return 7;
        case SupplicantBackendState::kTimeout: return 8;
    }
    return 0;
}

bool SupplicantBackend::step(SupplicantVariables& v, TimePoint now, SupplicantBackendActions& actions) {
    using S = SupplicantBackendState;
    // Figure 8-18 global transition.
    if (v.portControl != PortControl::kAuto || v.initialize || v.suppAbort) {
        return enter(S::kInitialize, true, v, now, actions);
    }
    switch (state_) {
        case S::kInitialize:
            return enter(S::kIdle, false, v, now, actions);
        case S::kIdle:
            if (v.eap.eapFail && v.suppStart) return enter(S::kFail, false, v, now, actions);
            if (v.eapolEap && v.suppStart) return enter(S::kRequest, false, v, now, actions);
            if (v.eap.eapSuccess && v.suppStart) return enter(S::kSuccess, false, v, now, actions);
            return false;
        case S::kRequest:
            // RFC 4137 §4.1.2: the peer sets eapNoResp together with
            // eapSuccess/eapFail, so those pass through RECEIVE first,
            // which also consumes eapolEap.
            if (v.eap.eapResp) return enter(S::kResponse, false, v, now, actions);
            if (v.eap.eapNoResp) return enter(S::kReceive, false, v, now, actions);
            if (v.eap.eapFail) return enter(S::kFail, false, v, now, actions);
            if (v.eap.eapSuccess) return enter(S::kSuccess, false, v, now, actions);
            return false;
        case S::kResponse:
            return enter(S::kReceive, false, v, now, actions);
        case S::kReceive:
            if (v.eapolEap) return enter(S::kRequest, false, v, now, actions);
            if (auth_while_.is_zero(now)) return enter(S::kTimeout, false, v, now, actions);
            if (v.eap.eapFail) return enter(S::kFail, false, v, now, actions);
            if (v.eap.eapSuccess) return enter(S::kSuccess, false, v, now, actions);
            return false;
        case S::kFail:
        case S::kTimeout:
        case S::kSuccess:
            return enter(S::kIdle, false, v, now, actions);
    }
    return false;
}

bool SupplicantBackend::enter(SupplicantBackendState next, bool global, SupplicantVariables& v, TimePoint now,
                              SupplicantBackendActions& actions) {
    using S = SupplicantBackendState;
    const bool changed = !(global && next == state_);
    state_ = next;
    switch (next) {
        case S::kRequest:
            auth_while_.clear();
            v.eap.eapReq = true;
            actions.get_supp_rsp();
            break;
        case S::kResponse:
            actions.tx_supp_rsp();
            v.eap.eapResp = false;
            break;
        case S::kSuccess:
            v.keyRun = true;
            v.suppSuccess = true;
            break;
        case S::kFail:
            v.suppFail = true;
            break;
        case S::kTimeout:
            v.suppTimeout = true;
            break;
        case S::kIdle:
            v.suppStart = false;
            break;
        case S::kInitialize:
            // A global re-entry (the condition still holds) aborts nothing new.
            if (changed) actions.abort_supp();
            v.suppAbort = false;
            break;
        case S::kReceive:
            auth_while_.start(now, auth_period_);
            v.eapolEap = false;
            v.eap.eapNoResp = false;
            break;
    }
    return changed;
}

std::optional<TimePoint> SupplicantBackend::next_timeout(TimePoint now) const {
    switch (state_) {
        case SupplicantBackendState::kReceive: return auth_while_.pending(now);
        case SupplicantBackendState::kRequest:
        case SupplicantBackendState::kResponse:
        case SupplicantBackendState::kSuccess:
        case SupplicantBackendState::kFail:
        case SupplicantBackendState::kTimeout:
        case SupplicantBackendState::kIdle:
        case SupplicantBackendState::kInitialize:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace lanyard::eapol
