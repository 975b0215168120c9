// Manual check of the wired driver (needs root): two network namespaces
// joined by a veth pair, one WiredDriver in each, all in one process (a
// socket stays in the namespace it was created in). Not part of the build;
// drivers/tools/run_wired_netns_check.sh sets up the namespaces, builds
// this against liblanyard_os.a and runs it.
//
//   wired_netns_check NS_A IF_A NS_B IF_B CAPTURE.pcap
//
// Checks: group-addressed frame A->B, unicast reply B->A, unicast to a
// third address is dropped by B, a runt frame is dropped by B as too
// short, station arrival, and link-down reported through rtnetlink. The
// A side is wrapped in a CaptureDriver writing CAPTURE.pcap.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/hex.h"
#include "common/log.h"
#include "drivers/pcap/capture_driver.h"
#include "drivers/wired/wired_driver.h"

using namespace lanyard;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "PASS" : "FAIL", what.c_str());
    if (!ok) ++failures;
}

bool enter_netns(const std::string& name) {
    const std::string path = "/var/run/netns/" + name;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = setns(fd, CLONE_NEWNET) == 0;
    close(fd);
    return ok;
}

struct Recorder final : DriverListener {
    std::vector<std::pair<MacAddress, Bytes>> frames;
    std::vector<MacAddress> arrived;
    std::vector<LinkState> links;
    void on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) override {
        frames.emplace_back(source, Bytes(pdu.begin(), pdu.end()));
    }
    void on_station_arrived(const MacAddress& s) override { arrived.push_back(s); }
    void on_link_state(LinkState state) override { links.push_back(state); }
};

// Runs the loop until `done` or about two seconds pass.
template <typename Predicate>
bool run_until(EventLoop& loop, Predicate done) {
    for (int i = 0; i < 200 && !done(); ++i) {
        if (!loop.run_once(Duration(10)).ok()) return false;
    }
    return done();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s NS_A IF_A NS_B IF_B CAPTURE.pcap\n", argv[0]);
        return 2;
    }
    set_log_level(LogLevel::kDebug);
    auto loop_result = EventLoop::create();
    if (!loop_result) return 1;
    EventLoop& loop = **loop_result;

    WiredOptions options_a;
    options_a.interface_name = argv[2];
    WiredOptions options_b;
    options_b.interface_name = argv[4];

    if (!enter_netns(argv[1])) { std::perror("setns A"); return 1; }
    auto wired_a = WiredDriver::open(loop, options_a);
    if (!wired_a) { std::fprintf(stderr, "open A: %s\n", wired_a.error().to_string().c_str()); return 1; }
    // A raw socket in A's namespace for injecting a runt frame.
    const int raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);  // protocol 0: send only
    const int index_a = (*wired_a)->interface_index();

    if (!enter_netns(argv[3])) { std::perror("setns B"); return 1; }
    auto wired_b = WiredDriver::open(loop, options_b);
    if (!wired_b) { std::fprintf(stderr, "open B: %s\n", wired_b.error().to_string().c_str()); return 1; }

    auto captured = wrap_with_capture(std::move(*wired_a), argv[5]);
    if (!captured) { std::fprintf(stderr, "capture: %s\n", captured.error().to_string().c_str()); return 1; }
    Driver& a = **captured;
    Driver& b = **wired_b;
    Recorder ra, rb;
    a.set_listener(&ra);
    b.set_listener(&rb);
    std::printf("A %s %s, B %s %s\n", a.interface_name().c_str(), a.own_address().to_string().c_str(),
                b.interface_name().c_str(), b.own_address().to_string().c_str());
    // The script waits for operstate UP; allow for a late linkwatch event.
    run_until(loop, [&] { return a.link_state() == LinkState::kUp && b.link_state() == LinkState::kUp; });
    check(a.link_state() == LinkState::kUp && b.link_state() == LinkState::kUp, "both links up");
    rb.links.clear();

    // 1. EAPOL-Start to the PAE group address, A -> B.
    const Bytes start = *from_hex("01010000");
    check(a.send_eapol(kPaeGroupAddress, start).ok(), "A sends EAPOL-Start to the PAE group address");
    check(run_until(loop, [&] { return !rb.frames.empty(); }), "B receives it");
    if (!rb.frames.empty()) {
        check(rb.frames[0].first == a.own_address() && rb.frames[0].second == start, "source and PDU intact");
    }
    check(rb.arrived.size() == 1 && rb.arrived[0] == a.own_address(), "A arrived as a station at B");

    // 2. EAP-Request/Identity unicast, B -> A.
    const Bytes identity = *from_hex("020000050101000501");
    check(b.send_eapol(a.own_address(), identity).ok(), "B sends EAP-Request/Identity unicast to A");
    check(run_until(loop, [&] { return !ra.frames.empty(); }), "A receives it");
    if (!ra.frames.empty()) check(ra.frames[0].second == identity, "PDU intact (padding trimmed)");

    // 3. Unicast to a third station: B must drop it.
    const uint64_t not_for_us = b.drop_counters().get(DropReason::kNotForUs);
    check(a.send_eapol(*MacAddress::parse("02:11:22:33:44:55"), start).ok(), "A sends to a third address");
    run_until(loop, [&] { return b.drop_counters().get(DropReason::kNotForUs) > not_for_us; });
    check(b.drop_counters().get(DropReason::kNotForUs) == not_for_us + 1, "B drops unicast to another station");

    // 4. A runt: Ethernet header plus two octets.
    Bytes runt = build_eapol_ethernet_frame(kPaeGroupAddress, a.own_address(), Bytes{0x01, 0x01});
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = index_a;
    to.sll_halen = 6;
    const bool sent = raw >= 0 && sendto(raw, runt.data(), runt.size(), 0, reinterpret_cast<sockaddr*>(&to),
                                         sizeof(to)) == static_cast<ssize_t>(runt.size());
    check(sent, "raw runt frame sent");
    run_until(loop, [&] { return b.drop_counters().get(DropReason::kTooShort) > 0; });
    check(b.drop_counters().get(DropReason::kTooShort) == 1, "B drops the runt as too short");
    check(rb.frames.size() == 1 && ra.frames.size() == 1, "nothing else was delivered");

    // 5. Link down on A's side: B loses carrier, rtnetlink tells it.
    const std::string down = std::string("ip netns exec ") + argv[1] + " ip link set " + argv[2] + " down";
    check(std::system(down.c_str()) == 0, "set A's veth down");
    check(run_until(loop, [&] { return !rb.links.empty(); }), "B hears about the link change");
    check(b.link_state() == LinkState::kDown, "B's link is down");
    check(b.port_state(a.own_address()) == PortState::kUnauthorized && rb.arrived.size() == 1,
          "B's station table was cleared");

    std::printf("A sent %llu received %llu dropped %llu; B sent %llu received %llu dropped %llu\n",
                static_cast<unsigned long long>(a.frames_sent()),
                static_cast<unsigned long long>(a.frames_received()),
                static_cast<unsigned long long>(a.drop_counters().total()),
                static_cast<unsigned long long>(b.frames_sent()),
                static_cast<unsigned long long>(b.frames_received()),
                static_cast<unsigned long long>(b.drop_counters().total()));
    if (raw >= 0) close(raw);
    std::printf("%s: %d failure(s)\n", failures == 0 ? "OK" : "FAILED", failures);
    return failures == 0 ? 0 : 1;
}
