// The server's TLS session cache for resumption (RFC 5216 §2.1.2, hostapd's
// tls_session_lifetime), behind the tls::SessionStore interface, shared by
// every EAP conversation and every worker thread (issue 10).
//
// A new session waits here, in this process, until its EAP method succeeds
// (set_record): only then is it published, together with that record (EAP
// type, identity, PEAP's fast-reconnect state), sealed (session_sealer.h),
// into a SessionBackend for `lifetime`: in-process memory by default, or
// Redis shared by several servers. get() opens what the backend returns; an
// entry that does not open (edited, or sealed under another key) is refused
// and counted, and the handshake goes on in full. Lifetime 0 disables the
// cache.
//
// Bounded (DESIGN.md rule 3): unconfirmed sessions and the in-process
// backend hold at most `max_entries` each; the oldest go first. The
// serialized sessions hold master secrets: in the clear they only live in
// SecretBytes here, and they are never logged.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "authenticator/session_backend.h"
#include "authenticator/session_sealer.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/secret.h"
#include "tls/tls_engine.h"

namespace lanyard::authenticator {

struct TlsSessionCacheStats {
    uint64_t stored = 0;       // published after the method succeeded
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t expired = 0;      // unconfirmed sessions dropped at their lifetime
    uint64_t evicted = 0;      // dropped to make room (here and in the backend)
    uint64_t removed = 0;      // remove() by the TLS backend
    uint64_t unconfirmed = 0;  // offered, but its authentication never succeeded (no record)
    uint64_t refused = 0;      // an entry that failed to open (tampered or foreign key)
    uint64_t backend_errors = 0;
};

class TlsSessionCache final : public tls::SessionStore {
public:
    static constexpr size_t kDefaultMaxEntries = 4096;
    static constexpr size_t kMaxSessionIdLength = 32;  // RFC 5246 §7.4.1.2 SessionID <0..32>
    static constexpr size_t kMaxRecordLength = 512;

    // In this process only, sealed under a key drawn at start.
    TlsSessionCache(const Clock& clock, Duration lifetime, size_t max_entries = kDefaultMaxEntries);
    // Any backend, sealed with the deployment's key. clock and random must
    // outlive the cache.
    TlsSessionCache(const Clock& clock, Duration lifetime, std::unique_ptr<SessionBackend> backend,
                    SessionSealer sealer, RandomSource& random, size_t max_entries = kDefaultMaxEntries);

    void put(ByteView session_id, ByteView serialized_session) override;
    // Only a session with a record (its EAP method succeeded) is given out.
    std::optional<Bytes> get(ByteView session_id) override;
    void remove(ByteView session_id) override;
    void set_record(ByteView session_id, ByteView record) override;
    std::optional<Bytes> record(ByteView session_id) override;

    // Drops expired entries (unconfirmed ones, and the in-process backend's).
    size_t expire();
    bool enabled() const { return lifetime_.count() > 0; }
    // Unconfirmed sessions plus the backend's entries when it can tell.
    size_t size() const;
    TlsSessionCacheStats stats() const;
    const SessionBackend& backend() const { return *backend_; }

    // The backend key of a session id ("lanyard:tls:" + hex), public for tests
    // that tamper with the store.
    static Bytes backend_key(ByteView session_id);

private:
    struct Pending {
        SecretBytes session;
        TimePoint stored_at;
        uint64_t sequence = 0;
    };
    struct Opened {
        SecretBytes session;
        Bytes record;
    };
    std::optional<Opened> fetch(ByteView session_id);
    void evict_oldest_pending_locked();

    const Clock& clock_;
    Duration lifetime_;
    size_t max_entries_;
    std::unique_ptr<SessionBackend> backend_;
    SessionSealer sealer_;
    RandomSource& random_;

    mutable std::mutex mutex_;  // pending_, recent_, stats_
    std::map<Bytes, Pending> pending_;
    // Records of sessions get() just handed out: the EAP method asks for the
    // record right after the resumed handshake, and a second backend round
    // trip (Redis) would only repeat the first. Bounded, oldest first.
    static constexpr size_t kMaxRecent = 256;
    std::map<Bytes, Bytes> recent_;
    std::deque<Bytes> recent_order_;
    uint64_t next_sequence_ = 0;
    TlsSessionCacheStats stats_;
    std::chrono::steady_clock::time_point next_refusal_warning_{};
};

}  // namespace lanyard::authenticator
