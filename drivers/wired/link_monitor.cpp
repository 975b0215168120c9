#include "drivers/wired/link_monitor.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/log.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "link_monitor";
constexpr size_t kNetlinkAlign = 4;  // NLMSG_ALIGNTO
constexpr int kMaxDatagramsPerWakeup = 16;

size_t align(size_t n) { return (n + kNetlinkAlign - 1) & ~(kNetlinkAlign - 1); }

}  // namespace

Result<std::unique_ptr<LinkMonitor>> LinkMonitor::open(EventLoop& loop, int interface_index,
                                                       Callback callback) {
    UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd.valid()) return make_error(ErrorCode::kIo, std::string("socket(NETLINK_ROUTE): ") + std::strerror(errno));
    sockaddr_nl addr{};
    addr.nl_family = AF_NETLINK;
    addr.nl_groups = RTMGRP_LINK;
    if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
        return make_error(ErrorCode::kIo, std::string("bind(NETLINK_ROUTE): ") + std::strerror(errno));
    }
    std::unique_ptr<LinkMonitor> monitor(
        new LinkMonitor(loop, std::move(fd), interface_index, std::move(callback)));
    LinkMonitor* raw = monitor.get();
    LANYARD_TRY(loop.add_fd(raw->fd_.get(), FdWatch{[raw] { raw->on_readable(); }, nullptr}));
    return monitor;
}

LinkMonitor::LinkMonitor(EventLoop& loop, UniqueFd fd, int interface_index, Callback callback)
    : loop_(loop), fd_(std::move(fd)), interface_index_(interface_index), callback_(std::move(callback)) {}

LinkMonitor::~LinkMonitor() { loop_.remove_fd(fd_.get()); }

void LinkMonitor::on_readable() {
    std::array<uint8_t, 8192> buffer{};
    for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
        const ssize_t n = recv(fd_.get(), buffer.data(), buffer.size(), MSG_TRUNC);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                // ENOBUFS: notifications were lost; the next one resyncs us.
                LOG_DEBUG(kLog, "recv: %s", std::strerror(errno));
            }
            return;
        }
        if (static_cast<size_t>(n) > buffer.size()) {
            ++malformed_;
            LOG_DEBUG(kLog, "dropped truncated netlink datagram of %zd bytes", n);
            continue;
        }
        parse(ByteView(buffer.data(), static_cast<size_t>(n)));
    }
}

void LinkMonitor::parse(ByteView datagram) {
    size_t offset = 0;
    while (datagram.size() - offset >= sizeof(nlmsghdr)) {
        nlmsghdr header{};
        std::memcpy(&header, datagram.data() + offset, sizeof(header));
        if (header.nlmsg_len < sizeof(nlmsghdr) || header.nlmsg_len > datagram.size() - offset) {
            ++malformed_;
            LOG_DEBUG(kLog, "dropped netlink message with bad length %u", header.nlmsg_len);
            return;
        }
        const bool is_link = header.nlmsg_type == RTM_NEWLINK || header.nlmsg_type == RTM_DELLINK;
        if (is_link && header.nlmsg_len >= sizeof(nlmsghdr) + sizeof(ifinfomsg)) {
            ifinfomsg info{};
            std::memcpy(&info, datagram.data() + offset + sizeof(nlmsghdr), sizeof(info));
            if (info.ifi_index == interface_index_) {
                const bool up = header.nlmsg_type == RTM_NEWLINK && (info.ifi_flags & IFF_UP) != 0 &&
                                (info.ifi_flags & IFF_RUNNING) != 0;
                callback_(up ? LinkState::kUp : LinkState::kDown);
            }
        }
        offset += align(header.nlmsg_len);
        if (offset > datagram.size()) return;
    }
}

}  // namespace lanyard
