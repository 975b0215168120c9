// PMKSA cache (IEEE 802.11-2020 §12.6.10.2): lookups by PMKID (authenticator)
// and by BSSID (station), expiry by injected time, LRU eviction, removal.
#include <doctest/doctest.h>

#include <deque>

#include "common/clock.h"
#include "eapol/four_way_authenticator.h"
#include "eapol/four_way_supplicant.h"
#include "eapol/pmksa_cache.h"
#include "eapol/ptk.h"
#include "wpa_test_support.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

const MacAddress kAp1 = MacAddress::parse("02:00:00:00:00:01").value();
const MacAddress kAp2 = MacAddress::parse("02:00:00:00:00:02").value();
const MacAddress kSta = MacAddress::parse("02:00:00:00:01:00").value();
const MacAddress kSta2 = MacAddress::parse("02:00:00:00:01:01").value();

SecretBytes pmk(uint8_t fill) { return SecretBytes(Bytes(32, fill)); }

}  // namespace

TEST_CASE("PMKSA cache: authenticator finds the PMK by the station's PMKID; station finds it by BSSID") {
    FakeClock clock;
    PmksaCache cache;
    auto pmkid = cache.add(pmk(1), kAp1, kSta, kAkm8021x, clock.now());
    REQUIRE(pmkid.ok());
    CHECK(*pmkid == compute_pmkid(kAkm8021x, pmk(1).view(), kAp1, kSta).value());

    const PmksaEntry* hit = cache.find_by_pmkid(*pmkid, kAp1, kSta, clock.now());
    REQUIRE(hit != nullptr);
    CHECK(equal_bytes(hit->pmk.view(), pmk(1).view()));
    CHECK(hit->akm == kAkm8021x);
    CHECK(cache.find_by_pmkid(*pmkid, kAp1, kSta2, clock.now()) == nullptr);  // another station
    CHECK(cache.find_by_pmkid(*pmkid, kAp2, kSta, clock.now()) == nullptr);   // another AP
    Pmkid other = *pmkid;
    other[0] ^= 1;
    CHECK(cache.find_by_pmkid(other, kAp1, kSta, clock.now()) == nullptr);
    CHECK(cache.find_any({other, *pmkid}, kAp1, kSta, clock.now()) == hit);

    const PmksaEntry* roam = cache.find_by_authenticator(kAp1, kSta, kAkm8021x, clock.now());
    REQUIRE(roam != nullptr);
    CHECK(roam->pmkid == *pmkid);
    CHECK(cache.find_by_authenticator(kAp1, kSta, kAkm8021xSha256, clock.now()) == nullptr);
    CHECK(cache.find_by_authenticator(kAp1, kSta, std::nullopt, clock.now()) != nullptr);
    CHECK(cache.find_by_authenticator(kAp2, kSta, std::nullopt, clock.now()) == nullptr);
}

TEST_CASE("PMKSA cache: entries expire at their lifetime") {
    FakeClock clock;
    PmksaCache cache(4, seconds(100));
    auto pmkid = cache.add(pmk(1), kAp1, kSta, kAkm8021xSha256, clock.now()).value();
    CHECK(pmkid == compute_pmkid(kAkm8021xSha256, pmk(1).view(), kAp1, kSta).value());
    clock.advance(seconds(99));
    CHECK(cache.find_by_pmkid(pmkid, kAp1, kSta, clock.now()) != nullptr);
    clock.advance(seconds(1));
    CHECK(cache.find_by_pmkid(pmkid, kAp1, kSta, clock.now()) == nullptr);
    CHECK(cache.size() == 0);
    cache.add(pmk(2), kAp1, kSta, kAkm8021x, clock.now()).value();
    cache.add(pmk(3), kAp2, kSta, kAkm8021x, clock.now() + seconds(50)).value();
    CHECK(cache.expire(clock.now() + seconds(120)) == 1);
    CHECK(cache.size() == 1);
    CHECK(cache.find_by_authenticator(kAp1, kSta, std::nullopt, clock.now() + seconds(200)) == nullptr);
}

TEST_CASE("PMKSA cache: bounded, the least recently used entry is evicted") {
    FakeClock clock;
    PmksaCache cache(3);
    std::vector<MacAddress> aps;
    for (uint8_t i = 0; i < 3; ++i) {
        aps.push_back(MacAddress(MacAddress::Octets{2, 0, 0, 0, 1, i}));
        cache.add(pmk(static_cast<uint8_t>(i + 1)), aps.back(), kSta, kAkm8021x, clock.now()).value();
    }
    CHECK(cache.size() == 3);
    // Use the oldest: the second becomes least recently used.
    CHECK(cache.find_by_authenticator(aps[0], kSta, std::nullopt, clock.now()) != nullptr);
    cache.add(pmk(9), kAp2, kSta, kAkm8021x, clock.now()).value();
    CHECK(cache.size() == 3);
    CHECK(cache.evictions() == 1);
    CHECK(cache.find_by_authenticator(aps[1], kSta, std::nullopt, clock.now()) == nullptr);
    CHECK(cache.find_by_authenticator(aps[0], kSta, std::nullopt, clock.now()) != nullptr);
    CHECK(cache.find_by_authenticator(aps[2], kSta, std::nullopt, clock.now()) != nullptr);
    // Adding for the same AP, station and AKM replaces, it does not grow.
    cache.add(pmk(10), kAp2, kSta, kAkm8021x, clock.now()).value();
    CHECK(cache.size() == 3);
    CHECK(equal_bytes(cache.find_by_authenticator(kAp2, kSta, std::nullopt, clock.now())->pmk.view(), pmk(10).view()));
    CHECK(cache.evictions() == 1);
}

