// What an established OpenSSL engine tells its owner: exported keys, the
// TLS 1.2 PRF, randoms, session identity, peer certificates.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

#include "tls/openssl/openssl_engine.h"
#include "tls/openssl/openssl_errors.h"
#include "tls/openssl/openssl_x509.h"

namespace lanyard::tls::ossl {
namespace {

struct KdfCtxDeleter {
    void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// The PRF digest of a TLS <= 1.2 connection: MD5+SHA-1 before 1.2 (RFC 2246
// §5), the cipher suite's PRF hash in 1.2 (RFC 5246 §5).
std::string prf_digest(const SSL* ssl) {
    if (SSL_version(ssl) < TLS1_2_VERSION) return "MD5-SHA1";
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
    const EVP_MD* md = cipher != nullptr ? SSL_CIPHER_get_handshake_digest(cipher) : nullptr;
    return md != nullptr ? EVP_MD_get0_name(md) : "SHA256";
}

}  // namespace

bool OpensslEngine::resumed() const { return SSL_session_reused(ssl_) == 1; }

Version OpensslEngine::version() const {
    switch (SSL_version(ssl_)) {
        case TLS1_VERSION: return Version::kTls10;
        case TLS1_1_VERSION: return Version::kTls11;
        case TLS1_2_VERSION: return Version::kTls12;
        case TLS1_3_VERSION: return Version::kTls13;
        default: return Version::kTls12;  // not negotiated yet
    }
}

std::string OpensslEngine::cipher_name() const {
    const char* name = SSL_get_cipher_name(ssl_);
    return name != nullptr ? name : "";
}

Bytes OpensslEngine::client_random() const {
    Bytes out(SSL3_RANDOM_SIZE);
    out.resize(SSL_get_client_random(ssl_, out.data(), out.size()));
    return out;
}

Bytes OpensslEngine::server_random() const {
    Bytes out(SSL3_RANDOM_SIZE);
    out.resize(SSL_get_server_random(ssl_, out.data(), out.size()));
    return out;
}

Result<SecretBytes> OpensslEngine::export_keying_material(std::string_view label, ByteView context,
                                                          bool use_context, size_t length) {
    LANYARD_TRY(require_established("export_keying_material"));
    if (length == 0) return make_error(ErrorCode::kInternal, "export_keying_material: zero length");
    SecretBytes out(length);
    ERR_clear_error();
    // RFC 5705 §4 (TLS 1.2; with no context this is RFC 5216 §2.3's
    // PRF(master_secret, label, client.random || server.random)) and
    // RFC 8446 §7.5 (TLS 1.3).
    const std::string label_copy(label);
    if (SSL_export_keying_material(ssl_, out.data(), out.size(), label_copy.c_str(), label_copy.size(),
                                   context.empty() ? nullptr : context.data(), context.size(),
                                   use_context ? 1 : 0) != 1) {
        return make_error(ErrorCode::kInternal, "keying material export failed: " + drain_errors());
    }
    return out;
}

Result<SecretBytes> OpensslEngine::prf(std::string_view label, ByteView seed, size_t length) {
    LANYARD_TRY(require_established("prf"));
    if (SSL_version(ssl_) >= TLS1_3_VERSION) {
        return make_error(ErrorCode::kUnsupported, "the TLS PRF with a free seed does not exist in TLS 1.3");
    }
    if (length == 0) return make_error(ErrorCode::kInternal, "prf: zero length");
    const SSL_SESSION* session = SSL_get_session(ssl_);
    if (session == nullptr) return make_error(ErrorCode::kInternal, "prf: no session");
    SecretBytes master(SSL_SESSION_get_master_key(session, nullptr, 0));
    SSL_SESSION_get_master_key(session, master.data(), master.size());

    // RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed).
    Bytes label_seed(label.begin(), label.end());
    label_seed.insert(label_seed.end(), seed.begin(), seed.end());
    std::string digest = prf_digest(ssl_);

    static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
    if (kdf == nullptr) return make_error(ErrorCode::kUnsupported, "TLS1-PRF not available: " + drain_errors());
    std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> kctx(EVP_KDF_CTX_new(kdf));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, master.data(), master.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, label_seed.data(), label_seed.size()),
        OSSL_PARAM_construct_end(),
    };
    SecretBytes out(length);
    if (!kctx || EVP_KDF_derive(kctx.get(), out.data(), out.size(), params) != 1) {
        return make_error(ErrorCode::kInternal, "TLS PRF failed: " + drain_errors());
    }
    return out;
}

Bytes OpensslEngine::session_id() const {
    const SSL_SESSION* session = SSL_get_session(ssl_);
    if (session == nullptr) return {};
    unsigned int len = 0;
    const unsigned char* id = SSL_SESSION_get_id(session, &len);
    return Bytes(id, id + len);
}

Bytes OpensslEngine::serialized_session() const {
    switch (settings_.role) {
        case Role::kServer: return {};
        case Role::kClient: break;
    }
    if (state_ != HandshakeState::kEstablished) return {};
    SSL_SESSION* session = SSL_get1_session(ssl_);
    if (session == nullptr) return {};
    Bytes out;
    // TLS 1.3: resumable only once a NewSessionTicket arrived (RFC 8446 §4.6.1).
    if (SSL_SESSION_is_resumable(session) == 1) {
        const int len = i2d_SSL_SESSION(session, nullptr);
        if (len > 0) {
            out.resize(static_cast<size_t>(len));
            unsigned char* p = out.data();
            i2d_SSL_SESSION(session, &p);
        }
    }
    SSL_SESSION_free(session);
    return out;
}

std::vector<PeerCertificate> OpensslEngine::peer_certificates() const {
    std::vector<PeerCertificate> out;
    X509* leaf = SSL_get0_peer_certificate(ssl_);
    if (leaf == nullptr) return out;
    out.push_back(describe(leaf));
    // The client's view of the chain starts with the leaf, the server's does not.
    STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl_);
    const int count = chain != nullptr ? sk_X509_num(chain) : 0;
    for (int i = 0; i < count; ++i) {
        X509* cert = sk_X509_value(chain, i);
        if (X509_cmp(cert, leaf) == 0) continue;
        out.push_back(describe(cert));
    }
    return out;
}

}  // namespace lanyard::tls::ossl
