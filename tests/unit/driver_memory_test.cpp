#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/hex.h"
#include "drivers/key_installer.h"
#include "drivers/memory/memory_driver.h"

using namespace lanyard;

namespace {

// Records everything a driver reports.
struct Recorder final : DriverListener {
    struct Frame {
        MacAddress source;
        MacAddress destination;
        Bytes pdu;
    };
    std::vector<Frame> frames;
    std::vector<std::string> events;
    std::function<void(const Frame&)> on_frame;

    void on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) override {
        frames.push_back(Frame{source, destination, Bytes(pdu.begin(), pdu.end())});
        events.push_back("frame " + source.to_string());
        if (on_frame) on_frame(frames.back());
    }
    void on_link_state(LinkState state) override { events.push_back(std::string("link ") + link_state_name(state)); }
    void on_station_arrived(const MacAddress& s) override { events.push_back("arrived " + s.to_string()); }
    void on_station_left(const MacAddress& s) override { events.push_back("left " + s.to_string()); }
};

const Bytes kStart = *from_hex("01010000");                  // EAPOL-Start
const Bytes kIdentity = *from_hex("020000050101000501");     // EAP Request/Identity

}  // namespace

TEST_CASE("memory link: frames are queued until delivered, in send order") {
    MemoryLink link;
    Recorder ra, rb;
    link.a().set_listener(&ra);
    link.b().set_listener(&rb);

    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    REQUIRE(link.b().send_eapol(link.a().own_address(), kIdentity).ok());
    CHECK(link.pending() == 2);
    CHECK(rb.frames.empty());

    CHECK(link.deliver_one());
    REQUIRE(rb.frames.size() == 1);
    CHECK(ra.frames.empty());
    CHECK(rb.frames[0].source == link.a().own_address());
    CHECK(rb.frames[0].destination == kPaeGroupAddress);
    CHECK(rb.frames[0].pdu == kStart);

    CHECK(link.deliver_all() == 1);
    REQUIRE(ra.frames.size() == 1);
    CHECK(ra.frames[0].pdu == kIdentity);
    CHECK_FALSE(link.deliver_one());
    CHECK(link.a().frames_sent() == 1);
    CHECK(link.b().frames_received() == 1);
}

TEST_CASE("memory link: a station arrives with its first frame, once") {
    MemoryLink link;
    Recorder rb;
    link.b().set_listener(&rb);
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    const std::string a = link.a().own_address().to_string();
    CHECK(rb.events == std::vector<std::string>{"arrived " + a, "frame " + a, "frame " + a});

    link.b().forget_station(link.a().own_address());
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(rb.events == std::vector<std::string>{"arrived " + a, "frame " + a, "frame " + a, "left " + a,
                                                "arrived " + a, "frame " + a});
}

TEST_CASE("memory link: replies sent from a listener are delivered by the same deliver_all") {
    MemoryLink link;
    Recorder ra, rb;
    link.a().set_listener(&ra);
    link.b().set_listener(&rb);
    rb.on_frame = [&](const Recorder::Frame& f) { REQUIRE(link.b().send_eapol(f.source, kIdentity).ok()); };
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    CHECK(link.deliver_all() == 2);
    CHECK(ra.frames.size() == 1);

    // Endless ping-pong is cut off by the delivery bound.
    ra.on_frame = [&](const Recorder::Frame& f) { REQUIRE(link.a().send_eapol(f.source, kStart).ok()); };
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    CHECK(link.deliver_all(50) == 50);
    CHECK(link.pending() == 1);
}

TEST_CASE("memory link: drop_next and tx filters lose frames") {
    MemoryLink link;
    Recorder rb;
    link.b().set_listener(&rb);
    link.a().drop_next(2);
    for (int i = 0; i < 3; ++i) REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(rb.frames.size() == 1);
    CHECK(link.a().frames_lost() == 2);

    int seen = 0;
    link.a().set_tx_filter([&](Bytes&) { return ++seen % 2 == 0 ? FrameVerdict::kDrop : FrameVerdict::kDeliver; });
    for (int i = 0; i < 4; ++i) REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(rb.frames.size() == 3);
    CHECK(link.a().frames_lost() == 4);
}

TEST_CASE("memory link: corrupted frames arrive corrupted or are dropped as malformed") {
    MemoryLink link;
    Recorder rb;
    link.b().set_listener(&rb);
    // Flip the EAP code octet: still a well-formed EAPOL frame.
    link.a().corrupt_next(4, 0x03);
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kIdentity).ok());
    // Inflate the body length: the receiver must drop it.
    link.a().corrupt_next(3, 0x40);
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kIdentity).ok());
    // Truncate below an EAPOL header with a filter.
    link.a().set_tx_filter([](Bytes& frame) {
        frame.resize(16);
        return FrameVerdict::kDeliver;
    });
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kIdentity).ok());
    link.deliver_all();
    REQUIRE(rb.frames.size() == 1);
    CHECK(rb.frames[0].pdu[4] == (kIdentity[4] ^ 0x03));
    CHECK(link.b().drop_counters().get(DropReason::kTruncatedBody) == 1);
    CHECK(link.b().drop_counters().get(DropReason::kTooShort) == 1);
}

