#include "tls/mbedtls/mbedtls_session_cache.h"

#include <algorithm>
#include <ctime>

#include "common/log.h"
#include "common/secret.h"
#include "tls/mbedtls/mbedtls_engine.h"

namespace lanyard::tls::mbed {
namespace {

ByteView id_of(const mbedtls_ssl_session& session) { return ByteView(session.id, session.id_len); }

// A client offered the session id in *session; 0 with *session filled
// means "resume".
int get_session(void* p, mbedtls_ssl_session* session) {
    auto* engine = static_cast<MbedtlsEngine*>(p);
    const Config& config = engine->config();
    SessionStore* store = config.session_store;
    const ByteView id = id_of(*session);
    if (store == nullptr || id.empty()) return 1;
    std::optional<Bytes> saved = store->get(id);
    if (!saved || saved->empty()) {
        LOG_DEBUG("tls", "session cache: miss");
        return 1;
    }
    mbedtls_ssl_session loaded;
    mbedtls_ssl_session_init(&loaded);
    const int ret = mbedtls_ssl_session_load(&loaded, saved->data(), saved->size());
    secure_wipe(saved->data(), saved->size());
    if (ret != 0) {
        LOG_DEBUG("tls", "session cache: stored session does not parse; ignoring it");
        mbedtls_ssl_session_free(&loaded);
        return 1;
    }
    const bool same_id = ByteView(loaded.id, loaded.id_len).size() == id.size() &&
                         std::equal(id.begin(), id.end(), loaded.id);
    const bool expired = std::time(nullptr) - loaded.start > static_cast<std::time_t>(config.session_lifetime_seconds);
    // The resumed session keeps the cipher suite it was made with (RFC 5246
    // §7.4.1.3); mbedTLS 2.28 asks before choosing a suite for this hello,
    // and the client refuses a suite it did not offer.
    if (!same_id || expired) {
        LOG_DEBUG("tls", "session cache: stored session not usable (%s)", !same_id ? "other id" : "expired");
        if (expired) store->remove(id);
        mbedtls_ssl_session_free(&loaded);
        return 1;
    }
    LOG_DEBUG("tls", "session cache: hit");
    engine->note_cache_lookup(id, true);
    // Hand the loaded session over (ownership of its peer certificate moves
    // with the struct; loaded is not freed).
    mbedtls_ssl_session_free(session);
    *session = loaded;
    return 0;
}

// A full handshake finished (mbedTLS does not call this for resumptions).
int set_session(void* p, const mbedtls_ssl_session* session) {
    auto* engine = static_cast<MbedtlsEngine*>(p);
    SessionStore* store = engine->config().session_store;
    if (store == nullptr || session->id_len == 0) return 0;
    size_t len = 0;
    (void)mbedtls_ssl_session_save(session, nullptr, 0, &len);
    if (len == 0) return 0;
    SecretBytes saved(len);  // holds the master secret
    if (mbedtls_ssl_session_save(session, saved.data(), saved.size(), &len) != 0) {
        LOG_DEBUG("tls", "session cache: cannot serialize the session");
        return 0;
    }
    LOG_DEBUG("tls", "session cache: storing a %zu-byte session", len);
    store->put(id_of(*session), saved.first(len));
    return 0;
}

}  // namespace

void install_session_store(mbedtls_ssl_config* conf, MbedtlsEngine* engine) {
    mbedtls_ssl_conf_session_cache(conf, engine, get_session, set_session);
}

}  // namespace lanyard::tls::mbed
