#include <doctest/doctest.h>

#include "common/cmdline.h"

using namespace lanyard;

namespace {

struct Parsed {
    int d = 0;
    bool background = false;
    std::string iface, conf, pcap;
    std::vector<std::string> files;
};

Status parse(std::vector<std::string> args, Parsed* p) {
    std::vector<CmdlineOption> options = {
        {'d', "", false, [p](const std::string&) { ++p->d; return ok_status(); }},
        {'B', "", false, [p](const std::string&) { p->background = true; return ok_status(); }},
        {'i', "", true, [p](const std::string& v) { p->iface = v; return ok_status(); }},
        {'c', "", true, [p](const std::string& v) { p->conf = v; return ok_status(); }},
        {0, "pcap", true, [p](const std::string& v) { p->pcap = v; return ok_status(); }},
    };
    return parse_cmdline(args, options, [p](const std::string& f) {
        p->files.push_back(f);
        return ok_status();
    });
}

}  // namespace

TEST_CASE("cmdline: grouped flags, attached and separate values, long options") {
    Parsed p;
    REQUIRE(parse({"-ddB", "-ieth0", "-c", "/etc/x.conf", "--pcap=/tmp/a.pcap", "hostapd.conf"}, &p).ok());
    CHECK(p.d == 2);
    CHECK(p.background);
    CHECK(p.iface == "eth0");
    CHECK(p.conf == "/etc/x.conf");
    CHECK(p.pcap == "/tmp/a.pcap");
    CHECK(p.files == std::vector<std::string>{"hostapd.conf"});
    Parsed q;
    REQUIRE(parse({"--pcap", "/tmp/b.pcap", "-dB", "-i", "veth0"}, &q).ok());
    CHECK(q.pcap == "/tmp/b.pcap");
    CHECK(q.iface == "veth0");
}

TEST_CASE("cmdline: unknown options and missing values are errors") {
    Parsed p;
    CHECK(parse({"-x"}, &p).error().detail == "unknown option -x");
    CHECK(parse({"-i"}, &p).error().detail == "option -i needs a value");
    CHECK(parse({"--pcap"}, &p).error().detail == "option --pcap needs a value");
    CHECK(parse({"--nope"}, &p).error().detail == "unknown option --nope");
}
