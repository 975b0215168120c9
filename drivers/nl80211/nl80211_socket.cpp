#include "drivers/nl80211/nl80211_socket.h"

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <sys/socket.h>

#include <string.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "drivers/netlink_attributes.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace lanyard {
namespace {

constexpr const char* kLog = "nl80211";
constexpr size_t kReceiveBufferSize = 64 * 1024;
constexpr int kSocketBufferSize = 1024 * 1024;
constexpr size_t kMessageSize = 16 * 1024;
// Datagrams read per readiness callback, so a burst of events cannot starve the loop.
constexpr int kMaxDatagramsPerWakeup = 32;

}  // namespace

// ---- Nl80211Message ----------------------------------------------------------

Nl80211Message::Nl80211Message(int family, uint8_t command, int flags) : command_(command) {
    message_ = nlmsg_alloc_size(kMessageSize);
    if (message_ == nullptr ||
        genlmsg_put(message_, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, command, 0) == nullptr) {
        failed_ = true;
    }
}

Nl80211Message::~Nl80211Message() {
    if (message_ == nullptr) return;
    if (sensitive_) {
        nlmsghdr* header = nlmsg_hdr(message_);
        explicit_bzero(header, header->nlmsg_len);
    }
    nlmsg_free(message_);
}

void Nl80211Message::check(int rc) {
    if (rc < 0) failed_ = true;
}

Nl80211Message& Nl80211Message::u8(int type, uint8_t value) {
    if (!failed_) check(nla_put_u8(message_, type, value));
    return *this;
}
Nl80211Message& Nl80211Message::u16(int type, uint16_t value) {
    if (!failed_) check(nla_put_u16(message_, type, value));
    return *this;
}
Nl80211Message& Nl80211Message::u32(int type, uint32_t value) {
    if (!failed_) check(nla_put_u32(message_, type, value));
    return *this;
}
Nl80211Message& Nl80211Message::flag(int type) {
    if (!failed_) check(nla_put_flag(message_, type));
    return *this;
}
Nl80211Message& Nl80211Message::bytes(int type, ByteView value) {
    if (!failed_) check(nla_put(message_, type, static_cast<int>(value.size()), value.data()));
    return *this;
}
Nl80211Message& Nl80211Message::u32_array(int type, const std::vector<uint32_t>& values) {
    if (!failed_) check(nla_put(message_, type, static_cast<int>(values.size() * 4), values.data()));
    return *this;
}
void* Nl80211Message::begin_nested(int type) {
    if (failed_) return nullptr;
    nlattr* nest = nla_nest_start(message_, type);
    if (nest == nullptr) failed_ = true;
    return nest;
}
void Nl80211Message::end_nested(void* nest) {
    if (!failed_ && nest != nullptr) check(nla_nest_end(message_, static_cast<nlattr*>(nest)));
}

// ---- Nl80211Socket -----------------------------------------------------------

Result<std::unique_ptr<Nl80211Socket>> Nl80211Socket::open(EventLoop& loop, const Options& options) {
    nl_sock* socket = nl_socket_alloc();
    if (socket == nullptr) return make_error(ErrorCode::kIo, "nl_socket_alloc failed");
    auto fail = [socket](std::string what, int rc) -> Error {
        nl_socket_free(socket);
        return make_error(ErrorCode::kIo, std::move(what) + ": " + nl_geterror(rc));
    };
    int rc = genl_connect(socket);
    if (rc < 0) return fail("genl_connect", rc);
    const int family = genl_ctrl_resolve(socket, "nl80211");
    if (family < 0) {
        nl_socket_free(socket);
        return make_error(ErrorCode::kUnsupported, "the kernel has no nl80211 (cfg80211 not loaded?)");
    }
    for (const std::string& group : options.multicast_groups) {
        const int id = genl_ctrl_resolve_grp(socket, "nl80211", group.c_str());
        if (id < 0) return fail("nl80211 multicast group " + group, id);
        rc = nl_socket_add_membership(socket, id);
        if (rc < 0) return fail("joining nl80211 group " + group, rc);
    }
    nl_socket_set_buffer_size(socket, kSocketBufferSize, 0);
    rc = nl_socket_set_nonblocking(socket);
    if (rc < 0) return fail("nl_socket_set_nonblocking", rc);
    const int fd = nl_socket_get_fd(socket);
    const int one = 1;
    // The kernel's reason text in error replies, and no echo of our request.
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

    std::unique_ptr<Nl80211Socket> result(new Nl80211Socket(loop, socket, family, options));
    Nl80211Socket* raw = result.get();
    LANYARD_TRY(loop.add_fd(fd, FdWatch{[raw] { raw->on_readable(); }, nullptr}));
    return result;
}

Nl80211Socket::Nl80211Socket(EventLoop& loop, nl_sock* socket, int family, const Options& options)
    : loop_(loop),
      socket_(socket),
      family_(family),
      fd_(nl_socket_get_fd(socket)),
      options_(options),
      buffer_(kReceiveBufferSize + 1) {}

Nl80211Socket::~Nl80211Socket() {
    if (dispatch_timer_ != kNoTimer) loop_.cancel_timer(dispatch_timer_);
    loop_.remove_fd(fd_);
    nl_socket_free(socket_);
}

std::unique_ptr<Nl80211Message> Nl80211Socket::message(uint8_t command, int flags) const {
    return std::make_unique<Nl80211Message>(family_, command, flags);
}

