// A control-interface server compatible with wpa_supplicant's and hostapd's
// UNIX datagram control sockets, so Debian's wpa_cli and hostapd_cli (2.10)
// work unchanged against lanyard-supplicant and lanyard-authenticator.
//
// USE (daemon side)
//   auto cfg = parse_ctrl_interface("DIR=/var/run/wpa_supplicant GROUP=netdev");
//   auto server = CtrlSocketServer::open(*cfg, "eth0");      // DIR/eth0
//   (*server)->register_command("STATUS", [&](std::string_view) { return status_text(); });
//   loop.add_fd((*server)->fd(), [&] { (*server)->handle_readable(); });
//   (*server)->broadcast(CtrlLevel::kInfo, "CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully");
// The server owns no loop and never blocks: its socket is non-blocking, fd()
// is what an epoll loop waits on, handle_readable() answers the pending
// requests (at most kMaxRequestsPerWakeup per call; call it again while the
// fd stays readable). Handlers run on the caller's thread, inside
// handle_readable(); they must be quick (clients give up after 10 s).
// Destroying the server closes the socket and unlinks DIR/IFNAME (and removes
// DIR when this server created it and it is empty).
//
// THE WIRE PROTOCOL (learned from wpa_ctrl.c / ctrl_iface_unix.c and checked
// against the real Debian 2.10 binaries with a capturing socket):
//  - The server socket is SOCK_DGRAM AF_UNIX at DIR/IFNAME. Each request is
//    one datagram of plain text, no trailing newline, e.g. "STATUS",
//    "STA 02:00:00:00:00:01", "LEVEL 3". The reply is one datagram sent back
//    to the sender's address. Replies end with "\n" by convention
//    ("PONG\n", "OK\n", "FAIL\n", "UNKNOWN COMMAND\n", multi-line key=value).
//  - Each client binds its own socket at /tmp/wpa_ctrl_<pid>-<n> (both wpa_cli
//    and hostapd_cli, n counting connections in that process) and connect()s
//    to DIR/IFNAME. Replies to an unbound client are impossible (counted).
//  - Defaults: wpa_cli -p /var/run/wpa_supplicant, hostapd_cli -p
//    /var/run/hostapd. Without -i, both take the first readdir() entry of DIR
//    (other than . and ..; wpa_cli also skips p2p-dev-*), in directory
//    order, not sorted, and print "Selected interface 'NAME'" first: give
//    each daemon its own DIR or always pass -i.
//  - wpa_ctrl_request() treats a received datagram starting with '<' or
//    "IFNAME=" as an unsolicited event, not as the reply, and keeps waiting
//    (up to 10 s): A REPLY MUST NEVER START WITH '<'.
//  - Clients receive into char buf[4096] with length 4095: replies and events
//    longer than kCtrlMaxReply (4095) are cut by the kernel, so the server
//    truncates them itself (counted, logged). Requests are read up to 4096
//    bytes; a longer one gets "FAIL\n".
//  - Observed requests (Debian 2.10):
//      wpa_cli -p D -i I ping           → "PING"            expects "PONG\n"
//      wpa_cli ... status               → "STATUS"          prints reply verbatim
//      wpa_cli ... status verbose       → "STATUS-VERBOSE"
//      wpa_cli ... level 3              → "LEVEL 3"
//      wpa_cli interactive start: monitor connection (…-3) "ATTACH", then on
//        the command connection (…-2) "BSS RANGE=ALL MASK=0x2", "LIST_CREDS",
//        "LIST_NETWORKS", "STA-FIRST"/"STA-NEXT …"; "DETACH" on quit; "PING"
//        every 5 s. wpa_cli -a SCRIPT (action mode): "ATTACH", PINGs, DETACH.
//      hostapd_cli -p D -i I ping       → "PING"
//      hostapd_cli ... status           → "STATUS"
//      hostapd_cli ... sta ADDR         → "STA ADDR"
//      hostapd_cli ... all_sta          → "STA-FIRST", then "STA-NEXT <first
//        line of previous reply>" repeatedly, printing each reply, UNTIL A
//        REPLY STARTS WITH "FAIL" (or an I/O error). An empty reply does not
//        stop it: hostapd answers the last STA-NEXT with an empty datagram,
//        hostapd_cli then sends "STA-NEXT " (empty address) and hostapd
//        answers "FAIL\n". A reply of "UNKNOWN COMMAND\n" makes hostapd_cli
//        loop forever (verified). Hence, while no handler is registered for
//        STA-FIRST / STA-NEXT, this server answers them "FAIL\n" (Debian's
//        wpa_supplicant, built with CONFIG_AP, does the same in station mode).
//        A STA-NEXT handler must answer "FAIL\n" for an unknown/empty address.
//      hostapd_cli ... raw CMD ARGS     → "CMD ARGS" verbatim, e.g.
//        "EAPOL_REAUTH 02:00:00:00:00:01".
//      hostapd_cli interactive / -a: "ATTACH" on the single connection,
//        STA-FIRST/STA-NEXT for completion, "DETACH" on quit, PING every 5 s.
//  - ATTACH (with optional arguments, ignored) → "OK\n"; the client's address
//    becomes a monitor at level 3 (MSG_INFO). wpa_ctrl_attach() accepts only
//    exactly "OK\n". DETACH → "OK\n" ("FAIL\n" if not attached). LEVEL n →
//    "OK\n" ("FAIL\n" if not attached or n invalid).
//  - Events are datagrams "<N>TEXT" with no trailing newline, N the level
//    (MSG_INFO = 3: wpa_supplicant sends "<3>CTRL-EVENT-EAP-SUCCESS ...",
//    hostapd "<3>AP-STA-CONNECTED 02:..."), delivered to monitors whose level
//    is <= N. A monitor whose socket is gone (ENOENT/ECONNREFUSED) is dropped
//    at once, one that fails more than 10 sends in a row is dropped too.
//  - Built in: PING → "PONG\n", ATTACH, DETACH, LEVEL. Unknown command →
//    "UNKNOWN COMMAND\n". Command names are case-sensitive, like the
//    originals (the CLIs upper-case them).
//
// Files and modes (as the real daemons, checked): DIR is created if missing
// with mkdir(0770) under the umask (so 0750 with umask 022; missing parents
// 0755); with a group, DIR and the socket are chgrp'ed to it and DIR is
// chmod'ed to 0770; the socket is always chmod 0770. An existing DIR/IFNAME that nobody answers on
// (connect() refused) is a stale leftover and is replaced; one that a live
// process holds makes open() fail, so a second daemon cannot steal it.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/ctrl_config.h"
#include "common/ctrl_monitors.h"
#include "common/ctrl_request.h"
#include "common/result.h"

