// PEAP, peer side (draft-josefsson-pppext-eap-tls-eap-10 for v1,
// draft-kamath-pppext-peapv0-00 and [MS-PEAP] for v0).
//
// Phase 1: the server's Start carries its version in the Flags' low bits; we
// answer with min(server, ours) (ours: phase1 peapver=, else 1) and fail if a
// forced version cannot be had. A client-role tls::Engine runs over the
// shared framing (methods/tls_common.h, tls_method_support.h). PEAP over TLS
// 1.3 is off unless phase1 has tls_disable_tlsv1_3=0: the method then uses a
// copy of the owner's TLS context capped at TLS 1.2.
// Phase 2: a nested EapPeer (phase2=true, no timer) runs the inner method
// given by phase2 "auth=..." over application data; PEAPv0 drops the inner
// EAP header except for EAP-TLV (methods/peap_common.h). The server ends
// phase 2 with an EAP-TLV Result (v0) or a tunnelled EAP-Success/Failure
// (v1). Crypto binding per phase1 crypto_binding=0/1/2 (methods/peap_keys.h).
// Success rules (CVE-2023-52160 class): a Result TLV success or a tunnelled
// EAP-Success is honoured only after the inner method succeeded, or on a
// resumed TLS session before any inner method started (fast reconnect);
// until the method succeeded may_accept_success() is false.
#pragma once

#include <memory>
#include <string>

#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/eap_peer.h"
#include "methods/method_registry.h"
#include "methods/peap_common.h"
#include "methods/peap_registry.h"
#include "methods/tls_common.h"
#include "tls/tls_engine.h"

namespace lanyard::eap {

class EapPeapPeer final : public PeerMethod {
public:
    // env is copied; what it points to must outlive the method.
    explicit EapPeapPeer(const PeerEnvironment& env);
    // inner_registry: the methods phase 2 may run (null: the built-in ones
    // without tunnelled methods); it must outlive the method.
    EapPeapPeer(const PeerEnvironment& env, const MethodRegistry* inner_registry);
    ~EapPeapPeer() override;

    // nullptr when env has no TLS context.
    static std::unique_ptr<PeerMethod> create(const PeerEnvironment& env);
    // A factory whose phase 2 runs on `inner_registry` (tests).
    static PeerFactory factory(const MethodRegistry* inner_registry);

    Type type() const override { return Type::kPeap; }
    Result<Bytes> process(uint8_t identifier, ByteView type_data) override;
    MethodState state() const override;
    Decision decision() const override;
    bool key_available() const override { return phase_ == Phase::kSucceeded; }
    Keys keys() const override { return keys_; }
    bool may_accept_success() const override;
    std::string failure_reason() const override { return failure_; }
    bool resumed() const override;

    uint8_t version() const { return version_; }
    bool crypto_binding_used() const { return binding_used_; }
    bool phase2_ran() const { return phase2_started_; }
    // The TLS version of phase 1 (nullopt before the handshake finished).
    std::optional<tls::Version> tls_version() const;
    // The inner method type chosen in phase 2 (nullopt before or without).
    std::optional<Type> inner_method() const;

private:
    enum class Phase { kWaitStart, kHandshake, kPhase2, kSucceeded, kFailed };

    Result<Bytes> on_start();
    Result<Bytes> on_message(uint8_t identifier, Bytes message);
    Result<Bytes> after_established(uint8_t identifier);
    Result<Bytes> on_tunnelled(uint8_t identifier, ByteView payload);
    Result<Bytes> on_inner_request(const Bytes& packet, uint8_t type);
    Result<Bytes> on_tlv_request(const Packet& packet);
    Bytes send_tunnelled(ByteView inner_packet);
    Status start_phase2();
    bool inner_succeeded() const;
    bool phase2_sufficient() const;
    SecretBytes inner_isk() const;
    Bytes fail(std::string reason);
    void mark_failed(std::string reason);

    PeerEnvironment env_;
    PeapPhase1 options_;
    TlsExchange exchange_;
    std::unique_ptr<tls::Context> capped_context_;  // TLS 1.2 copy of env.tls
    std::unique_ptr<tls::Engine> engine_;
    uint8_t version_ = kPeapMaxVersion;
    Phase phase_ = Phase::kWaitStart;
    bool resumed_ = false;
    bool phase2_started_ = false;  // an inner method (not just Identity) ran
    bool binding_used_ = false;
    Keys phase1_keys_;
    Keys keys_;
    std::string failure_;

    // Phase 2.
    PeerCredentials inner_credentials_;
    MethodRegistry builtin_inner_registry_;
    const MethodRegistry* inner_registry_;
    std::unique_ptr<tls::Context> inner_tls_;
    PeerEnvironment inner_env_;
    std::unique_ptr<EapPeer> inner_;
};

}  // namespace lanyard::eap
