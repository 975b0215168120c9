#include "supplicant/supplicant_options.h"

#include "common/version.h"

#include "common/cmdline.h"
#include "tls/tls_engine.h"

namespace lanyard::supplicant {

namespace {
constexpr const char* kVersion = LANYARD_VERSION;

Status set_driver(SupplicantOptions& o, const std::string& value) {
    // wpa_supplicant accepts "drv1,drv2"; take the first, as it tries in order.
    const std::string name = value.substr(0, value.find(','));
    o.driver_given = true;
    if (name == "wired") {
        o.driver = DriverKind::kWired;
        return ok_status();
    }
    if (name == "nl80211") {
        o.driver = DriverKind::kNl80211;
        return ok_status();
    }
    return make_error(ErrorCode::kConfig, "unknown driver '" + value + "' (supported: wired, nl80211)");
}
}  // namespace

Result<SupplicantOptions> parse_supplicant_args(const std::vector<std::string>& args) {
    SupplicantOptions o;
    auto flag = [](auto fn) { return [fn](const std::string&) { fn(); return ok_status(); }; };
    auto value = [](std::string* dst, const char* what) {
        return [dst, what](const std::string& v) -> Status {
            if (v.empty()) return make_error(ErrorCode::kConfig, std::string(what) + " must not be empty");
            *dst = v;
            return ok_status();
        };
    };
    const std::vector<CmdlineOption> options = {
        {'i', "", true, value(&o.interface_name, "-i IFACE")},
        {'c', "", true, value(&o.config_file, "-c FILE")},
        {'D', "", true, [&o](const std::string& v) { return set_driver(o, v); }},
        {'C', "", true, value(&o.ctrl_dir, "-C DIR")},
        {'P', "", true, value(&o.daemon.pid_file, "-P PIDFILE")},
        {'f', "", true, value(&o.daemon.log_file, "-f LOGFILE")},
        {'B', "", false, flag([&o] { o.daemon.background = true; })},
        {'d', "", false, flag([&o] { ++o.daemon.debug_level; })},
        {'K', "", false, flag([&o] { o.daemon.log_keys = true; })},
        {'t', "", false, flag([&o] { o.daemon.timestamps = true; })},
        {'q', "", false, flag([&o] { o.daemon.quiet = true; })},
        {'h', "help", false, flag([&o] { o.show_help = true; })},
        {'v', "version", false, flag([&o] { o.show_version = true; })},
        {0, "pcap", true, value(&o.pcap_file, "--pcap FILE")},
        {0, "allow-unvalidated-server", false, flag([&o] { o.allow_unvalidated_server = true; })},
    };
    // parse_cmdline reads every element it is given: leave out the program name.
    const std::vector<std::string> rest(args.empty() ? args.begin() : args.begin() + 1, args.end());
    LANYARD_TRY(parse_cmdline(rest, options, [](const std::string& arg) -> Status {
        return make_error(ErrorCode::kConfig, "unexpected argument '" + arg + "'");
    }));
    if (o.show_help || o.show_version) return o;
    if (o.interface_name.empty()) return make_error(ErrorCode::kConfig, "missing -i IFACE");
    if (o.config_file.empty()) return make_error(ErrorCode::kConfig, "missing -c FILE");
    if (o.interface_name.find('/') != std::string::npos || o.interface_name.size() > 15) {
        return make_error(ErrorCode::kConfig, "invalid interface name '" + o.interface_name + "'");
    }
    if (!o.ctrl_dir.empty() && o.ctrl_dir[0] != '/') {
        return make_error(ErrorCode::kConfig, "-C DIR must be an absolute path");
    }
    return o;
}

std::string supplicant_usage() {
    return "usage: lanyard-supplicant -i IFACE -c CONFIG [-D wired] [-B] [-P PIDFILE] [-f LOGFILE]\n"
           "                          [-d[d]] [-K] [-t] [-q] [-C CTRL_DIR] [--pcap FILE]\n"
           "       lanyard-supplicant --version | -v | -h\n"
           "options:\n"
           "  -i IFACE      interface name\n"
           "  -c CONFIG     wpa_supplicant.conf\n"
           "  -D DRIVER     wired or nl80211 (WPA2/WPA3-Enterprise)\n"
           "  -B            run in the background\n"
           "  -P PIDFILE    write the process id to PIDFILE\n"
           "  -f LOGFILE    log to LOGFILE instead of stderr\n"
           "  -d            more debug output (repeat for more)\n"
           "  -K            include keys and passwords in the debug output\n"
           "  -t            timestamps on log lines\n"
           "  -q            less output\n"
           "  -C CTRL_DIR   control socket directory (overrides ctrl_interface=)\n"
           "  --pcap FILE   record every EAPOL frame sent and received\n"
           "  --allow-unvalidated-server\n"
           "                accept TLS methods without ca_cert (INSECURE: the server is not checked)\n"
           "  --version     print the version and TLS backend\n"
           "  -h            this help\n";
}

std::string supplicant_version_line() {
    return std::string("lanyard-supplicant ") + kVersion + " (TLS backend: " + tls::backend_name() + ")";
}

}  // namespace lanyard::supplicant
