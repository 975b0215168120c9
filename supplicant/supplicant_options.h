// lanyard-supplicant's command line: wpa_supplicant's options (-i -c -D -B
// -P -f -d -K -t -q -C -h -v) plus --pcap FILE, --version and
// --allow-unvalidated-server. Pure: parses
// into a struct and reports errors; main() prints and exits.
#pragma once

#include <string>
#include <vector>

#include "common/daemon.h"
#include "common/result.h"

namespace lanyard::supplicant {

enum class DriverKind { kWired, kNl80211 };

struct SupplicantOptions {
    std::string interface_name;   // -i
    std::string config_file;      // -c
    DriverKind driver = DriverKind::kWired;  // -D (wpa_supplicant's default is nl80211; wired here)
    bool driver_given = false;
    std::string ctrl_dir;         // -C: overrides ctrl_interface= of the file
    std::string pcap_file;        // --pcap
    // --allow-unvalidated-server: the explicit operator opt-out of the
    // ca_cert requirement (wpa_config.h ValidateOptions); never from the file.
    bool allow_unvalidated_server = false;
    DaemonOptions daemon;         // -B -P -f -d -K -t -q
    bool show_help = false;       // -h
    bool show_version = false;    // -v / --version
};

// args is argv (args[0] is the program name). Checks that -i and -c are
// given unless only help/version was asked for.
Result<SupplicantOptions> parse_supplicant_args(const std::vector<std::string>& args);

std::string supplicant_usage();
// "lanyard-supplicant <version> (TLS backend: <backend>)"
std::string supplicant_version_line();

}  // namespace lanyard::supplicant
