// Byte-for-byte replay of captured WPA2 handshakes through
// FourWayHandshakeSupplicant: the frames, PMK, addresses and nonces of
// iwd's unit/test-eapol.c (eapol_wpa2_handshake_test: 4-way + group key
// handshake; eapol_4way_test: 4-way with EAPOL version 1). The supplicant
// gets the captured SNonce from its RandomSource and must produce the
// captured messages 2, 4 and group 2 octet for octet. The PSK AKM (2) of
// these captures derives keys exactly like 802.1X (AKM 1): after EAP the
// PMK simply comes from the MSK instead of the passphrase.
#include <doctest/doctest.h>

#include <deque>
#include <memory>

#include "common/clock.h"
#include "eapol/four_way_authenticator.h"
#include "eapol/four_way_supplicant.h"
#include "wpa_test_support.h"

using namespace lanyard;
using namespace lanyard::eapol;
using lanyard::test::RecordingKeyInstaller;
using lanyard::test::ScriptedRandom;
using lanyard::test::unhex;

namespace {

const char* const kZeros32 = "0000000000000000000000000000000000000000000000000000000000000000";

std::string zeros(size_t n) { return std::string(2 * n, '0'); }

struct Capture {
    SecretBytes pmk;
    MacAddress aa, spa;
    Bytes snonce;
    Bytes own_rsn_element;
    Bytes beacon_rsn_element;
    uint8_t eapol_version = 2;
};

struct Replay {
    explicit Replay(const Capture& c) {
        random.queue(c.snonce);
        SupplicantHandshakeConfig config;
        config.own_address = c.spa;
        config.authenticator_address = c.aa;
        config.own_rsn_element = c.own_rsn_element;
        config.authenticator_rsn_element = c.beacon_rsn_element;
        config.akm = kAkmPsk;
        config.eapol_version = c.eapol_version;
        supplicant = std::make_unique<FourWayHandshakeSupplicant>(
            config,
            HandshakeCallbacks{[this](ByteView pdu) { sent.emplace_back(pdu.begin(), pdu.end()); },
                               [this](const HandshakeEvent& e) { events.push_back(e); }},
            keys, random);
        supplicant->set_pmk(c.pmk);
    }
    Bytes next() {
        REQUIRE(sent.size() == 1);
        Bytes b = sent.front();
        sent.clear();
        return b;
    }

    ScriptedRandom random;
    RecordingKeyInstaller keys;
    std::unique_ptr<FourWayHandshakeSupplicant> supplicant;
    std::deque<Bytes> sent;
    std::vector<HandshakeEvent> events;
};

const SecretBytes kPmk(unhex("bf9aa3155300125e7a5ebb2a549f8cd4edab8ee12e94bfc24b3357ad049665d9"));

}  // namespace

TEST_CASE("Replay: iwd eapol_wpa2_handshake_test, 4-way and group key handshake, octet for octet") {
    Capture c;
    c.pmk = kPmk;
    c.aa = MacAddress::parse("02:00:00:00:00:00").value();
    c.spa = MacAddress::parse("02:00:00:00:01:00").value();
    c.snonce = unhex("727c656c5ed642d7f47f484351d808945118da6a4933ac7e293f2f2ac088348c");
    c.own_rsn_element = unhex("30120100000fac040100000fac040100000fac02");
    c.beacon_rsn_element = unhex("30140100000fac040100000fac040100000fac020000");
    Replay r(c);

    const Bytes m1 = unhex(("0203005f02008a00100000000000000001"
                            "2b5852b88e4ca34dc599ed202c63957c535e3efa9289873411127cbaf3588425" + zeros(50)).c_str());
    const Bytes m2 = unhex(("0203007302010a00000000000000000001"
                            "727c656c5ed642d7f47f484351d808945118da6a4933ac7e293f2f2ac088348c" + zeros(32) +
                            "7d7c45989f492b4a36583529282d8fed" "0014" "30120100000fac040100000fac040100000fac02").c_str());
    const Bytes m3 = unhex(("020300970213ca00100000000000000002"
                            "2b5852b88e4ca34dc599ed202c63957c535e3efa9289873411127cbaf3588425" + zeros(32) +
                            "f8626a5776c733bfc071de62ebf7a7c5" "0038"
                            "14dd52803dc83df7ba7eb648296d650e88ccc8dd676204a2c7c1f2650bcaf96b66f5b43d9926adc5ce18c0a99b"
                            "e50e508584b157e37a5e0f").c_str());
    const Bytes m4 = unhex(("0203005f02030a00000000000000000002" + std::string(kZeros32) + zeros(32) +
                            "8b0f342349f08503e5fc54b72cb53266" "0000").c_str());
    const Bytes g1 = unhex(("0203007f02138200100000000000000003"
                            "ef6dc20c5727e82507751e67369dc91ef1718eb135b212df9fcb0a65a2d5671d" + zeros(32) +
                            "0f6ab075bc8ed19211cdc3b0e2d67ecf" "0020"
                            "e9965b4685d58b88bd574857e4f0dfddf72a7aa8eb68a9ef4404a66faa48511b").c_str());
    const Bytes g2 = unhex(("0203005f02030200000000000000000003" + std::string(kZeros32) + zeros(32) +
                            "c9bd17f154b732cfbc01db0c37e6339f" "0000").c_str());

    r.supplicant->receive(m1);
    CHECK(to_hex(r.next()) == to_hex(m2));
    r.supplicant->receive(m3);
    CHECK(to_hex(r.next()) == to_hex(m4));
    CHECK(r.supplicant->state() == SupplicantKeyState::kComplete);
    REQUIRE(r.keys.count(KeyKind::kPairwise) == 1);
    REQUIRE(r.keys.count(KeyKind::kGroup) == 1);
    CHECK(r.keys.last(KeyKind::kPairwise)->peer == c.aa);
    CHECK(to_hex(r.keys.last(KeyKind::kPairwise)->key.view()) == "adf79ba40946bb13025441ed9d58f366");
    CHECK(to_hex(r.keys.last(KeyKind::kGroup)->key.view()) == "9adad240faa56f322f1553804b451936");

    r.supplicant->receive(g1);
    CHECK(to_hex(r.next()) == to_hex(g2));
    REQUIRE(r.keys.count(KeyKind::kGroup) == 2);
    CHECK(to_hex(r.keys.last(KeyKind::kGroup)->key.view()) == "1470b33c6cdb8ab7d4585da882ea582f");
    CHECK(r.events.size() == 2);
    CHECK(r.supplicant->counters().dropped_bad_mic == 0);

    // The captured frames again: every one is a replay now.
    r.supplicant->receive(m3);
    r.supplicant->receive(g1);
    CHECK(r.supplicant->counters().dropped_replay == 2);
    CHECK(r.sent.empty());
}

