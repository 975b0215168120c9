// IEEE 802.11-2020 §12.6.10.2 PMKSA caching.
#include "eapol/pmksa_cache.h"

#include "eapol/ptk.h"

namespace lanyard::eapol {

const PmksaEntry* PmksaCache::touch(List::iterator it) {
    entries_.splice(entries_.begin(), entries_, it);
    return &entries_.front();
}

Result<Pmkid> PmksaCache::add(const SecretBytes& pmk, const MacAddress& authenticator, const MacAddress& supplicant,
                              uint32_t akm, TimePoint now) {
    auto pmkid = compute_pmkid(akm, pmk.view(), authenticator, supplicant);
    if (!pmkid) return pmkid.error();
    entries_.remove_if([&](const PmksaEntry& e) {
        return e.authenticator == authenticator && e.supplicant == supplicant && e.akm == akm;
    });
    expire(now);
    while (entries_.size() >= capacity_) {
        entries_.pop_back();  // least recently used
        ++evictions_;
    }
    PmksaEntry entry;
    entry.pmkid = *pmkid;
    entry.pmk = pmk;
    entry.authenticator = authenticator;
    entry.supplicant = supplicant;
    entry.akm = akm;
    entry.expires = now + lifetime_;
    entries_.push_front(std::move(entry));
    return *pmkid;
}

const PmksaEntry* PmksaCache::find_by_pmkid(const Pmkid& pmkid, const MacAddress& authenticator,
                                            const MacAddress& supplicant, TimePoint now) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->pmkid != pmkid || it->authenticator != authenticator || it->supplicant != supplicant) continue;
        if (now >= it->expires) {
            entries_.erase(it);
            return nullptr;
        }
        return touch(it);
    }
    return nullptr;
}

const PmksaEntry* PmksaCache::find_any(const std::vector<Pmkid>& pmkids, const MacAddress& authenticator,
                                       const MacAddress& supplicant, TimePoint now) {
    for (const Pmkid& p : pmkids)  // bounded by the RSN element's 255 octets
        if (const PmksaEntry* e = find_by_pmkid(p, authenticator, supplicant, now)) return e;
    return nullptr;
}

const PmksaEntry* PmksaCache::find_by_authenticator(const MacAddress& authenticator, const MacAddress& supplicant,
                                                    std::optional<uint32_t> akm, TimePoint now) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->authenticator != authenticator || it->supplicant != supplicant) continue;
        if (akm && it->akm != *akm) continue;
        if (now >= it->expires) {
            entries_.erase(it);
            return nullptr;
        }
        return touch(it);
    }
    return nullptr;
}

bool PmksaCache::remove(const Pmkid& pmkid) {
    const size_t before = entries_.size();
    entries_.remove_if([&](const PmksaEntry& e) { return e.pmkid == pmkid; });
    return entries_.size() != before;
}

size_t PmksaCache::remove_peer(const MacAddress& peer) {
    const size_t before = entries_.size();
    entries_.remove_if([&](const PmksaEntry& e) { return e.authenticator == peer || e.supplicant == peer; });
    return before - entries_.size();
}

size_t PmksaCache::expire(TimePoint now) {
    const size_t before = entries_.size();
    entries_.remove_if([&](const PmksaEntry& e) { return now >= e.expires; });
    return before - entries_.size();
}

}  // namespace lanyard::eapol
