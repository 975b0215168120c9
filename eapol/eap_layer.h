// The seam between the 802.1X ports and an EAP engine (RFC 4137 §4.1 for the
// peer, §5.1 for the authenticator; IEEE 802.1X-2004 §8.2.9, §8.2.12).
//
// The ports keep the RFC 4137 interface variables themselves (eapReq,
// eapResp, eapNoResp, eapNoReq, eapSuccess, eapFail, eapTimeout, eapRestart,
// keyAvailable; see supplicant_variables.h and authenticator_variables.h) and
// talk to the engine through the calls below. Each call returns what the
// engine decided, which the port turns into those variables. A daemon adapts
// the methods/ engine (eap::EapPeer, eap::EapAuthenticator) in a few lines;
// a RADIUS pass-through returns kPending and later hands the answer to the
// port (SupplicantPort::eap_result / AuthenticatorPort::eap_result).
#pragma once

#include <optional>

#include "common/bytes.h"
#include "common/clock.h"

namespace lanyard::eapol {

// What the EAP peer made of a Request (RFC 4137 §4.1.2).
struct EapPeerResult {
    enum class Kind {
        kPending,     // no decision yet (e.g. waiting for a password); nothing set
        kNoResponse,  // eapNoResp: the packet was discarded
        kResponse,    // eapResp + eapRespData = packet
        kSuccess,     // eapSuccess (+ keyAvailable)
        kFailure,     // eapFail
    };
    Kind kind = Kind::kPending;
    Bytes packet;                // kResponse: the whole EAP-Response
    bool key_available = false;  // kSuccess: eapKeyAvailable

    static EapPeerResult pending() { return {}; }
    static EapPeerResult no_response() { return {Kind::kNoResponse, {}, false}; }
    static EapPeerResult response(Bytes p) { return {Kind::kResponse, std::move(p), false}; }
    static EapPeerResult success(bool keys) { return {Kind::kSuccess, {}, keys}; }
    static EapPeerResult failure() { return {Kind::kFailure, {}, false}; }
};

// The EAP peer as the supplicant port sees it.
class PaeEapPeer {
public:
    virtual ~PaeEapPeer() = default;
    // eapRestart (RFC 4137 §4.1.1): forget the conversation, start afresh.
    virtual void restart(TimePoint now) = 0;
    // eapReq with eapReqData (802.1X-2004 §8.2.12.2.1 getSuppRsp): one EAP
    // packet (Request, Success or Failure) from the authenticator.
    virtual EapPeerResult process(ByteView eap_packet, TimePoint now) = 0;
    // Called when now >= next_timeout() (RFC 4137 idleWhile).
    virtual EapPeerResult on_timeout(TimePoint now) = 0;
    virtual std::optional<TimePoint> next_timeout() const = 0;
    // 802.1X-2004 §8.2.12.2.1 abortSupp: drop any authentication in progress.
    virtual void abort() {}
    // For STATUS "EAP state=...".
    virtual const char* state_name() const = 0;
};

// What the EAP authenticator made of a Response (RFC 4137 §5.1.2).
struct EapServerResult {
    enum class Kind {
        kPending,    // waiting (e.g. for a RADIUS server); nothing set
        kNoRequest,  // eapNoReq: the Response was discarded
        kRequest,    // eapReq + eapReqData = packet (new or retransmitted)
        kSuccess,    // eapSuccess + eapReqData = packet (EAP-Success)
        kFailure,    // eapFail + eapReqData = packet (EAP-Failure)
        kTimeout,    // eapTimeout: MaxRetrans exceeded
    };
    Kind kind = Kind::kPending;
    Bytes packet;
    bool key_available = false;  // kSuccess: eapKeyAvailable

    static EapServerResult pending() { return {}; }
    static EapServerResult no_request() { return {Kind::kNoRequest, {}, false}; }
    static EapServerResult request(Bytes p) { return {Kind::kRequest, std::move(p), false}; }
    static EapServerResult success(Bytes p, bool keys) { return {Kind::kSuccess, std::move(p), keys}; }
    static EapServerResult failure(Bytes p) { return {Kind::kFailure, std::move(p), false}; }
    static EapServerResult timeout() { return {Kind::kTimeout, {}, false}; }
};

// The EAP authenticator (standalone, or full with an AAA back end) as the
// authenticator port sees it.
class PaeEapServer {
public:
    virtual ~PaeEapServer() = default;
    // eapRestart (RFC 4137 §5.1.1): start afresh; usually answers with the
    // Request/Identity.
    virtual EapServerResult restart(TimePoint now) = 0;
    // eapResp with eapRespData (802.1X-2004 §8.2.9.2.1 sendRespToServer).
    virtual EapServerResult process(ByteView eap_response, TimePoint now) = 0;
    // Called when now >= next_timeout() (RFC 4137 retransWhile).
    virtual EapServerResult on_timeout(TimePoint now) = 0;
    virtual std::optional<TimePoint> next_timeout() const = 0;
    // 802.1X-2004 §8.2.9.2.1 abortAuth: drop any authentication in progress
    // (e.g. forget a pending RADIUS exchange).
    virtual void abort() {}
    virtual const char* state_name() const = 0;
};

}  // namespace lanyard::eapol
