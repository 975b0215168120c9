// The mbedTLS implementation of tls::Engine: one mbedtls_ssl_context whose
// BIO callbacks read and write memory buffers. Records go in through feed()
// and come out of take_output(); no socket is ever involved.
//
// Each engine has its own mbedtls_ssl_config (pointing at the shared
// credentials) because mbedTLS 2.28 gives the key-export and session-cache
// callbacks only a per-config context, and both must reach this engine.
#pragma once

#include <mbedtls/ssl.h>

#include <memory>
#include <string>

#include "tls/mbedtls/mbedtls_shared.h"
#include "tls/tls_engine.h"

namespace lanyard::tls::mbed {

class MbedtlsEngine final : public Engine {
public:
    static Result<std::unique_ptr<MbedtlsEngine>> create(std::shared_ptr<Shared> shared, const EngineOptions& options);
    ~MbedtlsEngine() override;
    MbedtlsEngine(const MbedtlsEngine&) = delete;
    MbedtlsEngine& operator=(const MbedtlsEngine&) = delete;

    Status set_resumption_session(ByteView serialized_session) override;
    Status start() override;
    Status feed(ByteView records) override;
    Bytes take_output() override;
    bool has_output() const override { return !out_.empty(); }
    HandshakeState state() const override { return state_; }
    std::string failure() const override { return failure_; }
    Status write_application_data(ByteView data) override;
    Bytes take_application_data() override;
    bool resumed() const override { return resumed_; }
    Version version() const override;
    std::string cipher_name() const override;
    Bytes client_random() const override { return client_random_; }
    Bytes server_random() const override { return server_random_; }
    Result<SecretBytes> export_keying_material(std::string_view label, ByteView context, bool use_context,
                                               size_t length) override;
    Result<SecretBytes> prf(std::string_view label, ByteView seed, size_t length) override;
    Bytes session_id() const override;
    Bytes serialized_session() const override;
    std::vector<PeerCertificate> peer_certificates() const override;

    // For the C callbacks (mbedtls_engine.cpp, mbedtls_session_cache.cpp).
    Role role() const { return shared_->config.role; }
    const Config& config() const { return shared_->config; }
    void note_verify_failure(std::string reason);
    void note_keys(const unsigned char* master, const unsigned char* client_random,
                   const unsigned char* server_random, int prf_type);
    void note_cache_lookup(ByteView id, bool hit);

private:
    explicit MbedtlsEngine(std::shared_ptr<Shared> shared);
    Status setup();

    Status drive_handshake();
    Status drive_reads();
    Status fail(int ret, const std::string& fallback);
    Status require_established(const char* what) const;
    Result<SecretBytes> tls_prf(std::string_view label, ByteView seed, size_t length) const;

    static int send_cb(void* self, const unsigned char* buf, size_t len);
    static int recv_cb(void* self, unsigned char* buf, size_t len);

    std::shared_ptr<Shared> shared_;
    EngineOptions options_;
    mbedtls_ssl_config conf_;
    mbedtls_ssl_context ssl_;
    Bytes in_;           // records from the peer not yet read by mbedTLS
    size_t in_pos_ = 0;
    Bytes out_;          // records for the peer
    Bytes app_in_;
    HandshakeState state_ = HandshakeState::kInProgress;
    bool started_ = false;
    bool peer_closed_ = false;
    bool resumed_ = false;
    bool alert_sent_ = false;
    std::string failure_;
    std::string verify_failure_;
    // From the key-export callback (RFC 5246 §8.1 master secret and the
    // hello randoms of this handshake).
    SecretBytes master_;
    Bytes client_random_;
    Bytes server_random_;
    int prf_type_ = 0;  // mbedtls_tls_prf_types
    // Client: the session id offered for resumption. Server: the id a
    // client offered and the store had.
    Bytes offered_id_;
    Bytes cache_hit_id_;
};

}  // namespace lanyard::tls::mbed
