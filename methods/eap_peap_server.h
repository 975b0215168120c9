// PEAP, server side (draft-josefsson-pppext-eap-tls-eap-10, [MS-PEAP]).
//
// Start offers the user's peap_version (UserRecord, hostapd's per-user
// version) or PeapServerOptions::version; a peer answering with a lower
// version is followed unless the user record forces one. After the TLS
// handshake (and the peer's ACK of our last flight) phase 2 runs a nested
// EapAuthenticator (phase2=true: [2] user records) over application data,
// starting with an inner EAP-Request/Identity. When it ends:
//  * PEAPv0: an EAP-TLV Request with a Result TLV (success or failure) and,
//    on success and unless crypto binding is off, a Crypto-Binding TLV; the
//    peer's EAP-TLV Response decides (hostapd's behaviour).
//  * PEAPv1: a tunnelled EAP-Success or EAP-Failure; the peer's ACK ends it.
// A resumed TLS session skips phase 2 (fast reconnect: Result TLV success
// at once, IPMK|CMK = TK). The session of a failed authentication is removed
// from the SessionStore, so it can never be resumed past phase 2.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/random.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/method_registry.h"
#include "methods/peap_common.h"
#include "methods/peap_registry.h"
#include "methods/peap_keys.h"
#include "methods/tls_common.h"
#include "tls/tls_engine.h"

namespace lanyard::eap {

struct PeapServerOptions {
    uint8_t version = kPeapVersion0;  // offered when the user record has no peap_version
    CryptoBindingPolicy crypto_binding = CryptoBindingPolicy::kOptional;  // kOptional/kRequired: send it
    bool new_label = false;           // PEAPv1 key label "client PEAP encryption"
    // TLS context for an inner EAP-TLS (it must require client certificates);
    // null: env.tls.
    tls::Context* inner_tls = nullptr;
    // The methods phase 2 may run (null: the built-in ones without tunnelled
    // methods); must outlive the method.
    const MethodRegistry* inner_registry = nullptr;
    // Tests only: behave like a broken (or malicious) server that skips
    // phase 2 and reports success at once (CVE-2023-52160 tests).
    bool test_skip_phase2 = false;
};

// The inner machine's RandomSource: its first octet is a chosen value (the
// inner Identifier, see begin_phase2), everything else comes from the
// owner's source.
class PeapInnerRandom final : public RandomSource {
public:
    PeapInnerRandom(RandomSource* base, uint8_t first_octet) : base_(base), first_(first_octet) {}
    void fill(std::span<uint8_t> out) override;

private:
    RandomSource* base_;
    std::optional<uint8_t> first_;
};

class EapPeapServer final : public ServerMethod {
public:
    EapPeapServer(const ServerEnvironment& env, PeapServerOptions options);
    ~EapPeapServer() override;

    // nullptr when env has no TLS context.
    static std::unique_ptr<ServerMethod> create(const ServerEnvironment& env);
    // A factory with other options (tests, daemons with PEAP settings).
    static ServerFactory factory(PeapServerOptions options);

    Type type() const override { return Type::kPeap; }
    Result<Bytes> build_request(uint8_t identifier) override;
    Status process(ByteView type_data) override;
    bool is_done() const override;
    bool is_success() const override;
    bool key_available() const override { return is_success(); }
    Keys keys() const override { return keys_; }
    std::string failure_reason() const override { return failure_; }
    bool resumed() const override { return resumed_; }

    uint8_t version() const { return version_; }
    bool crypto_binding_used() const { return binding_used_; }
    bool phase2_ran() const { return inner_ != nullptr; }
    // The identity of phase 2 (empty before).
    std::string inner_identity() const;

private:
    enum class Phase {
        kStart,             // Start not sent yet
        kHandshake,         // TLS handshake
        kWaitHandshakeAck,  // our last flight is out; phase 2 starts on the ACK
        kPhase2,            // inner method running
        kTlv,               // v0: EAP-TLV Result Request out
        kSuccessReq,        // v1: tunnelled EAP-Success out
        kFailureReq,        // v1: tunnelled EAP-Failure out
        kFailing,           // TLS alert out
        kSucceeded,
        kFailed,
    };

    Status on_message(Bytes message);
    Status after_established();
    Status on_ack();
    Status begin_phase2();
    Status on_inner_action(const AuthAction& action);
    Status request_result(bool success);
    Status on_tlv_response(ByteView payload);
    Status send_tunnelled(ByteView inner_packet);
    SecretBytes inner_isk() const;
    void succeed();
    void fail(std::string reason);

    ServerEnvironment env_;
    PeapServerOptions options_;
    TlsExchange exchange_;
    std::unique_ptr<tls::Engine> engine_;
    Phase phase_ = Phase::kStart;
    uint8_t version_ = kPeapVersion0;
    bool version_settled_ = false;
    bool forced_version_ = false;
    bool resumed_ = false;
    std::string resumed_identity_;  // the recorded inner identity of a resumed session
    Keys phase1_keys_;
    Keys keys_;
    std::string failure_;

    // Phase 2 and its end.
    MethodRegistry builtin_inner_registry_;
    const MethodRegistry* inner_registry_ = nullptr;
    std::unique_ptr<EapAuthenticator> inner_;
    bool tlv_success_requested_ = false;
    uint8_t tlv_identifier_ = 0;
    bool binding_sent_ = false;
    bool binding_used_ = false;
    std::optional<CompoundKeys> compound_;
    uint8_t last_outer_identifier_ = 0;
    std::optional<PeapInnerRandom> inner_random_;
};

}  // namespace lanyard::eap
