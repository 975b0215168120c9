#include "authenticator/authenticator_ctrl.h"

#include "authenticator/sta_text.h"
#include "common/event_loop.h"

namespace lanyard::authenticator {

namespace {

constexpr const char* kFail = "FAIL\n";

// The first word of args as a MAC address. hostapd's DEAUTHENTICATE takes
// optional arguments after the address (reason=, test=); they are ignored.
Result<MacAddress> address_arg(std::string_view args) {
    const size_t space = args.find(' ');
    return MacAddress::parse(args.substr(0, space));
}

}  // namespace

AuthenticatorCtrl::AuthenticatorCtrl(Authenticator& authenticator, std::function<void()> terminate)
    : auth_(authenticator), terminate_(std::move(terminate)) {}

void AuthenticatorCtrl::register_on(CtrlSocketServer& server) {
    server.register_command("STATUS", [this](std::string_view) { return status(); });
    server.register_command("STA", [this](std::string_view a) { return sta(a); });
    server.register_command("STA-FIRST", [this](std::string_view) { return sta_first(); });
    server.register_command("STA-NEXT", [this](std::string_view a) { return sta_next(a); });
    server.register_command("DEAUTHENTICATE", [this](std::string_view a) { return deauthenticate(a); });
    server.register_command("EAPOL_REAUTH", [this](std::string_view a) { return eapol_reauth(a); });
    server.register_command("MIB", [this](std::string_view) { return mib(); });
    server.register_command("TERMINATE", [this](std::string_view) { return terminate(); });
}

std::string AuthenticatorCtrl::status() const { return format_status(auth_); }

std::string AuthenticatorCtrl::sta(std::string_view args) const {
    auto mac = address_arg(args);
    if (!mac) return kFail;
    const StationSession* s = auth_.find(*mac);
    if (s == nullptr) return kFail;
    return format_sta(*s, auth_.settings().port.eapol_version, auth_.now());
}

std::string AuthenticatorCtrl::sta_first() const {
    const std::vector<MacAddress> all = auth_.stations();
    if (all.empty()) return "";  // hostapd: an empty datagram when there is no station
    return sta(all.front().to_string());
}

std::string AuthenticatorCtrl::sta_next(std::string_view args) const {
    auto mac = address_arg(args);
    if (!mac || auth_.find(*mac) == nullptr) return kFail;  // ends hostapd_cli all_sta
    for (const MacAddress& m : auth_.stations()) {
        if (*mac < m) return sta(m.to_string());
    }
    return "";  // after the last station: an empty datagram, as hostapd
}

std::string AuthenticatorCtrl::deauthenticate(std::string_view args) {
    auto mac = address_arg(args);
    if (!mac) return kFail;
    return auth_.deauthenticate(*mac) ? "OK\n" : kFail;
}

std::string AuthenticatorCtrl::eapol_reauth(std::string_view args) {
    auto mac = address_arg(args);
    if (!mac) return kFail;
    return auth_.reauthenticate(*mac) ? "OK\n" : kFail;
}

std::string AuthenticatorCtrl::mib() const { return format_mib(auth_); }

std::string AuthenticatorCtrl::terminate() {
    if (terminate_) terminate_();
    return "OK\n";
}

}  // namespace lanyard::authenticator
