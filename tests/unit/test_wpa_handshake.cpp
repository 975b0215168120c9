// The 4-way and group key handshakes (IEEE 802.11-2020 §12.7.6, §12.7.7)
// between FourWayHandshakeSupplicant and FourWayHandshakeAuthenticator in
// memory, with FakeRandom nonces and recording key installers: complete
// runs for AKM 1 and AKM 5 (+MFP), and every rule: replay counters,
// retransmissions and give-up, key reinstallation (KRACK), bad MICs before
// key data, RSN element mismatches, missing IGTK, all-zero keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <memory>

#include "common/clock.h"
#include "eapol/four_way_authenticator.h"
#include "eapol/four_way_supplicant.h"
#include "wpa_test_support.h"

using namespace lanyard;
using namespace lanyard::eapol;
using lanyard::test::RecordingKeyInstaller;
using KI = KeyInformation;

namespace {

const MacAddress kAa = MacAddress::parse("02:00:00:00:00:01").value();
const MacAddress kSpa = MacAddress::parse("02:00:00:00:01:00").value();

Bytes rsn_bytes(uint32_t akm, MfpPolicy mfp) {
    RsnElement rsn;
    rsn.akms = {akm};
    rsn.capabilities = mfp_capability_bits(mfp);
    if (mfp != MfpPolicy::kDisabled) rsn.group_management_cipher = kCipherBipCmac128;
    return build_rsn_element(rsn).value();
}

struct Options {
    uint32_t akm = kAkm8021x;
    MfpPolicy ap_mfp = MfpPolicy::kDisabled;
    MfpPolicy sta_mfp = MfpPolicy::kDisabled;
    bool ap_sends_igtk = false;   // authenticator's mfp flag
    bool sta_needs_igtk = false;  // supplicant's mfp flag
};

// Both machines, wired through queues the test delivers by hand.
struct Pair {
    explicit Pair(Options o = {})
        : opts(o),
          sta_random(11),
          ap_random(22),
          group(GroupKeyAuthority::create(kCipherCcmp128, o.ap_sends_igtk ? kCipherBipCmac128 : 0, ap_random).value()),
          pmk(Bytes(32, 0x5a)) {
        SupplicantHandshakeConfig sc;
        sc.own_address = kSpa;
        sc.authenticator_address = kAa;
        sc.own_rsn_element = rsn_bytes(o.akm, o.sta_mfp);
        sc.authenticator_rsn_element = rsn_bytes(o.akm, o.ap_mfp);
        sc.akm = o.akm;
        sc.mfp = o.sta_needs_igtk;
        AuthenticatorHandshakeConfig ac;
        ac.own_address = kAa;
        ac.station_address = kSpa;
        ac.own_rsn_element = sc.authenticator_rsn_element;
        ac.station_rsn_element = sc.own_rsn_element;
        ac.akm = o.akm;
        ac.mfp = o.ap_sends_igtk;
        sta_config = sc;
        ap_config = ac;
        build();
    }

    void build() {
        sta = std::make_unique<FourWayHandshakeSupplicant>(
            sta_config,
            HandshakeCallbacks{[this](ByteView pdu) { to_ap.emplace_back(pdu.begin(), pdu.end()); },
                               [this](const HandshakeEvent& e) { sta_events.push_back(e); }},
            sta_keys, sta_random);
        ap = std::make_unique<FourWayHandshakeAuthenticator>(
            ap_config,
            HandshakeCallbacks{[this](ByteView pdu) { to_sta.emplace_back(pdu.begin(), pdu.end()); },
                               [this](const HandshakeEvent& e) { ap_events.push_back(e); }},
            ap_keys, ap_random, group);
    }

    Bytes take(std::deque<Bytes>& q) {
        REQUIRE_FALSE(q.empty());
        Bytes b = std::move(q.front());
        q.pop_front();
        return b;
    }
    void to_station() { sta->receive(take(to_sta)); }
    void to_authenticator() { ap->receive(take(to_ap), clock.now()); }

    void start() {
        sta->set_pmk(pmk);
        ap->start(pmk, clock.now());
    }
    void run_four_way() {
        start();
        to_station();        // message 1
        to_authenticator();  // message 2
        to_station();        // message 3
        to_authenticator();  // message 4
    }

