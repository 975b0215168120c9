#include "supplicant/supplicant_ctrl.h"

#include "common/log.h"
#include "supplicant/supplicant_status.h"

namespace lanyard::supplicant {

std::string list_networks_text(const WpaConfig& config, size_t current) {
    std::string out = "network id / ssid / bssid / flags\n";
    for (size_t i = 0; i < config.networks.size(); ++i) {
        const NetworkBlock& n = config.networks[i];
        out += std::to_string(i) + "\t" + n.ssid + "\tany\t";
        if (i == current) out += "[CURRENT]";
        if (n.disabled == 1) out += "[DISABLED]";
        out += "\n";
    }
    return out;
}

void register_supplicant_commands(CtrlSocketServer& server, WiredSession& session, const WpaConfig& config,
                                  std::function<void()> terminate) {
    server.register_command("STATUS", [&session](std::string_view) { return status_text(session, false); });
    server.register_command("STATUS-VERBOSE",
                            [&session](std::string_view) { return status_text(session, true); });
    server.register_command("MIB", [&session](std::string_view) { return mib_text(session); });
    server.register_command("LOGOFF", [&session](std::string_view) {
        LOG_INFO("supplicant", "control: LOGOFF");
        session.logoff();
        return std::string("OK\n");
    });
    server.register_command("LOGON", [&session](std::string_view) {
        LOG_INFO("supplicant", "control: LOGON");
        session.logon();
        return std::string("OK\n");
    });
    server.register_command("REASSOCIATE", [&session](std::string_view) {
        LOG_INFO("supplicant", "control: REASSOCIATE");
        session.reassociate();
        return std::string("OK\n");
    });
    server.register_command("TERMINATE", [terminate](std::string_view) {
        LOG_INFO("supplicant", "control: TERMINATE");
        if (terminate) terminate();
        return std::string("OK\n");
    });
    server.register_command("LIST_NETWORKS", [&session, &config](std::string_view) {
        return list_networks_text(config, session.config().network_id);
    });
    server.register_command("INTERFACES", [&session](std::string_view) {
        return session.driver().interface_name() + "\n";
    });
}

}  // namespace lanyard::supplicant