Status Nl80211Socket::request(Nl80211Message& message, const char* what, const ReplyHandler& on_reply) {
    if (message.failed()) return make_error(ErrorCode::kInternal, std::string(what) + ": request does not fit");
    nlmsghdr* header = nlmsg_hdr(message.raw());
    header->nlmsg_flags |= NLM_F_ACK;
    const int sent = nl_send_auto(socket_, message.raw());
    if (sent < 0) return make_error(ErrorCode::kIo, std::string(what) + ": send: " + nl_geterror(sent));
    const uint32_t sequence = header->nlmsg_seq;

    const auto deadline = std::chrono::steady_clock::now() + options_.request_timeout;
    bool done = false;
    Status result = ok_status();
    size_t replies = 0;
    while (!done) {
        if (read_datagram(sequence, &on_reply, &done, &result, &replies)) continue;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return make_error(ErrorCode::kIo, std::string(what) + ": no answer from nl80211 within " +
                                                  std::to_string(options_.request_timeout.count()) + " ms");
        }
        pollfd pfd{fd_, POLLIN, 0};
        poll(&pfd, 1, static_cast<int>(left.count()));
    }
    if (!events_.empty()) schedule_dispatch();
    if (!result) return make_error(result.error().code, std::string(what) + ": " + result.error().detail);
    return result;
}

bool Nl80211Socket::read_datagram(uint32_t expected_sequence, const ReplyHandler* on_reply, bool* done,
                                  Status* result, size_t* replies) {
    const ssize_t n = recv(fd_, buffer_.data(), buffer_.size(), MSG_TRUNC | MSG_DONTWAIT);
    if (n < 0) {
        if (errno == ENOBUFS) {
            // The kernel dropped messages for us (events or replies): the
            // request times out or the next event resynchronizes.
            LOG_WARN(kLog, "receive queue overrun: nl80211 messages lost");
            return true;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            LOG_WARN(kLog, "recv: %s", std::strerror(errno));
        }
        return false;
    }
    if (static_cast<size_t>(n) > kReceiveBufferSize) {
        ++malformed_;
        LOG_DEBUG(kLog, "dropped oversize netlink datagram of %zd bytes", n);
        return true;
    }
    auto messages = split_netlink_datagram(ByteView(buffer_.data(), static_cast<size_t>(n)));
    if (!messages) {
        ++malformed_;
        LOG_DEBUG(kLog, "dropped netlink datagram: %s", messages.error().detail.c_str());
        return true;
    }
    const uint32_t own_port = nl_socket_get_local_port(socket_);
    for (const NetlinkMessageView& message : *messages) {
        const bool is_reply = expected_sequence != 0 && message.sequence == expected_sequence &&
                              message.port_id == own_port;
        if (!is_reply) {
            if (message.sequence != 0 || message.type != family_) {
                LOG_DEBUG(kLog, "ignored stale netlink message type %u seq %u", message.type, message.sequence);
                continue;
            }
            auto genl = parse_genl_message(message.payload);
            if (!genl) {
                ++malformed_;
                continue;
            }
            queue_event(genl->command, genl->attributes);
            continue;
        }
        switch (message.type) {
            case NLMSG_ERROR: {
                *done = true;
                auto error = parse_netlink_error(message.payload, message.flags);
                if (!error) {
                    *result = error.error();
                } else if (error->error != 0 && *result) {
                    std::string text = std::strerror(-error->error);
                    if (!error->message.empty()) text += " (" + error->message + ")";
                    *result = make_error(ErrorCode::kIo, text);
                }
                break;
            }
            case NLMSG_DONE: {
                *done = true;
                // A dump that failed half-way carries the errno here.
                if (message.payload.size() >= 4) {
                    int error = 0;
                    std::memcpy(&error, message.payload.data(), sizeof(error));
                    if (error < 0 && *result) *result = make_error(ErrorCode::kIo, std::strerror(-error));
                }
                break;
            }
            default: {
                if (message.type != family_) break;  // NLMSG_NOOP and friends
                if (++*replies > options_.max_replies) {
                    if (*result) *result = make_error(ErrorCode::kLimit, "more than " + std::to_string(options_.max_replies) + " replies");
                    break;
                }
                auto genl = parse_genl_message(message.payload);
                if (!genl) {
                    ++malformed_;
                    break;
                }
                if (*result && on_reply != nullptr && *on_reply) *result = (*on_reply)(genl->attributes);
                // A one-shot GET replies without NLM_F_MULTI and then ACKs.
                break;
            }
        }
    }
    return true;
}

void Nl80211Socket::queue_event(uint8_t command, ByteView attributes) {
    if (events_.size() >= options_.max_queued_events) {
        ++events_dropped_;
        LOG_WARN(kLog, "event queue full: dropped nl80211 event %u", command);
        return;
    }
    Bytes event;
    event.reserve(1 + attributes.size());
    event.push_back(command);
    event.insert(event.end(), attributes.begin(), attributes.end());
    events_.push_back(std::move(event));
}

void Nl80211Socket::schedule_dispatch() {
    if (dispatch_timer_ != kNoTimer) return;
    dispatch_timer_ = loop_.add_timer(Duration::zero(), [this] {
        dispatch_timer_ = kNoTimer;
        dispatch_events();
    });
}

void Nl80211Socket::on_readable() {
    for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
        if (!read_datagram(0, nullptr, nullptr, nullptr, nullptr)) break;
    }
    dispatch_events();
}

void Nl80211Socket::dispatch_events() {
    // A handler may issue requests, which may queue more events: take one
    // at a time, and at most what was queued when we started.
    size_t budget = events_.size();
    while (budget-- > 0 && !events_.empty()) {
        Bytes event = std::move(events_.front());
        events_.pop_front();
        if (event_handler_) event_handler_(event[0], ByteView(event).subspan(1));
    }
    if (!events_.empty()) schedule_dispatch();
}

}  // namespace lanyard
