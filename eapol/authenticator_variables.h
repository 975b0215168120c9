// The variables the authenticator machines share (IEEE 802.1X-2004 §8.2.2.2
// global variables, §8.2.4.1 Authenticator PAE, §8.2.8 Reauthentication
// Timer, §8.2.9.1 Backend Authentication, and the RFC 4137 §5.1 EAP
// authenticator interface). Field names are the standard's.
#pragma once

#include "common/bytes.h"
#include "eapol/pae_types.h"

namespace lanyard::eapol {

// RFC 4137 §5.1.1 / §5.1.2, as seen by the lower layer.
struct EapServerVariables {
    bool eapResp = false;     // lower layer → authenticator: eapRespData waits
    bool eapRestart = false;  // lower layer → authenticator
    bool eapReq = false;      // authenticator → lower layer: eapReqData waits
    bool eapNoReq = false;
    bool eapSuccess = false;
    bool eapFail = false;
    bool eapTimeout = false;
    bool keyAvailable = false;
    Bytes eapReqData;
    Bytes eapRespData;
};

struct AuthenticatorVariables {
    // §8.2.2.2
    bool initialize = false;
    bool portEnabled = false;
    bool portValid = true;
    PortControl portControl = PortControl::kAuto;
    bool keyRun = false;
    bool keyDone = false;
    bool eapolEap = false;  // an EAP-Packet frame was received
    bool reAuthenticate = false;
    PortStatus authPortStatus = PortStatus::kUnauthorized;
    // §8.2.4.1
    bool eapolLogoff = false;
    bool eapolStart = false;
    PortControl portMode = PortControl::kAuto;
    unsigned reAuthCount = 0;
    // §8.2.4.1 / §8.2.9.1: PAE ↔ backend
    bool authAbort = false;
    bool authFail = false;
    bool authStart = false;
    bool authTimeout = false;
    bool authSuccess = false;

    EapServerVariables eap;
};

}  // namespace lanyard::eapol
