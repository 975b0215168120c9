// Watches one interface's link state through rtnetlink (RTMGRP_LINK
// notifications, RTM_NEWLINK/RTM_DELLINK), without libnl.
#pragma once

#include <functional>
#include <memory>

#include "common/event_loop.h"
#include "common/result.h"
#include "drivers/driver.h"
#include "drivers/wired/unique_fd.h"

namespace lanyard {

class LinkMonitor {
public:
    using Callback = std::function<void(LinkState)>;

    // Registers a non-blocking NETLINK_ROUTE socket with the loop.
    static Result<std::unique_ptr<LinkMonitor>> open(EventLoop& loop, int interface_index,
                                                     Callback callback);
    ~LinkMonitor();
    LinkMonitor(const LinkMonitor&) = delete;
    LinkMonitor& operator=(const LinkMonitor&) = delete;

    uint64_t malformed_messages() const { return malformed_; }

private:
    LinkMonitor(EventLoop& loop, UniqueFd fd, int interface_index, Callback callback);
    void on_readable();
    void parse(ByteView datagram);

    EventLoop& loop_;
    UniqueFd fd_;
    int interface_index_;
    Callback callback_;
    uint64_t malformed_ = 0;
};

}  // namespace lanyard