    Options opts;
    FakeRandom sta_random;
    FakeRandom ap_random;
    GroupKeyAuthority group;
    SecretBytes pmk;
    FakeClock clock;
    RecordingKeyInstaller sta_keys;
    RecordingKeyInstaller ap_keys;
    SupplicantHandshakeConfig sta_config;
    AuthenticatorHandshakeConfig ap_config;
    std::unique_ptr<FourWayHandshakeSupplicant> sta;
    std::unique_ptr<FourWayHandshakeAuthenticator> ap;
    std::deque<Bytes> to_ap;
    std::deque<Bytes> to_sta;
    std::vector<HandshakeEvent> sta_events;
    std::vector<HandshakeEvent> ap_events;
};

Ieee80211KeyDescriptor key_of(const Bytes& pdu) { return parse_key_frame(pdu).value().key; }

}  // namespace

TEST_CASE("4-way + group handshake, AKM 802.1X: both sides install the same TK and GTK") {
    Pair p;
    p.start();
    const Bytes m1 = p.to_sta.front();
    CHECK(key_of(m1).info.bits() == (KI::kKeyTypePairwise | KI::kKeyAck | 2));
    CHECK(key_of(m1).key_length == 16);
    CHECK(key_of(m1).replay_counter == 1);
    p.to_station();
    const Bytes m2 = p.to_ap.front();
    CHECK(key_of(m2).info.bits() == (KI::kKeyTypePairwise | KI::kKeyMic | 2));
    CHECK(key_of(m2).key_data == p.sta_config.own_rsn_element);
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kWaitMessage4);
    const Bytes m3 = p.to_sta.front();
    CHECK(key_of(m3).info.bits() == (KI::kKeyTypePairwise | KI::kInstall | KI::kKeyAck | KI::kKeyMic | KI::kSecure |
                                     KI::kEncryptedKeyData | 2));
    CHECK(key_of(m3).replay_counter == 2);
    p.to_station();
    CHECK(p.sta->state() == SupplicantKeyState::kComplete);
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);

    REQUIRE(p.sta_keys.count(KeyKind::kPairwise) == 1);
    REQUIRE(p.ap_keys.count(KeyKind::kPairwise) == 1);
    const KeyInstallRequest& sta_tk = *p.sta_keys.last(KeyKind::kPairwise);
    const KeyInstallRequest& ap_tk = *p.ap_keys.last(KeyKind::kPairwise);
    CHECK(equal_bytes(sta_tk.key.view(), ap_tk.key.view()));
    CHECK(sta_tk.key.size() == 16);
    CHECK(sta_tk.peer == kAa);
    CHECK(ap_tk.peer == kSpa);
    CHECK(sta_tk.cipher_suite == kCipherCcmp128);
    // The TK is the one §12.7.1.3 gives for these nonces.
    auto ptk = derive_ptk(kAkm8021x, kCipherCcmp128, p.pmk.view(), kAa, kSpa, key_of(m1).nonce, key_of(m2).nonce);
    CHECK(equal_bytes(ptk->tk.view(), sta_tk.key.view()));

    REQUIRE(p.sta_keys.count(KeyKind::kGroup) == 1);
    const KeyInstallRequest& gtk = *p.sta_keys.last(KeyKind::kGroup);
    CHECK(equal_bytes(gtk.key.view(), p.group.current().gtk.key.view()));
    CHECK(gtk.key_index == 1);
    CHECK(p.sta_keys.count(KeyKind::kIntegrityGroup) == 0);
    REQUIRE(p.sta_events.size() == 1);
    CHECK(p.sta_events[0].kind == HandshakeEvent::Kind::kPairwiseComplete);
    REQUIRE(p.ap_events.size() == 1);
    CHECK(p.ap_events[0].kind == HandshakeEvent::Kind::kPairwiseComplete);

    // Group rekey: a new GTK under key ID 2 reaches the station.
    p.group.rekey();
    REQUIRE(p.ap->start_group_rekey(p.clock.now()).ok());
    const Bytes g1 = p.to_sta.front();
    CHECK(key_of(g1).info.bits() == (KI::kKeyAck | KI::kKeyMic | KI::kSecure | KI::kEncryptedKeyData | 2));
    CHECK(key_of(g1).replay_counter == 3);
    p.to_station();
    const Bytes g2 = p.to_ap.front();
    CHECK(key_of(g2).info.bits() == (KI::kKeyMic | KI::kSecure | 2));
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);
    REQUIRE(p.sta_keys.count(KeyKind::kGroup) == 2);
    CHECK(p.sta_keys.last(KeyKind::kGroup)->key_index == 2);
    CHECK(equal_bytes(p.sta_keys.last(KeyKind::kGroup)->key.view(), p.group.current().gtk.key.view()));
    CHECK_FALSE(equal_bytes(p.sta_keys.installed[1].key.view(), p.sta_keys.last(KeyKind::kGroup)->key.view()));
    CHECK(p.sta_events.back().kind == HandshakeEvent::Kind::kGroupRekeyComplete);
    CHECK(p.ap_events.back().kind == HandshakeEvent::Kind::kGroupRekeyComplete);
    CHECK(p.sta->counters().dropped_bad_mic + p.ap->counters().dropped_bad_mic == 0);
}

