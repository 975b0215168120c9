// One generic-netlink socket to nl80211 (libnl-genl-3): resolves the
// family and its multicast groups, builds requests, and runs them
// synchronously with a bounded wait, while every unsolicited message
// (multicast MLME/scan events, unicast control-port frames to the socket
// owner) is queued and handed to the event handler from the event loop.
//
// Why one socket per driver: with NL80211_ATTR_SOCKET_OWNER the kernel ties
// the AP or the connection to the socket that asked for it and sends the
// control-port frames to that socket only, so requests and events must
// share it. Replies are matched by sequence number and port; events carry
// sequence 0. The fd is non-blocking and watched by the EventLoop.
//
// Parsing is done by the pure code in drivers/netlink_attributes.h and
// drivers/nl80211_messages.h; libnl only opens the socket, resolves names
// and serializes attributes.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/event_loop.h"
#include "common/mac_address.h"
#include "common/result.h"

struct nl_sock;
struct nl_msg;

namespace lanyard {

// An nl80211 request being built. Attribute errors (message full) are
// remembered and reported by Nl80211Socket::request().
class Nl80211Message {
public:
    Nl80211Message(int family, uint8_t command, int flags);
    ~Nl80211Message();
    Nl80211Message(const Nl80211Message&) = delete;
    Nl80211Message& operator=(const Nl80211Message&) = delete;

    Nl80211Message& u8(int type, uint8_t value);
    Nl80211Message& u16(int type, uint16_t value);
    Nl80211Message& u32(int type, uint32_t value);
    Nl80211Message& flag(int type);
    Nl80211Message& bytes(int type, ByteView value);
    Nl80211Message& mac(int type, const MacAddress& address) { return bytes(type, address.view()); }
    Nl80211Message& u32_array(int type, const std::vector<uint32_t>& values);
    // Nested attributes: begin_nested returns a handle for end_nested.
    void* begin_nested(int type);
    void end_nested(void* nest);

    // The message carries key material: its buffer is wiped when freed.
    void mark_sensitive() { sensitive_ = true; }

    uint8_t command() const { return command_; }
    nl_msg* raw() { return message_; }
    bool failed() const { return failed_; }

private:
    void check(int rc);
    nl_msg* message_ = nullptr;
    uint8_t command_;
    bool failed_ = false;
    bool sensitive_ = false;
};

class Nl80211Socket {
public:
    // Called from the event loop for each queued event (genl command and
    // attributes, valid during the call).
    using EventHandler = std::function<void(uint8_t command, ByteView attributes)>;
    // Called for each reply of a request; an error stops delivery to it
    // (the rest of a dump is still read) and fails the request.
    using ReplyHandler = std::function<Status(ByteView attributes)>;

    struct Options {
        std::vector<std::string> multicast_groups;  // e.g. "mlme", "scan"
        std::chrono::milliseconds request_timeout{5000};
        size_t max_replies = 4096;         // per request (a dump)
        size_t max_queued_events = 256;
    };

    static Result<std::unique_ptr<Nl80211Socket>> open(EventLoop& loop, const Options& options);
    ~Nl80211Socket();
    Nl80211Socket(const Nl80211Socket&) = delete;
    Nl80211Socket& operator=(const Nl80211Socket&) = delete;

    void set_event_handler(EventHandler handler) { event_handler_ = std::move(handler); }

    // NLM_F_DUMP for dumps; NLM_F_ACK is added by request().
    std::unique_ptr<Nl80211Message> message(uint8_t command, int flags = 0) const;

    // Sends and waits (at most request_timeout) for the ACK, or for the
    // end of a dump. Errors name `what`, the errno and the kernel's
    // extended-ACK text.
    Status request(Nl80211Message& message, const char* what, const ReplyHandler& on_reply = nullptr);

    uint64_t malformed_messages() const { return malformed_; }
    uint64_t events_dropped() const { return events_dropped_; }

private:
    Nl80211Socket(EventLoop& loop, nl_sock* socket, int family, const Options& options);
    void on_readable();
    // Reads one datagram without waiting; false when nothing was there.
    bool read_datagram(uint32_t expected_sequence, const ReplyHandler* on_reply, bool* done,
                       Status* result, size_t* replies);
    void queue_event(uint8_t command, ByteView attributes);
    void schedule_dispatch();
    void dispatch_events();

    EventLoop& loop_;
    nl_sock* socket_;
    int family_;
    int fd_;
    Options options_;
    EventHandler event_handler_;
    Bytes buffer_;
    std::deque<Bytes> events_;  // command octet, then the attributes
    TimerId dispatch_timer_ = kNoTimer;
    uint64_t malformed_ = 0;
    uint64_t events_dropped_ = 0;
};

}  // namespace lanyard
