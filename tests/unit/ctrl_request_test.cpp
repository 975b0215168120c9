#include <doctest/doctest.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "common/ctrl_config.h"
#include "common/ctrl_monitors.h"
#include "common/ctrl_request.h"

using namespace lanyard;

TEST_CASE("ctrl request: name and argument split at the first space") {
    auto r = parse_ctrl_request(as_bytes("SET_NETWORK 0 identity \"user\""));
    REQUIRE(r.ok());
    CHECK(r->name == "SET_NETWORK");
    CHECK(r->args == "0 identity \"user\"");
    auto bare = parse_ctrl_request(as_bytes("STATUS"));
    REQUIRE(bare.ok());
    CHECK(bare->name == "STATUS");
    CHECK(bare->args.empty());
    auto empty_addr = parse_ctrl_request(as_bytes("STA-NEXT "));  // what hostapd_cli really sends
    REQUIRE(empty_addr.ok());
    CHECK(empty_addr->name == "STA-NEXT");
    CHECK(empty_addr->args.empty());
}

TEST_CASE("ctrl request: one trailing newline from hand-written clients is tolerated") {
    auto r = parse_ctrl_request(as_bytes("PING\r\n"));
    REQUIRE(r.ok());
    CHECK(r->name == "PING");
}

TEST_CASE("ctrl request: NUL bytes and oversized datagrams are refused") {
    Bytes with_nul = to_bytes("PI");
    with_nul.push_back(0);
    with_nul.push_back('G');
    auto nul = parse_ctrl_request(with_nul);
    REQUIRE_FALSE(nul.ok());
    CHECK(nul.error().code == ErrorCode::kMalformed);
    Bytes big(kCtrlMaxRequest + 1, 'A');
    auto over = parse_ctrl_request(big);
    REQUIRE_FALSE(over.ok());
    CHECK(over.error().code == ErrorCode::kLimit);
    CHECK(parse_ctrl_request(Bytes(kCtrlMaxRequest, 'A')).ok());
}

TEST_CASE("ctrl level: 0..5 only") {
    CHECK(*parse_ctrl_level("3") == CtrlLevel::kInfo);
    CHECK(*parse_ctrl_level("0") == CtrlLevel::kExcessive);
    CHECK_FALSE(parse_ctrl_level("6").ok());
    CHECK_FALSE(parse_ctrl_level("").ok());
    CHECK_FALSE(parse_ctrl_level("-1").ok());
    CHECK_FALSE(parse_ctrl_level("999").ok());
}

TEST_CASE("ctrl event: <N>TEXT without newline, cut to the client buffer") {
    CHECK(format_ctrl_event(CtrlLevel::kInfo, "CTRL-EVENT-EAP-SUCCESS done") == "<3>CTRL-EVENT-EAP-SUCCESS done");
    std::string big(10000, 'x');
    CHECK(format_ctrl_event(CtrlLevel::kInfo, big).size() == kCtrlMaxReply);
}

TEST_CASE("ctrl_interface: plain directory and DIR=/GROUP= forms") {
    auto plain = parse_ctrl_interface("/var/run/wpa_supplicant");
    REQUIRE(plain.ok());
    CHECK(plain->dir == "/var/run/wpa_supplicant");
    CHECK_FALSE(plain->group.has_value());
    auto full = parse_ctrl_interface("DIR=/run/wpa GROUP=netdev");
    REQUIRE(full.ok());
    CHECK(full->dir == "/run/wpa");
    REQUIRE(full->group.has_value());
    CHECK(*full->group == "netdev");
    CHECK_FALSE(parse_ctrl_interface("relative/dir").ok());
    CHECK_FALSE(parse_ctrl_interface("DIR=/x FOO=1").ok());
    CHECK_FALSE(parse_ctrl_interface("GROUP=netdev").ok());
}

TEST_CASE("ctrl group: names and decimal gids resolve, unknown names do not") {
    CHECK(*resolve_ctrl_group("root") == 0);
    CHECK(*resolve_ctrl_group("4242") == 4242);
    CHECK_FALSE(resolve_ctrl_group("no-such-group-lanyard").ok());
}

namespace {
CtrlPeer peer_at(const char* path) {
    CtrlPeer p;
    p.addr.sun_family = AF_UNIX;
    std::strncpy(p.addr.sun_path, path, sizeof(p.addr.sun_path) - 1);
    p.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + std::strlen(path) + 1);
    return p;
}
}  // namespace

TEST_CASE("ctrl monitors: attach is idempotent, bounded, and unnamed peers are refused") {
    CtrlMonitorSet set;
    CHECK(set.attach(peer_at("/tmp/a")));
    CHECK(set.attach(peer_at("/tmp/a")));
    CHECK(set.size() == 1);
    CtrlPeer unnamed;
    unnamed.len = sizeof(sa_family_t);
    CHECK_FALSE(set.attach(unnamed));
    for (size_t i = 1; i < CtrlMonitorSet::kMaxMonitors; ++i) {
        CHECK(set.attach(peer_at(("/tmp/m" + std::to_string(i)).c_str())));
    }
    CHECK_FALSE(set.attach(peer_at("/tmp/one-too-many")));
    CHECK(set.detach(peer_at("/tmp/a")));
    CHECK_FALSE(set.detach(peer_at("/tmp/a")));
}

TEST_CASE("ctrl monitors: level filter and drop after repeated or fatal send errors") {
    CtrlMonitorSet set;
    REQUIRE(set.attach(peer_at("/tmp/a")));
    REQUIRE(set.attach(peer_at("/tmp/b")));
    REQUIRE(set.set_level(peer_at("/tmp/b"), CtrlLevel::kWarning));
    CHECK(set.recipients(CtrlLevel::kInfo).size() == 1);
    CHECK(set.recipients(CtrlLevel::kError).size() == 2);
    CHECK(set.recipients(CtrlLevel::kDebug).empty());

    for (int i = 0; i < CtrlMonitorSet::kMaxConsecutiveErrors; ++i) CHECK_FALSE(set.report_send(0, EAGAIN));
    CHECK_FALSE(set.report_send(0, 0));  // a success resets the count
    for (int i = 0; i < CtrlMonitorSet::kMaxConsecutiveErrors; ++i) CHECK_FALSE(set.report_send(0, EAGAIN));
    CHECK(set.report_send(0, EAGAIN));
    CHECK(set.size() == 1);
    CHECK(set.report_send(0, ECONNREFUSED));
    CHECK(set.size() == 0);
}