TEST_CASE("4-way + group handshake, AKM 802.1X-SHA256 with ieee80211w=2: CMAC MICs, IGTK installed") {
    Pair p(Options{kAkm8021xSha256, MfpPolicy::kRequired, MfpPolicy::kRequired, true, true});
    p.start();
    CHECK(key_of(p.to_sta.front()).info.descriptor_version() == 3);
    p.to_station();
    p.to_authenticator();
    p.to_station();
    p.to_authenticator();
    REQUIRE(p.ap->state() == AuthenticatorKeyState::kComplete);
    REQUIRE(p.sta->state() == SupplicantKeyState::kComplete);
    CHECK(equal_bytes(p.sta_keys.last(KeyKind::kPairwise)->key.view(), p.ap_keys.last(KeyKind::kPairwise)->key.view()));
    REQUIRE(p.sta_keys.count(KeyKind::kIntegrityGroup) == 1);
    const KeyInstallRequest& igtk = *p.sta_keys.last(KeyKind::kIntegrityGroup);
    CHECK(igtk.key_index == 4);
    CHECK(igtk.cipher_suite == kCipherBipCmac128);
    CHECK(equal_bytes(igtk.key.view(), p.group.current().igtk->key.view()));

    p.group.rekey();
    REQUIRE(p.ap->start_group_rekey(p.clock.now()).ok());
    p.to_station();
    p.to_authenticator();
    REQUIRE(p.sta_keys.count(KeyKind::kIntegrityGroup) == 2);
    CHECK(p.sta_keys.last(KeyKind::kIntegrityGroup)->key_index == 5);
    CHECK(equal_bytes(p.sta_keys.last(KeyKind::kIntegrityGroup)->key.view(), p.group.current().igtk->key.view()));
}

TEST_CASE("ieee80211w=2: a message 3 without an IGTK fails the supplicant") {
    Pair p(Options{kAkm8021x, MfpPolicy::kRequired, MfpPolicy::kRequired, false, true});
    p.start();
    p.to_station();
    p.to_authenticator();
    p.to_station();
    CHECK(p.sta->state() == SupplicantKeyState::kFailed);
    REQUIRE(p.sta_events.size() == 1);
    CHECK(p.sta_events[0].failure == HandshakeFailure::kMissingGroupKey);
    CHECK(p.sta_keys.installed.empty());
    CHECK(p.to_ap.empty());  // no message 4
    // And an authenticator with MFP needs group keys with an IGTK.
    FakeRandom r;
    auto no_igtk = GroupKeyAuthority::create(kCipherCcmp128, 0, r).value();
    AuthenticatorHandshakeConfig ac = p.ap_config;
    ac.mfp = true;
    CHECK_FALSE(validate_authenticator_config(ac, no_igtk).ok());
}

