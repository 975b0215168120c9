// The TLS session store in Redis (issue 10), shared by several RADIUS
// servers: SET key value PX ttl, GET, DEL on one connection (hiredis), all
// calls bounded by a short timeout. When Redis is down or slow, get() says
// "absent" and put() drops the value, so authentications go on with full
// handshakes; a warning is logged at most every 10 s, and the connection is
// retried by itself (at most once a second).
//
// URL: redis://HOST[:PORT][/DB] (HOST an address or name; PORT 6379; DB 0).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "authenticator/session_backend.h"
#include "common/result.h"

struct redisContext;

namespace lanyard::authenticator {

struct RedisUrl {
    std::string host;
    uint16_t port = 6379;
    unsigned database = 0;
    static Result<RedisUrl> parse(const std::string& url);
    std::string to_string() const;
};

class RedisSessionBackend final : public SessionBackend {
public:
    // Every command (and a connection attempt) is bounded by `timeout`.
    explicit RedisSessionBackend(RedisUrl url, std::chrono::milliseconds timeout = std::chrono::milliseconds(100));
    ~RedisSessionBackend() override;

    void put(ByteView key, ByteView value, Duration ttl) override;
    std::optional<Bytes> get(ByteView key) override;
    void remove(ByteView key) override;
    std::string name() const override { return url_.to_string(); }
    SessionBackendStats stats() const override;

    // Connects now (for a start-up log line); false when Redis is unreachable.
    bool connect_now();

private:
    bool ensure_connected_locked();
    void fail_locked(const std::string& what);
    void warn_locked(const std::string& message);

    RedisUrl url_;
    std::chrono::milliseconds timeout_;
    mutable std::mutex mutex_;
    redisContext* context_ = nullptr;
    std::chrono::steady_clock::time_point next_attempt_{};
    std::chrono::steady_clock::time_point next_warning_{};
    SessionBackendStats stats_;
};

}  // namespace lanyard::authenticator
