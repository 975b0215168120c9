// The OpenSSL implementation of tls::Engine: one SSL object between two
// memory BIOs. Records go in through feed() and come out of take_output();
// no socket is ever involved.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "tls/tls_engine.h"

namespace lanyard::tls::ossl {

// What an engine keeps from the Config (copied: an engine may outlive the
// Context that made it; the SSL object holds its own SSL_CTX reference).
struct EngineSettings {
    Role role = Role::kClient;
    bool verify_peer = true;
    bool require_peer_certificate = false;  // server: EngineOptions
    std::string domain_match;
    std::string domain_suffix_match;
};

class OpensslEngine final : public Engine {
public:
    static Result<std::unique_ptr<OpensslEngine>> create(SSL_CTX* ctx, EngineSettings settings);
    ~OpensslEngine() override;
    OpensslEngine(const OpensslEngine&) = delete;
    OpensslEngine& operator=(const OpensslEngine&) = delete;

    Status set_resumption_session(ByteView serialized_session) override;
    Status start() override;
    Status feed(ByteView records) override;
    Bytes take_output() override;
    bool has_output() const override;
    HandshakeState state() const override { return state_; }
    std::string failure() const override { return failure_; }
    Status write_application_data(ByteView data) override;
    Bytes take_application_data() override;
    bool resumed() const override;
    Version version() const override;
    std::string cipher_name() const override;
    Bytes client_random() const override;
    Bytes server_random() const override;
    Result<SecretBytes> export_keying_material(std::string_view label, ByteView context, bool use_context,
                                               size_t length) override;
    Result<SecretBytes> prf(std::string_view label, ByteView seed, size_t length) override;
    Bytes session_id() const override;
    Bytes serialized_session() const override;
    std::vector<PeerCertificate> peer_certificates() const override;

    // For the OpenSSL callbacks (openssl_verify.cpp, the info callback).
    static OpensslEngine* from(const SSL* ssl);
    const EngineSettings& settings() const { return settings_; }
    // The first reason recorded wins: it is the cause, later ones are effects.
    void note_verify_failure(std::string reason);
    void note_alert(bool received, int alert_value);

private:
    OpensslEngine(SSL* ssl, BIO* rbio, BIO* wbio, EngineSettings settings);

    Status drive_handshake();
    Status drive_reads();
    Status fail(const std::string& fallback);
    Status require_established(const char* what) const;

    SSL* ssl_;
    BIO* rbio_;  // records from the peer (owned by ssl_)
    BIO* wbio_;  // records for the peer (owned by ssl_)
    EngineSettings settings_;
    HandshakeState state_ = HandshakeState::kInProgress;
    bool started_ = false;
    bool peer_closed_ = false;
    std::string failure_;
    std::string verify_failure_;
    std::string alert_received_;
    Bytes app_in_;
};

}  // namespace lanyard::tls::ossl
