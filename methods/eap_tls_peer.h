// EAP-TLS, peer side (RFC 5216; RFC 9190 for TLS 1.3).
//
// Waits for the server's Start, runs a client-role tls::Engine from
// env.tls (which validates the server: CA, domain_match), and carries its
// records in fragments (methods/tls_common.h). Success rules:
//  * TLS 1.2 (RFC 5216 §2.1.1): DONE/UNCOND_SUCC once the server's Finished
//    was processed; the final Response is an empty ACK (or, on resumption,
//    our own ChangeCipherSpec/Finished).
//  * TLS 1.3 (RFC 9190 §2.5): DONE/UNCOND_SUCC only after the protected
//    success indication (one octet 0x00 of application data) arrived; until
//    then may_accept_success() is false and an EAP-Success is not accepted.
// Resumption: env.load_tls_session() is offered, env.save_tls_session() gets
// the new session once the method succeeded.
#pragma once

#include <memory>
#include <string>

#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/tls_common.h"
#include "tls/tls_engine.h"

namespace lanyard::eap {

class EapTlsPeer final : public PeerMethod {
public:
    // env is copied; what it points to must outlive the method.
    explicit EapTlsPeer(const PeerEnvironment& env);
    EapTlsPeer(const PeerEnvironment& env, FragmentOptions fragments);
    ~EapTlsPeer() override;

    // nullptr when env has no TLS context (the registry then skips EAP-TLS).
    static std::unique_ptr<PeerMethod> create(const PeerEnvironment& env);

    Type type() const override { return Type::kTls; }
    Result<Bytes> process(uint8_t identifier, ByteView type_data) override;
    MethodState state() const override;
    Decision decision() const override;
    bool key_available() const override;
    Keys keys() const override { return keys_; }
    bool may_accept_success() const override;
    std::string failure_reason() const override { return failure_; }
    bool resumed() const override;

    const TlsExchangeStats& exchange_stats() const { return exchange_.stats(); }

private:
    enum class Phase {
        kWaitStart,             // nothing yet
        kHandshake,             // TLS handshake in progress
        kWaitSuccessIndication, // TLS 1.3: handshake done, waiting for 0x00
        kSucceeded,
        kFailed,
    };

    Result<Bytes> on_start();
    Result<Bytes> on_message(Bytes message);
    Result<Bytes> after_established();
    Bytes succeed();
    Bytes fail(std::string reason);

    PeerEnvironment env_;
    TlsExchange exchange_;
    std::unique_ptr<tls::Engine> engine_;
    Phase phase_ = Phase::kWaitStart;
    Keys keys_;
    std::string failure_;
};

}  // namespace lanyard::eap
