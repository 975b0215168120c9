#include "authenticator/tls_session_cache.h"

#include "common/hex.h"
#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "tls-cache";

// Plaintext of a published entry: record length (2) | record | session.
Bytes encode_entry(ByteView record, ByteView session) {
    Bytes out;
    out.reserve(2 + record.size() + session.size());
    out.push_back(static_cast<uint8_t>(record.size() >> 8));
    out.push_back(static_cast<uint8_t>(record.size()));
    out.insert(out.end(), record.begin(), record.end());
    out.insert(out.end(), session.begin(), session.end());
    return out;
}

bool valid_id(ByteView id) { return !id.empty() && id.size() <= TlsSessionCache::kMaxSessionIdLength; }
}  // namespace

TlsSessionCache::TlsSessionCache(const Clock& clock, Duration lifetime, size_t max_entries)
    : TlsSessionCache(clock, lifetime, std::make_unique<InProcessSessionBackend>(clock, max_entries),
                      SessionSealer::with_random_key(SystemRandom::instance()), SystemRandom::instance(),
                      max_entries) {}

TlsSessionCache::TlsSessionCache(const Clock& clock, Duration lifetime, std::unique_ptr<SessionBackend> backend,
                                 SessionSealer sealer, RandomSource& random, size_t max_entries)
    : clock_(clock),
      lifetime_(lifetime),
      max_entries_(max_entries == 0 ? 1 : max_entries),
      backend_(std::move(backend)),
      sealer_(std::move(sealer)),
      random_(random) {}

Bytes TlsSessionCache::backend_key(ByteView session_id) {
    const std::string key = "lanyard:tls:" + to_hex(session_id);
    return Bytes(key.begin(), key.end());
}

void TlsSessionCache::evict_oldest_pending_locked() {
    auto oldest = pending_.begin();
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
        if (it->second.sequence < oldest->second.sequence) oldest = it;
    if (oldest == pending_.end()) return;
    pending_.erase(oldest);
    ++stats_.evicted;
}

void TlsSessionCache::put(ByteView session_id, ByteView serialized_session) {
    if (!enabled()) return;
    if (!valid_id(session_id) || serialized_session.empty()) {
        LOG_DEBUG(kLog, "not storing a session with a %zu-byte id", session_id.size());
        return;
    }
    const TimePoint now = clock_.now();
    std::lock_guard<std::mutex> lock(mutex_);
    Bytes key(session_id.begin(), session_id.end());
    if (pending_.find(key) == pending_.end()) {
        while (pending_.size() >= max_entries_) evict_oldest_pending_locked();
    }
    Pending& p = pending_[std::move(key)];
    p.session.assign(serialized_session);
    p.stored_at = now;
    p.sequence = next_sequence_++;
}

void TlsSessionCache::set_record(ByteView session_id, ByteView record) {
    if (!enabled() || record.size() > kMaxRecordLength) return;
    SecretBytes session;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(Bytes(session_id.begin(), session_id.end()));
        if (it == pending_.end()) return;  // unknown, or already published (a resumed session)
        session = std::move(it->second.session);
        pending_.erase(it);
    }
    Bytes plain = encode_entry(record, session.view());
    const Bytes key = backend_key(session_id);
    auto sealed = sealer_.seal(key, plain, random_);
    std::fill(plain.begin(), plain.end(), 0);
    if (!sealed) {
        LOG_WARN(kLog, "cannot seal a session: %s", sealed.error().to_string().c_str());
        return;
    }
    backend_->put(key, *sealed, lifetime_);
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.stored;
    LOG_DEBUG(kLog, "published a session to %s (lifetime %lld s)", backend_->name().c_str(),
              static_cast<long long>(lifetime_.count() / 1000));
}

std::optional<TlsSessionCache::Opened> TlsSessionCache::fetch(ByteView session_id) {
    const Bytes key = backend_key(session_id);
    auto sealed = backend_->get(key);
    if (!sealed) return std::nullopt;
    auto plain = sealer_.open(key, *sealed);
    const ByteView p = plain ? plain->view() : ByteView();
    if (!plain || p.size() < 2 || 2 + ((size_t(p[0]) << 8) | p[1]) >= p.size()) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++stats_.refused;
            const auto now = std::chrono::steady_clock::now();
            if (now >= next_refusal_warning_) {
                next_refusal_warning_ = now + std::chrono::seconds(10);
                LOG_WARN(kLog, "a stored session failed to open (altered, or sealed under another key): refused");
            }
        }
        backend_->remove(key);
        return std::nullopt;
    }
    const size_t record_length = (size_t(p[0]) << 8) | p[1];
    Opened out;
    const ByteView record = p.subspan(2, record_length);
    out.record = Bytes(record.begin(), record.end());
    out.session = SecretBytes(p.subspan(2 + record_length));
    return out;
}

std::optional<Bytes> TlsSessionCache::get(ByteView session_id) {
    if (!enabled() || !valid_id(session_id)) return std::nullopt;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(Bytes(session_id.begin(), session_id.end()));
        if (it != pending_.end()) {
            ++stats_.unconfirmed;
            ++stats_.misses;
            LOG_DEBUG(kLog, "offered session never completed an authentication: not resumed");
            return std::nullopt;
        }
    }
    auto opened = fetch(session_id);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!opened) {
        ++stats_.misses;
        return std::nullopt;
    }
    ++stats_.hits;
    Bytes key(session_id.begin(), session_id.end());
    if (recent_.insert_or_assign(key, opened->record).second) {
        recent_order_.push_back(std::move(key));
        while (recent_order_.size() > kMaxRecent) {
            recent_.erase(recent_order_.front());
            recent_order_.pop_front();
        }
    }
    ByteView v = opened->session.view();
    return Bytes(v.begin(), v.end());
}

std::optional<Bytes> TlsSessionCache::record(ByteView session_id) {
    if (!enabled() || !valid_id(session_id)) return std::nullopt;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const Bytes key(session_id.begin(), session_id.end());
        if (pending_.count(key) != 0) return std::nullopt;
        if (auto it = recent_.find(key); it != recent_.end()) return it->second;
    }
    auto opened = fetch(session_id);
    if (!opened) return std::nullopt;
    return std::move(opened->record);
}

void TlsSessionCache::remove(ByteView session_id) {
    bool known = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        known = pending_.erase(Bytes(session_id.begin(), session_id.end())) != 0;
        recent_.erase(Bytes(session_id.begin(), session_id.end()));  // its order entry ages out
    }
    if (valid_id(session_id)) backend_->remove(backend_key(session_id));
    std::lock_guard<std::mutex> lock(mutex_);
    (void)known;
    ++stats_.removed;
}

size_t TlsSessionCache::expire() {
    const TimePoint now = clock_.now();
    size_t n = backend_->expire();
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (now >= it->second.stored_at + lifetime_) {
            it = pending_.erase(it);
            ++n;
            ++stats_.expired;
        } else {
            ++it;
        }
    }
    return n;
}

size_t TlsSessionCache::size() const {
    const size_t backend = backend_->entries().value_or(0);
    std::lock_guard<std::mutex> lock(mutex_);
    return pending_.size() + backend;
}

TlsSessionCacheStats TlsSessionCache::stats() const {
    const SessionBackendStats b = backend_->stats();
    std::lock_guard<std::mutex> lock(mutex_);
    TlsSessionCacheStats s = stats_;
    s.evicted += b.evicted;
    s.backend_errors = b.errors;
    return s;
}

}  // namespace lanyard::authenticator