TEST_CASE("PMKSA cache: removal by PMKID and by peer; an AKM without PMKID is refused") {
    FakeClock clock;
    PmksaCache cache;
    auto a = cache.add(pmk(1), kAp1, kSta, kAkm8021x, clock.now()).value();
    cache.add(pmk(2), kAp1, kSta2, kAkm8021x, clock.now()).value();
    cache.add(pmk(3), kAp2, kSta, kAkm8021x, clock.now()).value();
    CHECK(cache.remove(a));
    CHECK_FALSE(cache.remove(a));
    CHECK(cache.remove_peer(kSta2) == 1);
    CHECK(cache.size() == 1);
    CHECK(cache.add(pmk(4), kAp1, kSta, kAkmSae, clock.now()).error().code == ErrorCode::kUnsupported);
    cache.clear();
    CHECK(cache.size() == 0);
}

TEST_CASE("PMKSA caching end to end: the station roams back with the PMKID, EAP is skipped, the 4-way completes") {
    FakeClock clock;
    PmksaCache station_cache;
    PmksaCache ap_cache;
    const SecretBytes pmk_from_eap(Bytes(32, 0x77));
    // First association: both sides cache the PMKSA after EAP.
    const Pmkid pmkid = station_cache.add(pmk_from_eap, kAp1, kSta, kAkm8021x, clock.now()).value();
    CHECK(ap_cache.add(pmk_from_eap, kAp1, kSta, kAkm8021x, clock.now()).value() == pmkid);

    // Roaming back: the station's association RSN element carries the PMKID.
    clock.advance(seconds(600));
    const PmksaEntry* own = station_cache.find_by_authenticator(kAp1, kSta, kAkm8021x, clock.now());
    REQUIRE(own != nullptr);
    RsnElement station_rsn;
    station_rsn.pmkids = {own->pmkid};
    const Bytes station_rsn_bytes = build_rsn_element(station_rsn).value();
    const Bytes ap_rsn_bytes = build_rsn_element(RsnElement{}).value();

    // The AP: negotiate, find the PMKSA by the offered PMKID, start the 4-way directly.
    auto agreed = negotiate_rsn(RsnElement{}, parse_rsn_element(station_rsn_bytes).value()).value();
    const PmksaEntry* cached = ap_cache.find_any(agreed.pmkids, kAp1, kSta, clock.now());
    REQUIRE(cached != nullptr);

    FakeRandom random(5);
    auto group = GroupKeyAuthority::create(kCipherCcmp128, 0, random).value();
    test::RecordingKeyInstaller sta_keys, ap_keys;
    std::deque<Bytes> to_ap, to_sta;
    SupplicantHandshakeConfig sc;
    sc.own_address = kSta;
    sc.authenticator_address = kAp1;
    sc.own_rsn_element = station_rsn_bytes;
    sc.authenticator_rsn_element = ap_rsn_bytes;
    AuthenticatorHandshakeConfig ac;
    ac.own_address = kAp1;
    ac.station_address = kSta;
    ac.own_rsn_element = ap_rsn_bytes;
    ac.station_rsn_element = station_rsn_bytes;
    ac.pmkid = cached->pmkid;
    FourWayHandshakeSupplicant sta(
        sc, HandshakeCallbacks{[&](ByteView b) { to_ap.emplace_back(b.begin(), b.end()); }, nullptr}, sta_keys, random);
    FourWayHandshakeAuthenticator ap(
        ac, HandshakeCallbacks{[&](ByteView b) { to_sta.emplace_back(b.begin(), b.end()); }, nullptr}, ap_keys, random,
        group);
    sta.set_pmk(own->pmk);
    ap.start(cached->pmk, clock.now());
    for (int i = 0; i < 2; ++i) {
        REQUIRE(to_sta.size() == 1);
        sta.receive(to_sta.front());
        to_sta.pop_front();
        REQUIRE(to_ap.size() == 1);
        ap.receive(to_ap.front(), clock.now());
        to_ap.pop_front();
    }
    CHECK(sta.state() == SupplicantKeyState::kComplete);
    CHECK(ap.state() == AuthenticatorKeyState::kComplete);
    CHECK(equal_bytes(sta_keys.last(KeyKind::kPairwise)->key.view(), ap_keys.last(KeyKind::kPairwise)->key.view()));

    // A station whose PMKSA the AP has forgotten: no hit, full EAP needed.
    ap_cache.remove_peer(kSta);
    CHECK(ap_cache.find_any(agreed.pmkids, kAp1, kSta, clock.now()) == nullptr);
}
