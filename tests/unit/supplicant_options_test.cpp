// lanyard-supplicant's command line and network selection.
#include <doctest/doctest.h>

#include "supplicant/wpa_config.h"
#include "tls/tls_engine.h"
#include "supplicant/network_select.h"
#include "supplicant/supplicant_options.h"

using namespace lanyard;
using namespace lanyard::supplicant;

namespace {
Result<SupplicantOptions> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "lanyard-supplicant");
    return parse_supplicant_args(args);
}
}  // namespace

TEST_CASE("supplicant options: wpa_supplicant's command line") {
    auto o = parse({"-Dwired", "-i", "eth0", "-c", "/etc/w.conf", "-B", "-P", "/run/s.pid", "-f", "/tmp/s.log",
                    "-dd", "-K", "-t", "-C", "/run/ctl", "--pcap", "/tmp/x.pcap"});
    REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().detail));
    CHECK(o->interface_name == "eth0");
    CHECK(o->config_file == "/etc/w.conf");
    CHECK(o->driver == DriverKind::kWired);
    CHECK(o->driver_given);
    CHECK(o->daemon.background);
    CHECK(o->daemon.pid_file == "/run/s.pid");
    CHECK(o->daemon.log_file == "/tmp/s.log");
    CHECK(o->daemon.debug_level == 2);
    CHECK(o->daemon.log_keys);
    CHECK(o->daemon.timestamps);
    CHECK_FALSE(o->daemon.quiet);
    CHECK(o->ctrl_dir == "/run/ctl");
    CHECK(o->pcap_file == "/tmp/x.pcap");
}

TEST_CASE("supplicant options: grouped flags, attached values, --pcap=FILE, -q") {
    auto o = parse({"-ieth1", "-cw.conf", "-Bdd", "-d", "-q", "--pcap=cap.pcap"});
    REQUIRE(o.ok());
    CHECK(o->interface_name == "eth1");
    CHECK(o->daemon.debug_level == 3);
    CHECK(o->daemon.quiet);
    CHECK(o->daemon.background);
    CHECK(o->pcap_file == "cap.pcap");
    CHECK_FALSE(o->driver_given);
    CHECK_FALSE(o->allow_unvalidated_server);
    auto insecure = parse({"-i", "eth0", "-c", "w", "--allow-unvalidated-server"});
    REQUIRE(insecure.ok());
    CHECK(insecure->allow_unvalidated_server);
}

TEST_CASE("supplicant options: -D nl80211 selects Wi-Fi, unknown drivers and options are errors") {
    auto nl = parse({"-D", "nl80211", "-i", "wlan0", "-c", "w.conf"});
    REQUIRE(nl.ok());
    CHECK(nl->driver == DriverKind::kNl80211);
    auto first = parse({"-D", "nl80211,wired", "-i", "wlan0", "-c", "w.conf"});
    REQUIRE(first.ok());
    CHECK(first->driver == DriverKind::kNl80211);
    CHECK_FALSE(parse({"-D", "bsd", "-i", "e", "-c", "w"}).ok());
    CHECK_FALSE(parse({"-i", "eth0", "-c", "w.conf", "-x"}).ok());
    CHECK_FALSE(parse({"-i", "eth0", "-c", "w.conf", "--bogus"}).ok());
    CHECK_FALSE(parse({"-i", "eth0", "-c", "w.conf", "stray"}).ok());
    CHECK_FALSE(parse({"-i", "eth0", "-c"}).ok());  // value missing
}

TEST_CASE("supplicant options: -i and -c are required, except for -h and --version") {
    auto no_iface = parse({"-c", "w.conf"});
    REQUIRE_FALSE(no_iface.ok());
    CHECK(no_iface.error().detail.find("-i") != std::string::npos);
    auto no_conf = parse({"-i", "eth0"});
    REQUIRE_FALSE(no_conf.ok());
    CHECK(no_conf.error().detail.find("-c") != std::string::npos);
    CHECK_FALSE(parse({"-i", "a/b", "-c", "w"}).ok());
    CHECK_FALSE(parse({"-i", "eth0", "-c", "w", "-C", "relative/dir"}).ok());
    auto v = parse({"--version"});
    REQUIRE(v.ok());
    CHECK(v->show_version);
    auto h = parse({"-h"});
    REQUIRE(h.ok());
    CHECK(h->show_help);
}

TEST_CASE("supplicant --version names the TLS backend") {
    const std::string line = supplicant_version_line();
    CHECK(line.rfind("lanyard-supplicant ", 0) == 0);
    CHECK(line.find("(TLS backend: " + tls::backend_name() + ")") != std::string::npos);
    CHECK(supplicant_usage().find("--pcap FILE") != std::string::npos);
}

TEST_CASE("network selection: the first enabled IEEE8021X block") {
    auto loaded = parse_wpa_config(
        "ap_scan=0\n"
        "network={\n key_mgmt=IEEE8021X\n eap=MD5\n identity=\"a\"\n password=\"p\"\n disabled=1\n}\n"
        "network={\n key_mgmt=WPA-PSK\n ssid=\"x\"\n psk=\"12345678\"\n}\n"
        "network={\n key_mgmt=IEEE8021X\n eap=MD5\n identity=\"b\"\n password=\"p\"\n}\n",
        "sel.conf");
    REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().detail));
    auto id = select_wired_network(loaded->config);
    REQUIRE(id.ok());
    CHECK(*id == 2);

    auto none = parse_wpa_config("network={\n key_mgmt=WPA-PSK\n ssid=\"x\"\n psk=\"12345678\"\n}\n", "none.conf");
    REQUIRE(none.ok());
    auto err = select_wired_network(none->config);
    REQUIRE_FALSE(err.ok());
    CHECK(err.error().detail.find("none.conf") != std::string::npos);
    CHECK(err.error().detail.find("IEEE8021X") != std::string::npos);
}
