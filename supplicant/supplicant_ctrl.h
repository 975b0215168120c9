// The supplicant's control commands on a CtrlSocketServer (wpa_cli names):
// STATUS, STATUS-VERBOSE, MIB, LOGON, LOGOFF, REASSOCIATE, TERMINATE,
// LIST_NETWORKS, INTERFACES. PING, ATTACH, DETACH, LEVEL and the STA-FIRST
// "FAIL" are built into the server.
#pragma once

#include <functional>

#include "common/ctrl_socket.h"
#include "supplicant/wired_session.h"
#include "supplicant/wpa_config.h"

namespace lanyard::supplicant {

// session and config must outlive the server's handlers; terminate is
// called for TERMINATE (after the reply is built; the daemon should stop
// its loop, not destroy the server from inside the handler).
void register_supplicant_commands(CtrlSocketServer& server, WiredSession& session, const WpaConfig& config,
                                  std::function<void()> terminate);

// "network id / ssid / bssid / flags" table as wpa_supplicant prints it.
std::string list_networks_text(const WpaConfig& config, size_t current);

}  // namespace lanyard::supplicant
