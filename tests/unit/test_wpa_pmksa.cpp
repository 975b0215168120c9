// PMKSA cache (IEEE 802.11-2020 §12.6.10.2): lookups by PMKID (authenticator)
// and by BSSID (station), expiry by injected time, LRU eviction, removal.
#include <doctest/doctest.h>

#include "common/clock.h"
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