TEST_CASE("Message 2 RSN element differs from the association request's: failure, reason 17") {
    Pair p;
    RsnElement other;
    other.capabilities = kRsnCapMfpc;  // what the station "associated" with
    p.ap_config.station_rsn_element = build_rsn_element(other).value();
    p.build();
    p.start();
    p.to_station();
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kFailed);
    REQUIRE(p.ap_events.size() == 1);
    CHECK(p.ap_events[0].failure == HandshakeFailure::kRsnElementMismatch);
    CHECK(ieee80211_reason_code(p.ap_events[0].failure) == 17);
    CHECK(p.to_sta.empty());
}

TEST_CASE("Message 3 RSN element differs from the Beacon's: failure, nothing installed") {
    Pair p;
    p.sta_config.authenticator_rsn_element = rsn_bytes(kAkm8021x, MfpPolicy::kOptional);
    p.build();
    p.start();
    p.to_station();
    p.to_authenticator();
    p.to_station();
    CHECK(p.sta->state() == SupplicantKeyState::kFailed);
    CHECK(p.sta_events.at(0).failure == HandshakeFailure::kRsnElementMismatch);
    CHECK(p.sta_keys.installed.empty());
}

TEST_CASE("A bad MIC is dropped and counted before key data is looked at") {
    Pair p;
    p.start();
    p.to_station();
    // Message 2 with a flipped MIC bit: dropped, the authenticator still waits.
    Bytes m2 = p.take(p.to_ap);
    Bytes bad2 = m2;
    bad2[kKeyMicPduOffset] ^= 0x80;
    p.ap->receive(bad2, p.clock.now());
    CHECK(p.ap->counters().dropped_bad_mic == 1);
    CHECK(p.ap->state() == AuthenticatorKeyState::kWaitMessage2);
    CHECK(p.to_sta.empty());
    p.ap->receive(m2, p.clock.now());
    // Message 3 with its wrapped key data garbled: had the key data been
    // unwrapped, the handshake would fail; the MIC check drops it first.
    Bytes m3 = p.take(p.to_sta);
    Bytes bad3 = m3;
    bad3[bad3.size() - 3] ^= 0x01;
    p.sta->receive(bad3);
    CHECK(p.sta->counters().dropped_bad_mic == 1);
    CHECK(p.sta->state() == SupplicantKeyState::kWaitMessage3);
    CHECK(p.sta_events.empty());
    CHECK(p.to_ap.empty());
    p.sta->receive(m3);
    CHECK(p.sta->state() == SupplicantKeyState::kComplete);
}

TEST_CASE("Retransmitted message 3: message 4 again, the PTK and GTK are not reinstalled (KRACK)") {
    Pair p;
    p.start();
    p.to_station();
    p.to_authenticator();
    p.to_station();
    p.to_ap.clear();  // message 4 lost
    CHECK(p.sta_keys.installed.size() == 2);  // TK and GTK
    p.clock.advance(Duration(1000));
    p.ap->tick(p.clock.now());
    REQUIRE(p.to_sta.size() == 1);
    CHECK(key_of(p.to_sta.front()).replay_counter == 3);  // retransmissions get new counters
    CHECK(p.ap->counters().retransmissions == 1);
    p.to_station();
    REQUIRE(p.to_ap.size() == 1);  // message 4 again
    CHECK(key_of(p.to_ap.front()).replay_counter == 3);
    CHECK(p.sta_keys.installed.size() == 2);
    CHECK(p.sta->counters().ptk_installs == 1);
    CHECK(p.sta->counters().gtk_installs == 1);
    CHECK(p.sta->counters().reinstalls_refused == 2);
    CHECK(p.sta_events.size() == 1);
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);
    CHECK(p.ap_keys.count(KeyKind::kPairwise) == 1);
}

TEST_CASE("A replayed message 3 (same counter) is dropped, not answered") {
    Pair p;
    p.start();
    p.to_station();
    p.to_authenticator();
    const Bytes m3 = p.to_sta.front();
    p.to_station();
    p.to_ap.clear();
    p.sta->receive(m3);
    CHECK(p.sta->counters().dropped_replay == 1);
    CHECK(p.to_ap.empty());
    CHECK(p.sta_keys.installed.size() == 2);
}

