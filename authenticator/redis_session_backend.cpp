#include "authenticator/redis_session_backend.h"

#include <hiredis/hiredis.h>

#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "session-store";
const auto kRetryInterval = std::chrono::seconds(1);
const auto kWarningInterval = std::chrono::seconds(10);

timeval to_timeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

struct ReplyDeleter {
    void operator()(redisReply* r) const {
        if (r != nullptr) freeReplyObject(r);
    }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;
}  // namespace

Result<RedisUrl> RedisUrl::parse(const std::string& url) {
    const std::string scheme = "redis://";
    if (url.rfind(scheme, 0) != 0) return make_error(ErrorCode::kConfig, "'" + url + "' does not start with redis://");
    std::string rest = url.substr(scheme.size());
    RedisUrl out;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        const std::string db = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
        if (!db.empty()) {
            if (db.size() > 4 || db.find_first_not_of("0123456789") != std::string::npos)
                return make_error(ErrorCode::kConfig, "'" + url + "': the database must be a number");
            out.database = static_cast<unsigned>(std::stoul(db));
        }
    }
    if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
        const std::string port = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
        if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
            std::stoul(port) == 0 || std::stoul(port) > 65535)
            return make_error(ErrorCode::kConfig, "'" + url + "': bad port");
        out.port = static_cast<uint16_t>(std::stoul(port));
    }
    if (rest.empty()) return make_error(ErrorCode::kConfig, "'" + url + "': no host");
    out.host = rest;
    return out;
}

std::string RedisUrl::to_string() const {
    return "redis://" + host + ":" + std::to_string(port) + "/" + std::to_string(database);
}

RedisSessionBackend::RedisSessionBackend(RedisUrl url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), timeout_(timeout) {}

RedisSessionBackend::~RedisSessionBackend() {
    if (context_ != nullptr) redisFree(context_);
}

void RedisSessionBackend::warn_locked(const std::string& message) {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_warning_) {
        LOG_DEBUG(kLog, "%s: %s", url_.to_string().c_str(), message.c_str());
        return;
    }
    next_warning_ = now + kWarningInterval;
    LOG_WARN(kLog, "%s: %s (TLS sessions are not shared meanwhile: full handshakes)", url_.to_string().c_str(),
             message.c_str());
}

void RedisSessionBackend::fail_locked(const std::string& what) {
    ++stats_.errors;
    std::string detail = what;
    if (context_ != nullptr && context_->err != 0) detail += ": " + std::string(context_->errstr);
    warn_locked(detail);
    if (context_ != nullptr) redisFree(context_);
    context_ = nullptr;
    next_attempt_ = std::chrono::steady_clock::now() + kRetryInterval;
}

bool RedisSessionBackend::ensure_connected_locked() {
    if (context_ != nullptr) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_attempt_) return false;
    context_ = redisConnectWithTimeout(url_.host.c_str(), url_.port, to_timeval(timeout_));
    if (context_ == nullptr || context_->err != 0) {
        fail_locked("cannot connect");
        return false;
    }
    redisSetTimeout(context_, to_timeval(timeout_));
    if (url_.database != 0) {
        Reply r(static_cast<redisReply*>(redisCommand(context_, "SELECT %u", url_.database)));
        if (!r || r->type == REDIS_REPLY_ERROR) {
            fail_locked("SELECT " + std::to_string(url_.database) + " failed");
            return false;
        }
    }
    LOG_INFO(kLog, "connected to %s", url_.to_string().c_str());
    return true;
}

bool RedisSessionBackend::connect_now() {
    std::lock_guard<std::mutex> lock(mutex_);
    next_attempt_ = {};
    return ensure_connected_locked();
}

void RedisSessionBackend::put(ByteView key, ByteView value, Duration ttl) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ensure_connected_locked()) return;
    const long long ms = std::max<long long>(1, ttl.count());
    Reply r(static_cast<redisReply*>(redisCommand(context_, "SET %b %b PX %lld", key.data(), key.size(),
                                                  value.data(), value.size(), ms)));
    if (!r || r->type == REDIS_REPLY_ERROR) {
        fail_locked("SET failed");
        return;
    }
    ++stats_.puts;
}

std::optional<Bytes> RedisSessionBackend::get(ByteView key) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ensure_connected_locked()) {
        ++stats_.misses;
        return std::nullopt;
    }
    Reply r(static_cast<redisReply*>(redisCommand(context_, "GET %b", key.data(), key.size())));
    if (!r || r->type == REDIS_REPLY_ERROR) {
        fail_locked("GET failed");
        ++stats_.misses;
        return std::nullopt;
    }
    if (r->type != REDIS_REPLY_STRING) {
        ++stats_.misses;
        return std::nullopt;
    }
    ++stats_.hits;
    return Bytes(reinterpret_cast<const uint8_t*>(r->str), reinterpret_cast<const uint8_t*>(r->str) + r->len);
}

void RedisSessionBackend::remove(ByteView key) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ensure_connected_locked()) return;
    Reply r(static_cast<redisReply*>(redisCommand(context_, "DEL %b", key.data(), key.size())));
    if (!r || r->type == REDIS_REPLY_ERROR) fail_locked("DEL failed");
}

SessionBackendStats RedisSessionBackend::stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
}

}  // namespace lanyard::authenticator
