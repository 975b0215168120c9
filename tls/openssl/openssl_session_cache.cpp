#include "tls/openssl/openssl_session_cache.h"

#include "common/log.h"
#include "common/secret.h"

namespace lanyard::tls::ossl {
namespace {

// The session id context binds stored sessions to this application; OpenSSL
// refuses to resume without one when client certificates are verified.
constexpr unsigned char kSessionIdContext[] = "lanyard-eap";

int store_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

SessionStore* store_of(SSL_CTX* ctx) {
    return ctx != nullptr ? static_cast<SessionStore*>(SSL_CTX_get_ex_data(ctx, store_index())) : nullptr;
}

ByteView id_of(const SSL_SESSION* session) {
    unsigned int len = 0;
    const unsigned char* id = SSL_SESSION_get_id(session, &len);
    return ByteView(id, len);
}

int new_session(SSL* ssl, SSL_SESSION* session) {
    SessionStore* store = store_of(SSL_get_SSL_CTX(ssl));
    const ByteView id = id_of(session);
    if (store == nullptr || id.empty()) return 0;
    const int len = i2d_SSL_SESSION(session, nullptr);
    if (len <= 0) return 0;
    // The serialized session holds the master secret.
    SecretBytes der(static_cast<size_t>(len));
    unsigned char* p = der.data();
    i2d_SSL_SESSION(session, &p);
    LOG_DEBUG("tls", "session cache: storing a %d-byte session", len);
    store->put(id, der.view());
    return 0;  // we did not keep a reference to session
}

SSL_SESSION* get_session(SSL* ssl, const unsigned char* id, int id_len, int* copy) {
    *copy = 0;
    SessionStore* store = store_of(SSL_get_SSL_CTX(ssl));
    if (store == nullptr || id_len <= 0) return nullptr;
    std::optional<Bytes> der = store->get(ByteView(id, static_cast<size_t>(id_len)));
    if (!der || der->empty()) {
        LOG_DEBUG("tls", "session cache: miss");
        return nullptr;
    }
    const unsigned char* p = der->data();
    SSL_SESSION* session = d2i_SSL_SESSION(nullptr, &p, static_cast<long>(der->size()));
    secure_wipe(der->data(), der->size());
    if (session == nullptr) {
        LOG_DEBUG("tls", "session cache: stored session does not parse; ignoring it");
        return nullptr;
    }
    LOG_DEBUG("tls", "session cache: hit");
    return session;  // *copy == 0: OpenSSL takes our reference
}

void remove_session(SSL_CTX* ctx, SSL_SESSION* session) {
    SessionStore* store = store_of(ctx);
    const ByteView id = id_of(session);
    if (store == nullptr || id.empty()) return;
    LOG_DEBUG("tls", "session cache: removing a session");
    store->remove(id);
}

}  // namespace

void install_session_store(SSL_CTX* ctx, SessionStore* store, unsigned lifetime_seconds) {
    SSL_CTX_set_ex_data(ctx, store_index(), store);
    SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_set_timeout(ctx, static_cast<long>(lifetime_seconds));
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    // One stateful ticket per handshake is enough for EAP (one resumption
    // per reauthentication); the default of two only doubles the store.
    SSL_CTX_set_num_tickets(ctx, 1);
    SSL_CTX_sess_set_new_cb(ctx, new_session);
    SSL_CTX_sess_set_get_cb(ctx, get_session);
    SSL_CTX_sess_set_remove_cb(ctx, remove_session);
}

void disable_resumption(SSL_CTX* ctx) {
    SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
}

}  // namespace lanyard::tls::ossl
