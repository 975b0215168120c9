#include "tls/openssl/openssl_session_cache.h"

#include <list>
#include <map>
#include <mutex>

#include "common/log.h"
#include "common/secret.h"

namespace lanyard::tls::ossl {
namespace {

// The session id context binds stored sessions to this application; OpenSSL
// refuses to resume without one when client certificates are verified.
constexpr unsigned char kSessionIdContext[] = "lanyard-eap";

// Sessions already decoded in this context, so that resuming one does not
// run d2i_SSL_SESSION again (it decodes the peer certificate, the dearest
// part of a resumed handshake under OpenSSL 3). The store stays the
// authority: a decoded session is used only when the store still returns
// exactly the bytes it was decoded from.
class DecodedSessions {
public:
    static constexpr size_t kMaxEntries = 1024;
    ~DecodedSessions() {
        for (auto& [id, e] : entries_) SSL_SESSION_free(e.session);
    }
    // A new reference to the decoded form of der, or nullptr.
    SSL_SESSION* find(ByteView id, ByteView der) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(Bytes(id.begin(), id.end()));
        if (it == entries_.end()) return nullptr;
        const ByteView cached = it->second.der.view();
        if (cached.size() != der.size() || CRYPTO_memcmp(cached.data(), der.data(), der.size()) != 0) return nullptr;
        order_.splice(order_.end(), order_, it->second.order);
        SSL_SESSION_up_ref(it->second.session);
        return it->second.session;
    }
    void add(ByteView id, ByteView der, SSL_SESSION* session) {
        std::lock_guard<std::mutex> lock(mutex_);
        Bytes key(id.begin(), id.end());
        erase_locked(key);
        while (entries_.size() >= kMaxEntries) erase_locked(order_.front());
        SSL_SESSION_up_ref(session);
        order_.push_back(key);
        entries_.emplace(std::move(key), Entry{SecretBytes(der), session, std::prev(order_.end())});
    }
    void remove(ByteView id) {
        std::lock_guard<std::mutex> lock(mutex_);
        erase_locked(Bytes(id.begin(), id.end()));
    }

private:
    struct Entry {
        SecretBytes der;
        SSL_SESSION* session = nullptr;
        std::list<Bytes>::iterator order;
    };
    void erase_locked(const Bytes& id) {
        auto it = entries_.find(id);
        if (it == entries_.end()) return;
        SSL_SESSION_free(it->second.session);
        order_.erase(it->second.order);
        entries_.erase(it);
    }
    std::mutex mutex_;
    std::map<Bytes, Entry> entries_;
    std::list<Bytes> order_;  // least recently used first
};

struct StoreBinding {
    SessionStore* store = nullptr;
    DecodedSessions decoded;
};

void free_binding(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/, long /*argl*/, void* /*argp*/) {
    delete static_cast<StoreBinding*>(ptr);
}

int store_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_binding);
    return index;
}

StoreBinding* binding_of(SSL_CTX* ctx) {
    return ctx != nullptr ? static_cast<StoreBinding*>(SSL_CTX_get_ex_data(ctx, store_index())) : nullptr;
}

ByteView id_of(const SSL_SESSION* session) {
    unsigned int len = 0;
    const unsigned char* id = SSL_SESSION_get_id(session, &len);
    return ByteView(id, len);
}

int new_session(SSL* ssl, SSL_SESSION* session) {
    StoreBinding* binding = binding_of(SSL_get_SSL_CTX(ssl));
    const ByteView id = id_of(session);
    if (binding == nullptr || id.empty()) return 0;
    const int len = i2d_SSL_SESSION(session, nullptr);
    if (len <= 0) return 0;
    // The serialized session holds the master secret.
    SecretBytes der(static_cast<size_t>(len));
    unsigned char* p = der.data();
    i2d_SSL_SESSION(session, &p);
    LOG_DEBUG("tls", "session cache: storing a %d-byte session", len);
    binding->store->put(id, der.view());
    binding->decoded.add(id, der.view(), session);  // takes its own reference
    return 0;  // OpenSSL keeps the reference it passed us
}

SSL_SESSION* get_session(SSL* ssl, const unsigned char* id, int id_len, int* copy) {
    *copy = 0;
    StoreBinding* binding = binding_of(SSL_get_SSL_CTX(ssl));
    if (binding == nullptr || id_len <= 0) return nullptr;
    const ByteView session_id(id, static_cast<size_t>(id_len));
    std::optional<Bytes> der = binding->store->get(session_id);
    if (!der || der->empty()) {
        LOG_DEBUG("tls", "session cache: miss");
        binding->decoded.remove(session_id);
        return nullptr;
    }
    if (SSL_SESSION* known = binding->decoded.find(session_id, *der)) {
        secure_wipe(der->data(), der->size());
        LOG_DEBUG("tls", "session cache: hit (decoded before)");
        return known;
    }
    const unsigned char* p = der->data();
    SSL_SESSION* session = d2i_SSL_SESSION(nullptr, &p, static_cast<long>(der->size()));
    if (session == nullptr) {
        secure_wipe(der->data(), der->size());
        LOG_DEBUG("tls", "session cache: stored session does not parse; ignoring it");
        return nullptr;
    }
    binding->decoded.add(session_id, *der, session);
    secure_wipe(der->data(), der->size());
    LOG_DEBUG("tls", "session cache: hit");
    return session;  // *copy == 0: OpenSSL takes our reference
}

void remove_session(SSL_CTX* ctx, SSL_SESSION* session) {
    StoreBinding* binding = binding_of(ctx);
    const ByteView id = id_of(session);
    if (binding == nullptr || id.empty()) return;
    LOG_DEBUG("tls", "session cache: removing a session");
    binding->decoded.remove(id);
    binding->store->remove(id);
}

}  // namespace

void install_session_store(SSL_CTX* ctx, SessionStore* store, unsigned lifetime_seconds) {
    auto* binding = new StoreBinding;
    binding->store = store;
    delete binding_of(ctx);
    SSL_CTX_set_ex_data(ctx, store_index(), binding);
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
