// EAP-TLS, server side (RFC 5216; RFC 9190 for TLS 1.3).
//
// Sends Start, then runs a server-role tls::Engine from env.tls, whose
// configuration must require a client certificate: EAP-TLS authenticates the
// peer by its certificate (RFC 5216 §2.1.1). Done rules:
//  * TLS 1.2: success when the peer ACKs our ChangeCipherSpec/Finished
//    (RFC 5216 §2.1.1), or, on resumption, when the peer's Finished arrived
//    (§2.1.2).
//  * TLS 1.3: after the handshake the final Request carries the protected
//    success indication, one octet 0x00 of application data (RFC 9190 §2.5);
//    success on the peer's ACK of it.
// On a TLS failure the alert is sent in one more Request (RFC 5216 §2.1.3)
// and the method fails on the peer's ACK; without an alert it fails at once.
#pragma once

#include <memory>
#include <string>

#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/tls_common.h"
#include "tls/tls_engine.h"

namespace lanyard::eap {

class EapTlsServer final : public ServerMethod {
public:
    // env is copied; what it points to must outlive the method.
    explicit EapTlsServer(const ServerEnvironment& env);
    EapTlsServer(const ServerEnvironment& env, FragmentOptions fragments);
    ~EapTlsServer() override;

    // nullptr when env has no TLS context.
    static std::unique_ptr<ServerMethod> create(const ServerEnvironment& env);

    Type type() const override { return Type::kTls; }
    Result<Bytes> build_request(uint8_t identifier) override;
    Status process(ByteView type_data) override;
    bool is_done() const override;
    bool is_success() const override;
    bool key_available() const override { return is_success(); }
    Keys keys() const override { return keys_; }
    std::string failure_reason() const override { return failure_; }
    bool resumed() const override;

    const TlsExchangeStats& exchange_stats() const { return exchange_.stats(); }
    // The client's certificates, leaf first (IKEv2 binds the leaf to the
    // EAP identity: the CVE-2022-4967 class).
    std::vector<tls::PeerCertificate> peer_certificates() const {
        return engine_ ? engine_->peer_certificates() : std::vector<tls::PeerCertificate>{};
    }

private:
    enum class Phase {
        kStart,         // Start not sent yet
        kHandshake,     // TLS handshake in progress
        kWaitFinalAck,  // our last flight (and 0x00 on TLS 1.3) is out; wait for the ACK
        kFailing,       // an alert is out; wait for the ACK
        kSucceeded,
        kFailed,
    };

    Status on_message(Bytes message);
    Status after_established();
    Status on_ack();
    void succeed();
    void fail(std::string reason);

    ServerEnvironment env_;
    TlsExchange exchange_;
    std::unique_ptr<tls::Engine> engine_;
    Phase phase_ = Phase::kStart;
    Keys keys_;
    std::string failure_;
};

}  // namespace lanyard::eap
