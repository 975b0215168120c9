#include "authenticator/authenticator_cmdline.h"

#include "common/cmdline.h"
#include "tls/tls_engine.h"

namespace lanyard::authenticator {

Result<AuthenticatorCmdline> parse_authenticator_cmdline(const std::vector<std::string>& args) {
    AuthenticatorCmdline c;
    size_t positionals = 0;
    const auto flag = [](char name, auto fn) {
        return CmdlineOption{name, "", false, [fn](const std::string&) -> Status {
                                 fn();
                                 return ok_status();
                             }};
    };
    std::vector<CmdlineOption> options = {
        flag('h', [&] { c.show_help = true; }),
        flag('d', [&] { ++c.daemon.debug_level; }),
        flag('B', [&] { c.daemon.background = true; }),
        flag('K', [&] { c.daemon.log_keys = true; }),
        flag('t', [&] { c.daemon.timestamps = true; }),
        flag('v', [&] { c.show_version = true; }),
        CmdlineOption{0, "version", false, [&](const std::string&) -> Status {
                          c.show_version = true;
                          return ok_status();
                      }},
        CmdlineOption{'P', "", true, [&](const std::string& v) -> Status {
                          if (v.empty()) return make_error(ErrorCode::kConfig, "-P needs a file name");
                          c.daemon.pid_file = v;
                          return ok_status();
                      }},
        CmdlineOption{'f', "", true, [&](const std::string& v) -> Status {
                          if (v.empty()) return make_error(ErrorCode::kConfig, "-f needs a file name");
                          c.daemon.log_file = v;
                          return ok_status();
                      }},
        CmdlineOption{0, "pcap", true, [&](const std::string& v) -> Status {
                          if (v.empty()) return make_error(ErrorCode::kConfig, "--pcap needs a file name");
                          c.pcap_file = v;
                          return ok_status();
                      }},
    };
    Status s = parse_cmdline(args, options, [&](const std::string& p) -> Status {
        if (++positionals > 1) {
            return make_error(ErrorCode::kUnsupported,
                              "more than one configuration file ('" + p +
                                  "'): lanyard-authenticator serves one interface per process");
        }
        c.config_file = p;
        return ok_status();
    });
    if (!s) return s.error();
    if (!c.show_help && !c.show_version && c.config_file.empty()) {
        return make_error(ErrorCode::kConfig, "no configuration file given");
    }
    return c;
}

std::string authenticator_version_line() {
    return std::string("lanyard-authenticator ") + LANYARD_VERSION + " (TLS backend: " + tls::backend_name() + ")";
}

std::string authenticator_usage() {
    return "usage: lanyard-authenticator [-hdBKtv] [-P <PID file>] [-f <log file>] [--pcap <file>] <configuration file>\n"
           "\n"
           "options:\n"
           "   -h   show this usage\n"
           "   -d   show more debug messages (-dd for even more)\n"
           "   -B   run daemon in the background\n"
           "   -K   include key data in debug messages\n"
           "   -t   include timestamps in some debug messages\n"
           "   -v   show version (also --version)\n"
           "   -P   PID file\n"
           "   -f   log output to debug file instead of stdout\n"
           "   --pcap FILE  write every EAPOL frame sent and received to FILE\n"
           "\n"
           "driver=wired with the integrated EAP server (eap_server=1) is supported.\n";
}

}  // namespace lanyard::authenticator