TEST_CASE("Supplicant: a message 1 whose counter is not above the last verified one is a replay") {
    Pair p;
    p.run_four_way();
    // Message 1 carried counter 1; message 3 (verified) carried 2.
    Pair fresh;
    fresh.start();
    const Bytes old_m1 = fresh.to_sta.front();  // counter 1
    p.sta->receive(old_m1);
    CHECK(p.sta->counters().dropped_replay == 1);
    CHECK(p.sta->state() == SupplicantKeyState::kComplete);
    CHECK(p.to_ap.empty());
}

TEST_CASE("Message 1 again: same ANonce or new, the same SNonce, and the handshake completes with the last") {
    Pair p;
    p.start();
    const Bytes m1 = p.to_sta.front();
    p.to_station();
    const Bytes first_m2 = p.take(p.to_ap);
    p.sta->receive(m1);  // the same message 1 again
    const Bytes second_m2 = p.take(p.to_ap);
    CHECK(key_of(first_m2).nonce == key_of(second_m2).nonce);
    CHECK(first_m2 == second_m2);
    // The authenticator restarts (new ANonce): message 2 keeps the SNonce.
    p.ap->start(p.pmk, p.clock.now());
    const Bytes new_m1 = p.to_sta.front();
    CHECK(key_of(new_m1).nonce != key_of(m1).nonce);
    CHECK(key_of(new_m1).replay_counter > key_of(m1).replay_counter);
    p.to_station();
    CHECK(key_of(p.to_ap.front()).nonce == key_of(first_m2).nonce);
    p.to_authenticator();
    p.to_station();
    p.to_authenticator();
    CHECK(p.sta->state() == SupplicantKeyState::kComplete);
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);
    CHECK(equal_bytes(p.sta_keys.last(KeyKind::kPairwise)->key.view(), p.ap_keys.last(KeyKind::kPairwise)->key.view()));
    // A message 2 answering the old message 1 would now be out of range.
    p.ap->start(p.pmk, p.clock.now());
    p.ap->receive(first_m2, p.clock.now());
    CHECK(p.ap->counters().dropped_replay == 1);
}

TEST_CASE("Authenticator: message 1 is sent 4 times, one second apart, then the handshake fails (reason 15)") {
    Pair p;
    p.start();
    std::vector<uint64_t> counters{key_of(p.take(p.to_sta)).replay_counter};
    for (int i = 0; i < 3; ++i) {
        REQUIRE(p.ap->next_timeout() == p.clock.now() + Duration(1000));
        p.clock.advance(Duration(999));
        p.ap->tick(p.clock.now());
        CHECK(p.to_sta.empty());  // not yet
        p.clock.advance(Duration(1));
        p.ap->tick(p.clock.now());
        counters.push_back(key_of(p.take(p.to_sta)).replay_counter);
    }
    CHECK(counters == std::vector<uint64_t>{1, 2, 3, 4});  // strictly increasing
    p.clock.advance(Duration(1000));
    p.ap->tick(p.clock.now());
    CHECK(p.to_sta.empty());
    CHECK(p.ap->state() == AuthenticatorKeyState::kFailed);
    REQUIRE(p.ap_events.size() == 1);
    CHECK(p.ap_events[0].failure == HandshakeFailure::kFourWayTimeout);
    CHECK(ieee80211_reason_code(p.ap_events[0].failure) == 15);
    CHECK_FALSE(p.ap->next_timeout().has_value());
    CHECK(p.ap->counters().retransmissions == 3);
}

TEST_CASE("Authenticator: message 3 unanswered fails after 4 transmissions; a late message 2 is ignored") {
    Pair p;
    p.start();
    p.to_station();
    const Bytes m2 = p.to_ap.front();
    p.to_authenticator();
    for (int i = 0; i < 3; ++i) {
        p.clock.advance(Duration(1000));
        p.ap->tick(p.clock.now());
    }
    CHECK(p.to_sta.size() == 4);
    p.ap->receive(m2, p.clock.now());  // a retransmitted message 2 while waiting for 4
    CHECK(p.ap->counters().dropped_unexpected == 1);
    p.clock.advance(Duration(1000));
    p.ap->tick(p.clock.now());
    CHECK(p.ap->state() == AuthenticatorKeyState::kFailed);
    CHECK(p.ap_events.at(0).failure == HandshakeFailure::kFourWayTimeout);
    CHECK(p.ap_keys.installed.empty());
}

