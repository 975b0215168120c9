// The variables the supplicant machines share (IEEE 802.1X-2004 §8.2.2.2
// global variables, §8.2.11.1 Supplicant PAE, §8.2.12.1 Supplicant Backend,
// and the RFC 4137 §4.1 EAP peer interface). Field names are the standard's,
// so the code reads side by side with the state diagrams.
#pragma once

#include "common/bytes.h"
#include "eapol/pae_types.h"

namespace lanyard::eapol {

// RFC 4137 §4.1.1 / §4.1.2, as seen by the lower layer.
struct EapPeerVariables {
    bool eapReq = false;      // lower layer → peer: eapReqData waits
    bool eapRestart = false;  // lower layer → peer
    bool eapResp = false;     // peer → lower layer: eapRespData waits
    bool eapNoResp = false;
    bool eapSuccess = false;
    bool eapFail = false;
    bool keyAvailable = false;
    Bytes eapReqData;
    Bytes eapRespData;
};

struct SupplicantVariables {
    // §8.2.2.2
    bool initialize = false;
    bool portEnabled = false;
    bool portValid = true;  // wired: always; 802.11: set by the key machines
    PortControl portControl = PortControl::kAuto;
    bool keyRun = false;
    bool keyDone = false;
    bool eapolEap = false;  // an EAP-Packet frame was received
    // §8.2.11.1
    bool userLogoff = false;
    bool logoffSent = false;
    PortStatus suppPortStatus = PortStatus::kUnauthorized;
    PortControl sPortMode = PortControl::kAuto;
    // §8.2.11.1 / §8.2.12.1: PAE ↔ backend
    bool suppAbort = false;
    bool suppFail = false;
    bool suppStart = false;
    bool suppSuccess = false;
    bool suppTimeout = false;

    EapPeerVariables eap;
};

}  // namespace lanyard::eapol
