// The method interface: each EAP method implements it once for the peer and
// once for the server (RFC 4137 §4.4 and §5.4 method procedures). The
// machines in eap_peer.h and eap_authenticator.h drive methods through it
// and know nothing of any method's insides.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

// RFC 4137 §4.1.2 methodState and decision.
enum class MethodState { kInit, kCont, kMayCont, kDone };
enum class Decision { kFail, kCondSucc, kUncondSucc };

// Peer side of one method for one authentication.
class PeerMethod {
public:
    virtual ~PeerMethod() = default;
    virtual Type type() const = 0;

    // m.check + m.process + m.buildResp for one Request. type_data is what
    // follows the Type octet. On success the result is the Response's type
    // data (without the Type octet). An error means the Request is dropped
    // silently (malformed or failing an integrity check) and the method's
    // state is unchanged; failures of authentication are reported through
    // state()/decision() instead, usually with a response to send.
    virtual Result<Bytes> process(uint8_t identifier, ByteView type_data) = 0;

    virtual MethodState state() const = 0;
    virtual Decision decision() const = 0;

    // m.isKeyAvailable / m.getKey: after success.
    virtual bool key_available() const { return false; }
    virtual Keys keys() const { return {}; }
    // A method that can be tunnelled (PEAP inner) may expose its inner
    // session key (e.g. MSCHAPv2's MasterKey based ISK); empty otherwise.
    virtual SecretBytes inner_session_key() const { return {}; }
    // A method that needs it (EAP-TLS over TLS 1.3, PEAP) reports whether an
    // EAP-Success may be accepted now (RFC 9190 §2.5, CVE-2023-52160 class).
    virtual bool may_accept_success() const { return state() == MethodState::kDone || state() == MethodState::kMayCont; }
    // Why the method failed (for logs and the control interface).
    virtual std::string failure_reason() const { return {}; }
    // Was a TLS session resumed (TLS-based methods).
    virtual bool resumed() const { return false; }
};

// Server side of one method for one authentication.
class ServerMethod {
public:
    virtual ~ServerMethod() = default;
    virtual Type type() const = 0;

    // m.buildReq: the next Request's type data (without the Type octet).
    virtual Result<Bytes> build_request(uint8_t identifier) = 0;
    // m.check + m.process for a Response's type data. An error means the
    // Response is discarded (malformed or failing an integrity check); the
    // method's state is unchanged.
    virtual Status process(ByteView type_data) = 0;

    // m.isDone and m.getDecision (RFC 4137 §5.4).
    virtual bool is_done() const = 0;
    virtual bool is_success() const = 0;

    virtual bool key_available() const { return false; }
    virtual Keys keys() const { return {}; }
    virtual SecretBytes inner_session_key() const { return {}; }
    virtual std::string failure_reason() const { return {}; }
    virtual bool resumed() const { return false; }
};

}  // namespace lanyard::eap