TEST_CASE("Group rekey: retransmitted group message 1 is answered without reinstalling; timeout is reason 16") {
    Pair p;
    p.run_four_way();
    p.group.rekey();
    REQUIRE(p.ap->start_group_rekey(p.clock.now()).ok());
    p.to_station();
    p.to_ap.clear();  // group message 2 lost
    CHECK(p.sta_keys.count(KeyKind::kGroup) == 2);
    p.clock.advance(Duration(1000));
    p.ap->tick(p.clock.now());
    p.to_station();
    CHECK(p.sta_keys.count(KeyKind::kGroup) == 2);  // same GTK: not installed again
    CHECK(p.sta->counters().reinstalls_refused == 1);
    REQUIRE(p.to_ap.size() == 1);
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);
    CHECK(std::count_if(p.sta_events.begin(), p.sta_events.end(), [](const HandshakeEvent& e) {
              return e.kind == HandshakeEvent::Kind::kGroupRekeyComplete;
          }) == 1);

    // A station that never answers: 4 group message 1s, then failure.
    p.group.rekey();
    REQUIRE(p.ap->start_group_rekey(p.clock.now()).ok());
    for (int i = 0; i < 4; ++i) {
        p.clock.advance(Duration(1000));
        p.ap->tick(p.clock.now());
    }
    CHECK(p.ap->state() == AuthenticatorKeyState::kFailed);
    CHECK(p.ap_events.back().failure == HandshakeFailure::kGroupKeyTimeout);
    CHECK(ieee80211_reason_code(HandshakeFailure::kGroupKeyTimeout) == 16);
}

TEST_CASE("Group rekey is refused before the 4-way handshake completes") {
    Pair p;
    CHECK_FALSE(p.ap->start_group_rekey(p.clock.now()).ok());
    p.start();
    CHECK_FALSE(p.ap->start_group_rekey(p.clock.now()).ok());
}

TEST_CASE("Supplicant refuses an all-zero GTK and an all-zero IGTK in group message 1") {
    for (bool zero_igtk : {false, true}) {
        Pair p(Options{kAkm8021x, MfpPolicy::kOptional, MfpPolicy::kOptional, true, true});
        p.start();
        const Bytes m1 = p.to_sta.front();
        p.to_station();
        const Bytes m2 = p.to_ap.front();
        p.to_authenticator();
        p.to_station();
        p.to_authenticator();
        REQUIRE(p.sta->state() == SupplicantKeyState::kComplete);
        auto ptk = derive_ptk(kAkm8021x, kCipherCcmp128, p.pmk.view(), kAa, kSpa, key_of(m1).nonce, key_of(m2).nonce)
                       .value();
        KeyData data;
        data.gtk = GtkKde{2, true, SecretBytes(Bytes(16, zero_igtk ? 0x42 : 0x00))};
        IgtkKde igtk;
        igtk.key_id = 5;
        igtk.key = SecretBytes(Bytes(16, zero_igtk ? 0x00 : 0x43));
        data.igtk = igtk;
        SecretBytes plain = build_key_data(data);
        auto key = make_key_descriptor(KI::kKeyAck | KI::kKeyMic | KI::kSecure | KI::kEncryptedKeyData, 2, 16, 10, {},
                                       encrypt_key_data(ptk.kek.view(), plain.view()).value());
        p.sta->receive(build_key_pdu(2, key, ptk.kck.view()).value());
        CHECK(p.sta->state() == SupplicantKeyState::kFailed);
        CHECK(p.sta_events.back().failure == HandshakeFailure::kAllZeroKey);
        CHECK(p.sta_keys.count(KeyKind::kGroup) == 1);
        CHECK(p.to_ap.empty());
    }
}

