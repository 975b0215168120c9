// The PMKSA cache (IEEE 802.11-2020 §12.6.10.2 PMKSA caching, §12.7.1.3
// PMKID), one class for both sides:
//  - authenticator: a station's (re)association RSN element lists PMKIDs;
//    find_by_pmkid() finds the PMK for (PMKID, station) and EAP is skipped;
//  - station: when it roams back, find_by_authenticator() gives the entry
//    whose PMKID goes into the association request's RSN element.
// Entries expire at a deadline from the injected time (dot11RSNAConfig-
// PMKLifetime, 43200 s by default in hostapd and wpa_supplicant); the cache
// is bounded and evicts the least recently used entry.
#pragma once

#include <cstdint>
#include <list>
#include <optional>

#include "common/clock.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "common/secret.h"
#include "eapol/rsn_element.h"

namespace lanyard::eapol {

struct PmksaEntry {
    Pmkid pmkid{};
    SecretBytes pmk;
    MacAddress authenticator;  // AA
    MacAddress supplicant;     // SPA
    uint32_t akm = kAkm8021x;
    TimePoint expires;
};

class PmksaCache {
public:
    static constexpr size_t kDefaultCapacity = 32;
    static Duration default_lifetime() { return seconds(43200); }

    explicit PmksaCache(size_t capacity = kDefaultCapacity, Duration lifetime = default_lifetime())
        : capacity_(capacity == 0 ? 1 : capacity), lifetime_(lifetime) {}

    // Adds (or replaces the entry for the same AA, SPA and AKM) with the
    // PMKID computed from the PMK (compute_pmkid). Evicts the least recently
    // used entry when full. Errors: the AKM's PMKID cannot be computed.
    Result<Pmkid> add(const SecretBytes& pmk, const MacAddress& authenticator, const MacAddress& supplicant,
                      uint32_t akm, TimePoint now);

    // Authenticator: the live entry with this PMKID for this station (and AA).
    // A hit counts as a use (LRU).
    const PmksaEntry* find_by_pmkid(const Pmkid& pmkid, const MacAddress& authenticator,
                                    const MacAddress& supplicant, TimePoint now);
    // Authenticator: the first of a station's PMKIDs (from its RSN element) that hits.
    const PmksaEntry* find_any(const std::vector<Pmkid>& pmkids, const MacAddress& authenticator,
                               const MacAddress& supplicant, TimePoint now);
    // Station: the live entry for this BSSID (and AKM, when given).
    const PmksaEntry* find_by_authenticator(const MacAddress& authenticator, const MacAddress& supplicant,
                                            std::optional<uint32_t> akm, TimePoint now);

    // Drops one entry (e.g. the AP rejected the PMKID) or every entry of a peer.
    bool remove(const Pmkid& pmkid);
    size_t remove_peer(const MacAddress& peer);
    // Drops expired entries; returns how many.
    size_t expire(TimePoint now);
    void clear() { entries_.clear(); }

    size_t size() const { return entries_.size(); }
    size_t capacity() const { return capacity_; }
    uint64_t evictions() const { return evictions_; }

private:
    using List = std::list<PmksaEntry>;  // most recently used first
    const PmksaEntry* touch(List::iterator it);

    size_t capacity_;
    Duration lifetime_;
    List entries_;
    uint64_t evictions_ = 0;
};

}  // namespace lanyard::eapol
