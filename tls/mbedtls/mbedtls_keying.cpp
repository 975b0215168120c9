// What an established mbedTLS engine tells its owner: exported keys, the
// TLS 1.2 PRF, randoms, session identity, peer certificates.
#include <mbedtls/ssl.h>

#include "tls/mbedtls/mbedtls_engine.h"
#include "tls/mbedtls/mbedtls_errors.h"
#include "tls/mbedtls/mbedtls_x509.h"

namespace lanyard::tls::mbed {

Version MbedtlsEngine::version() const {
    switch (ssl_.minor_ver) {
        case MBEDTLS_SSL_MINOR_VERSION_1: return Version::kTls10;
        case MBEDTLS_SSL_MINOR_VERSION_2: return Version::kTls11;
        default: return Version::kTls12;  // 1.2, or not negotiated yet
    }
}

std::string MbedtlsEngine::cipher_name() const {
    const char* name = mbedtls_ssl_get_ciphersuite(&ssl_);
    return name != nullptr ? name : "";
}

Result<SecretBytes> MbedtlsEngine::tls_prf(std::string_view label, ByteView seed, size_t length) const {
    if (length == 0) return make_error(ErrorCode::kInternal, "TLS PRF: zero length");
    if (master_.size() != 48) return make_error(ErrorCode::kInternal, "TLS PRF: no master secret was exported");
    const std::string label_copy(label);  // mbedTLS wants a C string
    SecretBytes out(length);
    // RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed);
    // RFC 2246 §5 for TLS 1.0/1.1 (mbedTLS picks by prf_type_).
    const int ret = mbedtls_ssl_tls_prf(static_cast<mbedtls_tls_prf_types>(prf_type_), master_.data(), master_.size(),
                                        label_copy.c_str(), seed.data(), seed.size(), out.data(), out.size());
    if (ret != 0) return make_error(ErrorCode::kInternal, "TLS PRF failed: " + error_text(ret));
    return out;
}

Result<SecretBytes> MbedtlsEngine::export_keying_material(std::string_view label, ByteView context,
                                                          bool use_context, size_t length) {
    LANYARD_TRY(require_established("export_keying_material"));
    // RFC 5705 §4: seed = client_random || server_random [|| length16 ||
    // context]; with no context this is RFC 5216 §2.3's derivation.
    Bytes seed = client_random_;
    seed.insert(seed.end(), server_random_.begin(), server_random_.end());
    if (use_context) {
        if (context.size() > 0xffff) return make_error(ErrorCode::kInternal, "exporter context too long");
        seed.push_back(static_cast<uint8_t>(context.size() >> 8));
        seed.push_back(static_cast<uint8_t>(context.size()));
        seed.insert(seed.end(), context.begin(), context.end());
    }
    return tls_prf(label, seed, length);
}

Result<SecretBytes> MbedtlsEngine::prf(std::string_view label, ByteView seed, size_t length) {
    LANYARD_TRY(require_established("prf"));
    return tls_prf(label, seed, length);
}

Bytes MbedtlsEngine::session_id() const {
    if (state_ != HandshakeState::kEstablished || ssl_.session == nullptr) return {};
    return Bytes(ssl_.session->id, ssl_.session->id + ssl_.session->id_len);
}

Bytes MbedtlsEngine::serialized_session() const {
    switch (role()) {
        case Role::kServer: return {};
        case Role::kClient: break;
    }
    if (state_ != HandshakeState::kEstablished || ssl_.session == nullptr || ssl_.session->id_len == 0) return {};
    size_t len = 0;
    (void)mbedtls_ssl_session_save(ssl_.session, nullptr, 0, &len);
    if (len == 0) return {};
    Bytes out(len);
    if (mbedtls_ssl_session_save(ssl_.session, out.data(), out.size(), &len) != 0) return {};
    out.resize(len);
    return out;
}

Status MbedtlsEngine::set_resumption_session(ByteView serialized_session) {
    if (started_) return make_error(ErrorCode::kInternal, "set_resumption_session() after start()");
    switch (role()) {
        case Role::kServer: return make_error(ErrorCode::kInternal, "set_resumption_session() is for clients");
        case Role::kClient: break;
    }
    mbedtls_ssl_session session;
    mbedtls_ssl_session_init(&session);
    int ret = mbedtls_ssl_session_load(&session, serialized_session.data(), serialized_session.size());
    if (ret != 0) {
        mbedtls_ssl_session_free(&session);
        return make_error(ErrorCode::kMalformed, "the saved TLS session does not parse: " + error_text(ret));
    }
    ret = mbedtls_ssl_set_session(&ssl_, &session);
    if (ret == 0) offered_id_.assign(session.id, session.id + session.id_len);
    mbedtls_ssl_session_free(&session);
    if (ret != 0) return make_error(ErrorCode::kInternal, "cannot offer the saved TLS session: " + error_text(ret));
    return ok_status();
}

std::vector<PeerCertificate> MbedtlsEngine::peer_certificates() const {
    std::vector<PeerCertificate> out;
    // The chain as the peer sent it, leaf first (a resumed session keeps
    // only the leaf). Bounded by the certificates mbedTLS accepted.
    for (const mbedtls_x509_crt* crt = mbedtls_ssl_get_peer_cert(&ssl_); crt != nullptr && crt->raw.p != nullptr;
         crt = crt->next) {
        out.push_back(describe(*crt));
    }
    return out;
}

}  // namespace lanyard::tls::mbed