TEST_CASE("Replay: iwd eapol_4way_test, EAPOL version 1 replies, octet for octet") {
    Capture c;
    c.pmk = kPmk;
    c.aa = MacAddress::parse("24:a2:e1:ec:17:04").value();
    c.spa = MacAddress::parse("a0:a8:cd:1c:7e:c9").value();
    c.snonce = unhex("3289e91565094f329a9cd54a4a090d2cf4344683bf50efee3608b64856800e84");
    c.own_rsn_element = unhex("30140100000fac040100000fac040100000fac020000");
    c.beacon_rsn_element = unhex("30140100000fac040100000fac040100000fac020000");
    c.eapol_version = 1;
    Replay r(c);

    const Bytes m1 = unhex(("0203005f02008a00100000000000000000"
                            "c2bb57ab588f92ebbd44e811094f601c087986030c3ac749cc61d63e33832e50" + zeros(50)).c_str());
    const Bytes m2 = unhex(("0103007502010a00000000000000000000"
                            "3289e91565094f329a9cd54a4a090d2cf4344683bf50efee3608b64856800e84" + zeros(32) +
                            "01c31b82ff62a379b08dd1fc82c2f768" "0016" "30140100000fac040100000fac040100000fac020000").c_str());
    const Bytes m3 = unhex(("020300970213ca00100000000000000001"
                            "c2bb57ab588f92ebbd44e811094f601c087986030c3ac749cc61d63e33832e50" + zeros(32) +
                            "f535d91809731a1d290894705e919c8e" "0038"
                            "1918df1ef0e7696652e257938034e17038b98b4c45a923b7b6fa8c33e37bdcd47feab11c226a2c5e38d5ad79"
                            "9405d610a69551d60be60a5b").c_str());
    const Bytes m4 = unhex(("0103005f02030a00000000000000000001" + std::string(kZeros32) + zeros(32) +
                            "9e57a4c09bafb3375e46d386cf872753" "0000").c_str());
    r.supplicant->receive(m1);
    CHECK(to_hex(r.next()) == to_hex(m2));
    r.supplicant->receive(m3);
    CHECK(to_hex(r.next()) == to_hex(m4));
    CHECK(r.supplicant->state() == SupplicantKeyState::kComplete);
    CHECK(r.keys.count(KeyKind::kPairwise) == 1);
    CHECK(r.keys.count(KeyKind::kGroup) == 1);
}

