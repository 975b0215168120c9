// The Supplicant Backend state machine (IEEE 802.1X-2004 §8.2.12,
// Figure 8-18): hands EAP packets to the EAP peer, sends its responses and
// reports success, failure or timeout to the Supplicant PAE.
#pragma once

#include <optional>

#include "common/clock.h"
#include "eapol/pae_timer.h"
#include "eapol/supplicant_variables.h"

namespace lanyard::eapol {

enum class SupplicantBackendState {
    kRequest,
    kResponse,
    kSuccess,
    kFail,
    kTimeout,
    kIdle,
    kInitialize,
    kReceive,
};
// "REQUEST", "RESPONSE", ... (wpa_supplicant's "Supplicant Backend state=").
const char* supplicant_backend_state_name(SupplicantBackendState state);
// IEEE8021-PAE-MIB dot1xSuppBackendPaeState: initialize(1), idle(2),
// request(3), response(4), receive(5), fail(6), success(7), timeout(8).
int supplicant_backend_state_mib_value(SupplicantBackendState state);

// §8.2.12.1.2 procedures.
class SupplicantBackendActions {
public:
    virtual ~SupplicantBackendActions() = default;
    // getSuppRsp: put the received EAP packet in eapReqData for the peer.
    virtual void get_supp_rsp() = 0;
    // txSuppRsp: send eapRespData in an EAP-Packet frame.
    virtual void tx_supp_rsp() = 0;
    // abortSupp: tell the EAP peer to drop the authentication in progress.
    virtual void abort_supp() = 0;
};

class SupplicantBackend {
public:
    // authPeriod (§8.2.12.1.1): how long to wait for the next EAP packet.
    explicit SupplicantBackend(Duration auth_period = seconds(30)) : auth_period_(auth_period) {}

    // As SupplicantPae::step.
    bool step(SupplicantVariables& v, TimePoint now, SupplicantBackendActions& actions);

    SupplicantBackendState state() const { return state_; }
    Duration auth_period() const { return auth_period_; }
    void set_auth_period(Duration period) { auth_period_ = period; }
    std::optional<TimePoint> next_timeout(TimePoint now) const;

private:
    bool enter(SupplicantBackendState next, bool global, SupplicantVariables& v, TimePoint now,
               SupplicantBackendActions& actions);

    Duration auth_period_;
    SupplicantBackendState state_ = SupplicantBackendState::kInitialize;
    PaeTimer auth_while_;  // authWhile
};

}  // namespace lanyard::eapol
