// lanyard-authenticator's control-socket commands, answered as Debian's
// hostapd 2.10 answers them so hostapd_cli works unchanged (see
// common/ctrl_socket.h and tests/interop/REFERENCE_OUTPUTS.md):
//   STATUS, STA <addr>, STA-FIRST, STA-NEXT <addr> (an EMPTY reply after the
//   last station and "FAIL\n" for an empty or unknown address, which is what
//   ends hostapd_cli all_sta), DEAUTHENTICATE <addr>, EAPOL_REAUTH <addr>,
//   MIB, TERMINATE. PING/ATTACH/DETACH/LEVEL are built into the server.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "authenticator/authenticator.h"
#include "common/ctrl_socket.h"

namespace lanyard::authenticator {

class AuthenticatorCtrl {
public:
    // terminate: called for TERMINATE (stops the daemon's loop).
    AuthenticatorCtrl(Authenticator& authenticator, std::function<void()> terminate);

    void register_on(CtrlSocketServer& server);

    // The handlers, one per command (args = text after the command name).
    std::string status() const;
    std::string sta(std::string_view args) const;
    std::string sta_first() const;
    std::string sta_next(std::string_view args) const;
    std::string deauthenticate(std::string_view args);
    std::string eapol_reauth(std::string_view args);
    std::string mib() const;
    std::string terminate();

private:
    Authenticator& auth_;
    std::function<void()> terminate_;
};

}  // namespace lanyard::authenticator
