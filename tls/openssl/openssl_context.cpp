// tls::make_context() for OpenSSL 3: one SSL_CTX per Config, loaded once.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "common/log.h"
#include "tls/openssl/openssl_credentials.h"
#include "tls/openssl/openssl_engine.h"
#include "tls/openssl/openssl_errors.h"
#include "tls/openssl/openssl_session_cache.h"
#include "tls/openssl/openssl_verify.h"
#include "tls/tls_engine.h"

namespace lanyard::tls {
namespace {

int protocol_version(Version v) {
    switch (v) {
        case Version::kTls10: return TLS1_VERSION;
        case Version::kTls11: return TLS1_1_VERSION;
        case Version::kTls12: return TLS1_2_VERSION;
        case Version::kTls13: return TLS1_3_VERSION;
    }
    return TLS1_2_VERSION;
}

struct CtxDeleter {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

class OpensslContext final : public Context {
public:
    OpensslContext(SSL_CTX* ctx, const Config& config) : ctx_(ctx), config_(config) {}

    using Context::new_engine;
    std::unique_ptr<Engine> new_engine(const EngineOptions& options) override {
        if (options.require_peer_certificate && config_.ca_file.empty()) {
            LOG_ERROR("tls", "cannot require a client certificate: the server has no ca_cert to verify it");
            return nullptr;
        }
        ossl::EngineSettings settings;
        settings.role = config_.role;
        settings.verify_peer = config_.verify_peer;
        settings.require_peer_certificate = options.require_peer_certificate;
        settings.domain_match = config_.domain_match;
        settings.domain_suffix_match = config_.domain_suffix_match;
        auto engine = ossl::OpensslEngine::create(ctx_.get(), std::move(settings));
        if (!engine) {
            LOG_ERROR("tls", "cannot create a TLS engine: %s", engine.error().detail.c_str());
            return nullptr;
        }
        return std::move(engine).value();
    }

    const Config& config() const override { return config_; }

private:
    std::unique_ptr<SSL_CTX, CtxDeleter> ctx_;
    Config config_;
};

Status configure(SSL_CTX* ctx, const Config& c) {
    if (SSL_CTX_set_min_proto_version(ctx, protocol_version(c.min_version)) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, protocol_version(c.max_version)) != 1) {
        return make_error(ErrorCode::kConfig, "cannot set the TLS version range: " + ossl::drain_errors());
    }
    if (protocol_version(c.min_version) < TLS1_2_VERSION) {
        // OpenSSL's default security level 2 (Debian's too) refuses TLS 1.0/1.1
        // outright; a configuration that asks for them gets them.
        SSL_CTX_set_security_level(ctx, 0);
    }
    if (!c.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx, c.cipher_list.c_str()) != 1) {
        return make_error(ErrorCode::kConfig, "invalid cipher_list \"" + c.cipher_list + "\": " + ossl::drain_errors());
    }
    const bool server = c.role == Role::kServer;
    if (!c.ca_file.empty()) {
        LANYARD_TRY(ossl::load_ca_file(ctx, c.ca_file, server));
        for (const std::string& f : c.extra_ca_files) LANYARD_TRY(ossl::load_ca_file(ctx, f, server));
    }
    if (!c.cert_file.empty()) {
        LANYARD_TRY(ossl::load_certificate_chain(ctx, c.cert_file));
        LANYARD_TRY(ossl::load_private_key(ctx, c.key_file, c.key_password, c.cert_file));
    }
    switch (c.role) {
        case Role::kClient:
            // Always verify so the callback sees the leaf; it ignores chain
            // errors only when verify_peer is off.
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, ossl::verify_callback);
            // EAP servers that do not send the RFC 5746 renegotiation_info
            // extension (strongSwan's libtls, older RADIUS servers) are
            // accepted, as wpa_supplicant does: EAP never renegotiates, and
            // OpenSSL 3 would otherwise refuse the handshake.
            SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
            break;
        case Role::kServer:
            // RFC 5216 §5.3: EAP-TLS servers request and require a client
            // certificate; PEAP servers do not ask for one.
            SSL_CTX_set_verify(ctx,
                               c.require_peer_certificate ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                                                          : SSL_VERIFY_NONE,
                               c.require_peer_certificate ? ossl::verify_callback : nullptr);
            if (c.session_store != nullptr && c.session_lifetime_seconds > 0) {
                ossl::install_session_store(ctx, c.session_store, c.session_lifetime_seconds);
            } else {
                ossl::disable_resumption(ctx);
            }
            break;
    }
    return ok_status();
}

}  // namespace

Result<std::unique_ptr<Context>> make_context(const Config& config) {
    LANYARD_TRY(validate_config(config));
    ERR_clear_error();
    std::unique_ptr<SSL_CTX, CtxDeleter> ctx(SSL_CTX_new_ex(nullptr, nullptr, TLS_method()));
    if (!ctx) return make_error(ErrorCode::kInternal, "SSL_CTX_new failed: " + ossl::drain_errors());
    LANYARD_TRY(configure(ctx.get(), config));
    return std::unique_ptr<Context>(std::make_unique<OpensslContext>(ctx.release(), config));
}

std::string backend_name() { return std::string("openssl ") + OpenSSL_version(OPENSSL_VERSION_STRING); }

}  // namespace lanyard::tls