TEST_CASE("Replay: a capture whose Beacon RSN element differs from message 3's fails") {
    Capture c;
    c.pmk = kPmk;
    c.aa = MacAddress::parse("24:a2:e1:ec:17:04").value();
    c.spa = MacAddress::parse("a0:a8:cd:1c:7e:c9").value();
    c.snonce = unhex("3289e91565094f329a9cd54a4a090d2cf4344683bf50efee3608b64856800e84");
    c.own_rsn_element = unhex("30140100000fac040100000fac040100000fac020000");
    c.beacon_rsn_element = unhex("30140100000fac040100000fac040100000fac020c00");  // other capabilities
    c.eapol_version = 1;
    Replay r(c);
    r.supplicant->receive(unhex(("0203005f02008a00100000000000000000"
                                 "c2bb57ab588f92ebbd44e811094f601c087986030c3ac749cc61d63e33832e50" + zeros(50)).c_str()));
    (void)r.next();
    r.supplicant->receive(unhex(("020300970213ca00100000000000000001"
                                 "c2bb57ab588f92ebbd44e811094f601c087986030c3ac749cc61d63e33832e50" + zeros(32) +
                                 "f535d91809731a1d290894705e919c8e" "0038"
                                 "1918df1ef0e7696652e257938034e17038b98b4c45a923b7b6fa8c33e37bdcd47feab11c226a2c5e38d5ad79"
                                 "9405d610a69551d60be60a5b").c_str()));
    CHECK(r.sent.empty());
    CHECK(r.supplicant->state() == SupplicantKeyState::kFailed);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].failure == HandshakeFailure::kRsnElementMismatch);
    CHECK(r.keys.installed.empty());
}

TEST_CASE("Replay: the authenticator produces iwd's captured messages 1 and 3 and accepts its 2, 4 and group 2") {
    // Captured ANonce and GTKs fed through the RandomSource: the GTK when the
    // group keys are created, then the ANonce, then the rekeyed GTK.
    ScriptedRandom random;
    random.queue(unhex("9adad240faa56f322f1553804b451936"));
    random.queue(unhex("2b5852b88e4ca34dc599ed202c63957c535e3efa9289873411127cbaf3588425"));
    auto group = GroupKeyAuthority::create(kCipherCcmp128, 0, random).value();
    AuthenticatorHandshakeConfig config;
    config.own_address = MacAddress::parse("02:00:00:00:00:00").value();
    config.station_address = MacAddress::parse("02:00:00:00:01:00").value();
    config.own_rsn_element = unhex("30140100000fac040100000fac040100000fac020000");
    config.station_rsn_element = unhex("30120100000fac040100000fac040100000fac02");
    config.akm = kAkmPsk;
    RecordingKeyInstaller keys;
    std::deque<Bytes> sent;
    std::vector<HandshakeEvent> events;
    FourWayHandshakeAuthenticator ap(
        config,
        HandshakeCallbacks{[&](ByteView pdu) { sent.emplace_back(pdu.begin(), pdu.end()); },
                           [&](const HandshakeEvent& e) { events.push_back(e); }},
        keys, random, group);
    FakeClock clock;

    ap.start(kPmk, clock.now());
    REQUIRE(sent.size() == 1);
    CHECK(to_hex(sent.front()) == "0203005f02008a00100000000000000001"
                                  "2b5852b88e4ca34dc599ed202c63957c535e3efa9289873411127cbaf3588425" + zeros(50));
    sent.clear();
    ap.receive(unhex(("0203007302010a00000000000000000001"
                      "727c656c5ed642d7f47f484351d808945118da6a4933ac7e293f2f2ac088348c" + zeros(32) +
                      "7d7c45989f492b4a36583529282d8fed" "0014" "30120100000fac040100000fac040100000fac02").c_str()),
               clock.now());
    REQUIRE(sent.size() == 1);
    CHECK(to_hex(sent.front()) == "020300970213ca00100000000000000002"
                                  "2b5852b88e4ca34dc599ed202c63957c535e3efa9289873411127cbaf3588425" + zeros(32) +
                                  "f8626a5776c733bfc071de62ebf7a7c5" "0038"
                                  "14dd52803dc83df7ba7eb648296d650e88ccc8dd676204a2c7c1f2650bcaf96b66f5b43d9926adc5ce18c0a99b"
                                  "e50e508584b157e37a5e0f");
    sent.clear();
    ap.receive(unhex(("0203005f02030a00000000000000000002" + std::string(kZeros32) + zeros(32) +
                      "8b0f342349f08503e5fc54b72cb53266" "0000").c_str()),
               clock.now());
    CHECK(ap.state() == AuthenticatorKeyState::kComplete);
    REQUIRE(keys.count(KeyKind::kPairwise) == 1);
    CHECK(to_hex(keys.last(KeyKind::kPairwise)->key.view()) == "adf79ba40946bb13025441ed9d58f366");

    // Group rekey to the captured second GTK; the captured group message 2
    // (replay counter 3) completes it.
    random.queue(unhex("1470b33c6cdb8ab7d4585da882ea582f"));
    group.rekey();
    CHECK(group.current().gtk.key_id == 2);
    REQUIRE(ap.start_group_rekey(clock.now()).ok());
    REQUIRE(sent.size() == 1);
    CHECK(parse_key_frame(sent.front())->key.replay_counter == 3);
    ap.receive(unhex(("0203005f02030200000000000000000003" + std::string(kZeros32) + zeros(32) +
                      "c9bd17f154b732cfbc01db0c37e6339f" "0000").c_str()),
               clock.now());
    CHECK(ap.state() == AuthenticatorKeyState::kComplete);
    REQUIRE(events.size() == 2);
    CHECK(events[1].kind == HandshakeEvent::Kind::kGroupRekeyComplete);
    CHECK(ap.counters().dropped_bad_mic == 0);
}