TEST_CASE("Supplicant drops frames it cannot use: no PMK, wrong version, request bit, early group message") {
    Pair p;
    p.ap->start(p.pmk, p.clock.now());
    const Bytes m1 = p.take(p.to_sta);
    p.sta->receive(m1);  // no PMK yet
    CHECK(p.sta->counters().dropped_unexpected == 1);
    CHECK(p.to_ap.empty());
    p.sta->set_pmk(p.pmk);

    Bytes wrong_version = m1;
    wrong_version[6] = static_cast<uint8_t>((wrong_version[6] & 0xf8) | 3);  // Key Information low octet
    p.sta->receive(wrong_version);
    Bytes request = m1;
    request[5] |= 0x08;  // Request bit (0x0800)
    p.sta->receive(request);
    Bytes no_ack = m1;
    no_ack[6] &= static_cast<uint8_t>(~0x80);
    p.sta->receive(no_ack);
    p.sta->receive(Bytes{0x02, 0x03, 0x00, 0x05, 0x02, 0x00});  // truncated
    p.sta->receive(Bytes{0x02, 0x00, 0x00, 0x04, 0x01, 0x01, 0x00, 0x04});  // an EAP packet
    CHECK(p.sta->counters().dropped_malformed == 5);
    CHECK(p.to_ap.empty());

    // A group message 1 before the 4-way handshake completed.
    Bytes group = m1;
    group[6] &= static_cast<uint8_t>(~KI::kKeyTypePairwise);
    group[5] |= 0x13;  // MIC, Secure, Encrypted Key Data
    p.sta->receive(group);
    CHECK(p.sta->counters().dropped_unexpected == 2);
    p.sta->receive(m1);
    CHECK(p.to_ap.size() == 1);
}

TEST_CASE("Authenticator drops a reply whose counter was never sent, before the MIC check") {
    Pair p;
    p.start();
    p.to_station();
    Bytes m2 = p.take(p.to_ap);
    Bytes future = m2;
    future[16] = 0x09;  // last octet of the replay counter: 9, never sent
    p.ap->receive(future, p.clock.now());
    CHECK(p.ap->counters().dropped_replay == 1);
    CHECK(p.ap->counters().dropped_bad_mic == 0);
    // Flags that no supplicant sends: Key Ack set.
    Bytes acked = m2;
    acked[6] |= 0x80;
    p.ap->receive(acked, p.clock.now());
    CHECK(p.ap->counters().dropped_malformed == 1);
    p.ap->receive(m2, p.clock.now());
    CHECK(p.ap->state() == AuthenticatorKeyState::kWaitMessage4);
}

TEST_CASE("A key installer failure fails the handshake") {
    Pair p;
    p.start();
    p.to_station();
    p.to_authenticator();
    p.sta_keys.fail_next = true;
    p.to_station();
    CHECK(p.sta->state() == SupplicantKeyState::kFailed);
    CHECK(p.sta_events.at(0).failure == HandshakeFailure::kKeyInstallFailed);
    p.ap_keys.fail_next = true;
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kFailed);
}

TEST_CASE("Message 1 carries the PMKID KDE when configured; a new 4-way handshake rekeys the PTK") {
    Pair p;
    const Pmkid pmkid = compute_pmkid(kAkm8021x, p.pmk.view(), kAa, kSpa).value();
    p.ap_config.pmkid = pmkid;
    p.build();
    p.start();
    auto data = parse_key_data(key_of(p.to_sta.front()).key_data).value();
    CHECK(data.pmkid == pmkid);
    p.to_station();
    p.to_authenticator();
    p.to_station();
    p.to_authenticator();
    REQUIRE(p.ap->state() == AuthenticatorKeyState::kComplete);
    const Bytes old_tk(p.sta_keys.last(KeyKind::kPairwise)->key.view().begin(),
                       p.sta_keys.last(KeyKind::kPairwise)->key.view().end());
    p.ap->start(p.pmk, p.clock.now());  // PTK rekey
    p.to_station();
    p.to_authenticator();
    p.to_station();
    p.to_authenticator();
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);
    CHECK(p.sta_keys.count(KeyKind::kPairwise) == 2);
    CHECK_FALSE(equal_bytes(old_tk, p.sta_keys.last(KeyKind::kPairwise)->key.view()));
    CHECK(equal_bytes(p.sta_keys.last(KeyKind::kPairwise)->key.view(), p.ap_keys.last(KeyKind::kPairwise)->key.view()));
    CHECK(p.sta_keys.count(KeyKind::kGroup) == 1);  // same GTK: not reinstalled
}

