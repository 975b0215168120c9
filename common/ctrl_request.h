// Pure pieces of the wpa_supplicant/hostapd control-socket protocol: the
// size limits the real clients impose, splitting a request datagram into a
// command name and its argument, event levels and the "<N>TEXT" event format.
// No sockets here; ctrl_socket.h does the I/O. See ctrl_socket.h for what
// Debian's wpa_cli and hostapd_cli 2.10 actually send and expect.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard {

// wpa_supplicant and hostapd read a request into a 4096-byte buffer and keep
// 4095 bytes + NUL; we accept up to 4096 and refuse anything longer with FAIL
// rather than silently acting on a truncated command.
inline constexpr size_t kCtrlMaxRequest = 4096;
// wpa_cli and hostapd_cli receive replies and events into char buf[4096] and
// pass sizeof(buf) - 1 to recv(): a longer datagram is cut at 4095 bytes by
// the kernel. The server truncates (and counts) longer replies itself.
inline constexpr size_t kCtrlMaxReply = 4095;

// wpa_debug.h levels, as they appear between the angle brackets of an event.
// CTRL-EVENT-* and AP-STA-* events are sent at kInfo, so they arrive as
// "<3>CTRL-EVENT-EAP-SUCCESS ..." (seen from the real wpa_supplicant 2.10).
// A monitor receives an event when event level >= the monitor's level;
// ATTACH starts a monitor at kInfo, "LEVEL n" changes it.
enum class CtrlLevel : int {
    kExcessive = 0,
    kMsgDump = 1,
    kDebug = 2,
    kInfo = 3,
    kWarning = 4,
    kError = 5,
};

inline constexpr CtrlLevel kCtrlDefaultMonitorLevel = CtrlLevel::kInfo;

// "LEVEL 3" argument → level; anything but a small decimal number is an error.
Result<CtrlLevel> parse_ctrl_level(std::string_view text);

// One request: "STA 02:00:00:00:00:01" → name "STA", args "02:00:00:00:00:01".
// Views into the datagram the request was parsed from.
struct CtrlRequest {
    std::string_view name;
    std::string_view args;  // everything after the first space; may contain spaces
};

// Validates and splits a request datagram. One trailing "\n" (or "\r\n") is
// tolerated for hand-written clients (socat, nc); wpa_cli sends none.
// Errors: longer than kCtrlMaxRequest (kLimit), an embedded NUL (kMalformed).
// An empty datagram gives an empty name (answered "UNKNOWN COMMAND").
Result<CtrlRequest> parse_ctrl_request(ByteView datagram);

// "<3>CTRL-EVENT-CONNECTED ..." without a trailing newline (as wpa_supplicant
// sends), cut to kCtrlMaxReply bytes.
std::string format_ctrl_event(CtrlLevel level, std::string_view text);

}  // namespace lanyard
