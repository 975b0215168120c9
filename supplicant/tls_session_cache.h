// The supplicant's client-side TLS session cache: one serialized session per
// network block, in memory only, offered again on reauthentication
// (wpa_supplicant's fast_reauth). Hooks for eap::PeerEnvironment.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>

#include "common/bytes.h"

namespace lanyard::supplicant {

class TlsSessionCache {
public:
    // Bound on stored sessions (one per network block in practice).
    static constexpr size_t kMaxEntries = 64;

    std::optional<Bytes> load(size_t network_id) const;
    void save(size_t network_id, ByteView session);
    void forget(size_t network_id) { entries_.erase(network_id); }
    size_t size() const { return entries_.size(); }

    // The PeerEnvironment hooks for one network block; the cache must outlive them.
    std::function<std::optional<Bytes>()> loader(size_t network_id);
    std::function<void(ByteView)> saver(size_t network_id);

private:
    std::map<size_t, Bytes> entries_;
};

}  // namespace lanyard::supplicant
