// The attached monitors of a control socket (clients that sent ATTACH and
// receive events), keyed by their socket address. Bookkeeping only: the
// server does the sending and reports each result back here.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <string>
#include <vector>

#include "common/ctrl_request.h"

namespace lanyard {

// A client's address as recvfrom() gave it (pathname or abstract).
struct CtrlPeer {
    sockaddr_un addr{};
    socklen_t len = 0;

    // The address bytes after sun_family; two peers are the same client when
    // these are equal. Empty for an unbound (unnamed) client, which cannot be
    // answered at all.
    std::string key() const;
    // Printable form for logs: the path, or "@name" for abstract addresses.
    std::string display() const;
};

class CtrlMonitorSet {
public:
    // Bounded: ATTACH past this many monitors is refused (FAIL).
    static constexpr size_t kMaxMonitors = 32;
    // Consecutive failed sends after which a monitor is dropped (it has
    // stopped reading); a send failing because the client's socket is gone
    // (ENOENT, ECONNREFUSED) or forbidden (EPERM) drops it at once. Same
    // policy as wpa_supplicant's ctrl_iface_unix.c.
    static constexpr int kMaxConsecutiveErrors = 10;

    struct Monitor {
        CtrlPeer peer;
        CtrlLevel level = kCtrlDefaultMonitorLevel;
        int consecutive_errors = 0;
    };

    // ATTACH: adds the peer at the default level, or resets the level of a
    // peer already attached. False when full or the peer is unnamed.
    bool attach(const CtrlPeer& peer);
    // DETACH: false when the peer was not attached.
    bool detach(const CtrlPeer& peer);
    // LEVEL n: false when the peer is not attached.
    bool set_level(const CtrlPeer& peer, CtrlLevel level);

    // Monitors that want an event of this level, as indexes for report_send().
    std::vector<size_t> recipients(CtrlLevel level) const;
    const Monitor& at(size_t index) const { return monitors_[index]; }
    // Result of one send to monitor `index` (0 or an errno). Returns true
    // when the monitor was dropped. Indexes from recipients() stay valid only
    // until the first drop: call recipients() again after one, or report in
    // descending order (what the server does).
    bool report_send(size_t index, int error);

    size_t size() const { return monitors_.size(); }
    bool contains(const CtrlPeer& peer) const { return find(peer) != monitors_.size(); }

private:
    size_t find(const CtrlPeer& peer) const;

    std::vector<Monitor> monitors_;
};

}  // namespace lanyard
