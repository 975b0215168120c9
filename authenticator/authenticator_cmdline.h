// lanyard-authenticator's command line, hostapd's plus two long options:
//   lanyard-authenticator [-hdBKtv] [-P PIDFILE] [-f LOGFILE] [--pcap FILE] [--version] CONFIG
// -d more debug (repeatable), -B background, -K log keys, -t timestamps,
// -P pid file, -f log file, -h usage, -v / --version the version line,
// --pcap FILE every EAPOL frame sent and received (drivers/pcap).
// Pure: parsing never prints or exits.
#pragma once

#include <string>
#include <vector>

#include "common/daemon.h"
#include "common/result.h"

#include "common/version.h"

namespace lanyard::authenticator {

struct AuthenticatorCmdline {
    DaemonOptions daemon;
    std::string pcap_file;
    std::string config_file;
    bool show_help = false;
    bool show_version = false;
};

// args: argv[1..]. Exactly one CONFIG is required unless -h or -v is given.
// hostapd accepts several config files (one per interface); Lanyard serves one.
Result<AuthenticatorCmdline> parse_authenticator_cmdline(const std::vector<std::string>& args);

// "lanyard-authenticator <version> (TLS backend: <tls::backend_name()>)".
std::string authenticator_version_line();
std::string authenticator_usage();

}  // namespace lanyard::authenticator