namespace lanyard {

// Gets the text after the command name and the first space ("" if none);
// returns the whole reply datagram (conventionally ending in "\n"; an empty
// string sends an empty datagram, as hostapd does for the last STA-NEXT).
using CtrlHandler = std::function<std::string(std::string_view args)>;

struct CtrlSocketStats {
    uint64_t requests = 0;           // datagrams received
    uint64_t malformed = 0;          // embedded NUL
    uint64_t oversized = 0;          // longer than kCtrlMaxRequest
    uint64_t unknown = 0;            // answered UNKNOWN COMMAND
    uint64_t truncated_replies = 0;  // replies/events cut to kCtrlMaxReply
    uint64_t reply_failures = 0;     // unnamed client, or sendto() failed
    uint64_t monitors_dropped = 0;   // monitors removed after failed sends
};

class CtrlSocketServer {
public:
    static constexpr size_t kMaxRequestsPerWakeup = 32;

    // Creates DIR (if needed) and binds DIR/IFNAME. ifname must be a plain
    // file name (no '/'), and DIR/IFNAME must fit in sun_path (107 bytes).
    static Result<std::unique_ptr<CtrlSocketServer>> open(const CtrlSocketConfig& config,
                                                          std::string_view ifname);
    ~CtrlSocketServer();
    CtrlSocketServer(const CtrlSocketServer&) = delete;
    CtrlSocketServer& operator=(const CtrlSocketServer&) = delete;

    int fd() const { return fd_; }
    const std::string& path() const { return path_; }

    // Registers (or replaces) the handler of one command name, e.g. "STATUS",
    // "STA", "STA-FIRST", "EAPOL_REAUTH". PING/ATTACH/DETACH/LEVEL are built
    // in and cannot be overridden.
    void register_command(std::string name, CtrlHandler handler);

    // Answers pending request datagrams (bounded per call). Never blocks.
    void handle_readable();

    // Sends "<level>text" to every monitor that wants this level; returns how
    // many monitors it reached.
    size_t broadcast(CtrlLevel level, std::string_view text);

    size_t monitor_count() const { return monitors_.size(); }
    const CtrlSocketStats& stats() const { return stats_; }

    // For tests and for daemons that want to answer a request themselves:
    // the reply the server would give to this datagram from this peer
    // (ATTACH/DETACH/LEVEL change the monitor set as a side effect).
    std::string dispatch(ByteView datagram, const CtrlPeer& peer);

private:
    CtrlSocketServer() = default;

    void send_reply(const CtrlPeer& peer, std::string_view reply);
    std::string clamp(std::string reply);

    int fd_ = -1;
    std::string path_;
    std::string created_dir_;  // DIR, when this server created it
    std::map<std::string, CtrlHandler, std::less<>> handlers_;
    CtrlMonitorSet monitors_;
    CtrlSocketStats stats_;
};

}  // namespace lanyard