TEST_CASE("memory link: receive filter drops unicast to others, reflections and frames without listener") {
    MemoryLink link;
    const MacAddress other = *MacAddress::parse("02:00:00:00:00:99");
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(link.b().drop_counters().get(DropReason::kNoListener) == 1);

    Recorder rb;
    link.b().set_listener(&rb);
    REQUIRE(link.a().send_eapol(other, kStart).ok());
    link.a().set_tx_filter([&](Bytes& frame) {
        // Rewrite the source to b's own address: a reflection.
        const MacAddress::Octets b = link.b().own_address().octets();
        std::copy(b.begin(), b.end(), frame.begin() + 6);
        return FrameVerdict::kDeliver;
    });
    REQUIRE(link.a().send_eapol(link.b().own_address(), kStart).ok());
    link.deliver_all();
    CHECK(rb.frames.empty());
    CHECK(link.b().drop_counters().get(DropReason::kNotForUs) == 1);
    CHECK(link.b().drop_counters().get(DropReason::kFromSelf) == 1);

    CHECK_FALSE(link.a().send_eapol(kPaeGroupAddress, *from_hex("0101")).ok());
    CHECK_FALSE(link.a().send_eapol(kPaeGroupAddress, Bytes(kMaxEapolPduSize + 1, 0)).ok());
}

TEST_CASE("memory link: the station table is bounded") {
    MemoryLink::Options options;
    options.station_limit = 1;
    MemoryLink link(options);
    Recorder rb;
    link.b().set_listener(&rb);
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.a().set_tx_filter([](Bytes& frame) {
        frame[11] = 0x77;  // a second, forged source address
        return FrameVerdict::kDeliver;
    });
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(rb.frames.size() == 1);
    CHECK(link.b().drop_counters().get(DropReason::kStationLimit) == 1);
    CHECK(link.b().stations().size() == 1);
}

TEST_CASE("memory link: port state per station, reset when the link goes down") {
    MemoryLink link;
    Recorder rb;
    link.b().set_listener(&rb);
    const MacAddress a = link.a().own_address();
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(link.b().port_state(a) == PortState::kUnauthorized);
    REQUIRE(link.b().set_port_state(a, PortState::kAuthorized).ok());
    CHECK(link.b().port_state(a) == PortState::kAuthorized);

    link.b().set_link(LinkState::kDown);
    CHECK(link.b().link_state() == LinkState::kDown);
    CHECK(link.b().port_state(a) == PortState::kUnauthorized);
    CHECK(rb.events.back() == "left " + a.to_string());
    CHECK(rb.events[rb.events.size() - 2] == "link down");
    // A frame toward an endpoint whose link is down is lost; sending on it fails.
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    link.deliver_all();
    CHECK(rb.frames.size() == 1);
    CHECK_FALSE(link.b().send_eapol(a, kIdentity).ok());
    link.b().set_link(LinkState::kUp);
    CHECK(rb.events.back() == "link up");
}

TEST_CASE("memory link: group addressing sends everything to the PAE group address") {
    MemoryLink::Options options;
    options.addressing = SendAddressing::kPaeGroup;
    MemoryLink link(options);
    Recorder rb;
    link.b().set_listener(&rb);
    CHECK(link.a().wire_destination(link.b().own_address()) == kPaeGroupAddress);
    REQUIRE(link.a().send_eapol(link.b().own_address(), kStart).ok());
    link.deliver_all();
    REQUIRE(rb.frames.size() == 1);
    CHECK(rb.frames[0].destination == kPaeGroupAddress);
}

TEST_CASE("memory link: key installer only when emulating keys") {
    MemoryLink plain;
    CHECK(plain.a().key_installer() == nullptr);

    MemoryLink::Options options;
    options.emulate_keys = true;
    MemoryLink link(options);
    KeyInstaller* keys = link.a().key_installer();
    REQUIRE(keys != nullptr);
    KeyInstallRequest request;
    request.kind = KeyKind::kPairwise;
    request.cipher_suite = 0x000FAC04;  // CCMP-128
    request.peer = link.b().own_address();
    request.key = SecretBytes(Bytes(16, 0x42));
    REQUIRE(keys->install_key(request).ok());
    REQUIRE(link.a().installed_keys().size() == 1);
    CHECK(link.a().installed_keys()[0].key.size() == 16);
    REQUIRE(keys->remove_keys(link.b().own_address()).ok());
    CHECK(link.a().installed_keys().empty());
}

TEST_CASE("memory link: attached to an event loop, run_once delivers") {
    FakeClock clock;
    auto loop = EventLoop::create(clock);
    REQUIRE(loop.ok());
    MemoryLink link;
    Recorder ra, rb;
    link.a().set_listener(&ra);
    link.b().set_listener(&rb);
    rb.on_frame = [&](const Recorder::Frame& f) { REQUIRE(link.b().send_eapol(f.source, kIdentity).ok()); };
    link.attach(**loop);
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    CHECK(rb.frames.empty());
    REQUIRE((*loop)->run_once(Duration(0)).ok());
    CHECK(rb.frames.size() == 1);
    CHECK(ra.frames.size() == 1);
    CHECK((*loop)->pending_timers() == 0);
    link.detach();
    REQUIRE(link.a().send_eapol(kPaeGroupAddress, kStart).ok());
    REQUIRE((*loop)->run_once(Duration(0)).ok());
    CHECK(rb.frames.size() == 1);
    CHECK(link.pending() == 1);
}