TEST_CASE("Group key receiver: zero keys, wrong lengths and IDs are refused") {
    RecordingKeyInstaller keys;
    GroupKeyReceiver receiver(keys, kCipherCcmp128, kCipherBipCmac128);
    std::array<uint8_t, 8> rsc{};
    CHECK(receiver.install_gtk(GtkKde{1, false, SecretBytes(Bytes(16, 0))}, rsc).error().code == ErrorCode::kProtocol);
    CHECK(receiver.install_gtk(GtkKde{1, false, SecretBytes(Bytes(32, 1))}, rsc).error().code == ErrorCode::kMalformed);
    CHECK(receiver.install_gtk(GtkKde{0, false, SecretBytes(Bytes(16, 1))}, rsc).error().code == ErrorCode::kMalformed);
    CHECK(*receiver.install_gtk(GtkKde{1, false, SecretBytes(Bytes(16, 1))}, rsc) == GroupKeyReceiver::Outcome::kInstalled);
    CHECK(*receiver.install_gtk(GtkKde{1, false, SecretBytes(Bytes(16, 1))}, rsc) ==
          GroupKeyReceiver::Outcome::kAlreadyInstalled);
    IgtkKde igtk;
    igtk.key_id = 6;
    igtk.key = SecretBytes(Bytes(16, 1));
    CHECK_FALSE(receiver.install_igtk(igtk).ok());
    igtk.key_id = 4;
    CHECK(*receiver.install_igtk(igtk) == GroupKeyReceiver::Outcome::kInstalled);
    igtk.ipn[0] = 9;  // same key, a rewound/moved IPN: still not reinstalled
    CHECK(*receiver.install_igtk(igtk) == GroupKeyReceiver::Outcome::kAlreadyInstalled);
    receiver.forget();
    CHECK(*receiver.install_igtk(igtk) == GroupKeyReceiver::Outcome::kInstalled);
    CHECK(keys.installed.size() == 3);
}

TEST_CASE("Supplicant drops a message 3 whose ANonce is not message 1's; authenticator drops Request frames") {
    Pair p;
    p.start();
    p.to_station();
    p.to_authenticator();
    Bytes m3 = p.take(p.to_sta);
    Bytes other_nonce = m3;
    other_nonce[17] ^= 0x01;  // first ANonce octet (EAPOL header 4 + type 1 + info 2 + length 2 + counter 8)
    p.sta->receive(other_nonce);
    CHECK(p.sta->counters().dropped_unexpected == 1);
    CHECK(p.sta->counters().dropped_bad_mic == 0);  // refused before the MIC
    CHECK(p.to_ap.empty());
    p.sta->receive(m3);
    CHECK(p.sta->state() == SupplicantKeyState::kComplete);

    Bytes m4 = p.take(p.to_ap);
    Bytes request = m4;
    request[5] |= 0x08;  // Request bit (0x0800)
    p.ap->receive(request, p.clock.now());
    CHECK(p.ap->counters().dropped_unexpected == 1);
    CHECK(p.ap->state() == AuthenticatorKeyState::kWaitMessage4);
    p.ap->receive(m4, p.clock.now());
    CHECK(p.ap->state() == AuthenticatorKeyState::kComplete);
    p.ap->receive(m4, p.clock.now());  // message 4 again: nothing expected any more
    CHECK(p.ap->counters().dropped_unexpected == 2);
    CHECK(p.ap_keys.count(KeyKind::kPairwise) == 1);
}

TEST_CASE("A failed supplicant stays failed and drops everything") {
    Pair p;
    p.sta_config.authenticator_rsn_element = rsn_bytes(kAkm8021x, MfpPolicy::kOptional);
    p.build();
    p.start();
    const Bytes m1 = p.to_sta.front();
    p.to_station();
    p.to_authenticator();
    p.to_station();
    REQUIRE(p.sta->state() == SupplicantKeyState::kFailed);
    p.to_ap.clear();
    p.sta->receive(m1);
    CHECK(p.to_ap.empty());
    CHECK(p.sta->state() == SupplicantKeyState::kFailed);
    CHECK(std::string(supplicant_key_state_name(p.sta->state())) == "FAILED");
    CHECK(std::string(authenticator_key_state_name(p.ap->state())) == "PTKINITNEGOTIATING");
}
