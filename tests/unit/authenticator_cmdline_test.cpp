// lanyard-authenticator's command line: hostapd's short options, --pcap and
// --version, and the errors.
#include <doctest/doctest.h>

#include "authenticator/authenticator_cmdline.h"

using namespace lanyard;
using namespace lanyard::authenticator;

TEST_CASE("authenticator cmdline: hostapd's options") {
    auto c = parse_authenticator_cmdline({"-ddBKt", "-P", "/run/a.pid", "-f/tmp/a.log", "--pcap", "x.pcap", "h.conf"});
    REQUIRE(c.ok());
    CHECK(c->daemon.debug_level == 2);
    CHECK(c->daemon.background);
    CHECK(c->daemon.log_keys);
    CHECK(c->daemon.timestamps);
    CHECK(c->daemon.pid_file == "/run/a.pid");
    CHECK(c->daemon.log_file == "/tmp/a.log");
    CHECK(c->pcap_file == "x.pcap");
    CHECK(c->config_file == "h.conf");
    CHECK_FALSE(c->show_help);
    CHECK_FALSE(c->show_version);
}

TEST_CASE("authenticator cmdline: defaults, --pcap=FILE, -v, --version, -h") {
    auto c = parse_authenticator_cmdline({"--pcap=y.pcap", "h.conf"});
    REQUIRE(c.ok());
    CHECK(c->daemon.debug_level == 0);
    CHECK_FALSE(c->daemon.background);
    CHECK(c->pcap_file == "y.pcap");
    auto v = parse_authenticator_cmdline({"-v"});
    REQUIRE(v.ok());
    CHECK(v->show_version);
    auto vv = parse_authenticator_cmdline({"--version"});
    REQUIRE(vv.ok());
    CHECK(vv->show_version);
    auto h = parse_authenticator_cmdline({"-h"});
    REQUIRE(h.ok());
    CHECK(h->show_help);
    const std::string line = authenticator_version_line();
    CHECK(line.rfind("lanyard-authenticator ", 0) == 0);
    CHECK(line.find("(TLS backend: ") != std::string::npos);
    CHECK(line.back() == ')');
    CHECK(authenticator_usage().find("--pcap") != std::string::npos);
}

TEST_CASE("authenticator cmdline: errors") {
    CHECK_FALSE(parse_authenticator_cmdline({}).ok());                       // no CONFIG
    CHECK_FALSE(parse_authenticator_cmdline({"-d"}).ok());                   // still no CONFIG
    CHECK_FALSE(parse_authenticator_cmdline({"-x", "h.conf"}).ok());         // unknown option
    CHECK_FALSE(parse_authenticator_cmdline({"h.conf", "-P"}).ok());         // -P without value
    CHECK_FALSE(parse_authenticator_cmdline({"--pcap"}).ok());               // --pcap without value
    CHECK_FALSE(parse_authenticator_cmdline({"--bogus", "h.conf"}).ok());
    auto two = parse_authenticator_cmdline({"a.conf", "b.conf"});
    REQUIRE_FALSE(two.ok());
    CHECK(two.error().detail.find("one interface") != std::string::npos);
}
