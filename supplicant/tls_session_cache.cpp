#include "supplicant/tls_session_cache.h"

#include "common/log.h"

namespace lanyard::supplicant {

std::optional<Bytes> TlsSessionCache::load(size_t network_id) const {
    auto it = entries_.find(network_id);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
}

void TlsSessionCache::save(size_t network_id, ByteView session) {
    if (session.empty()) {
        entries_.erase(network_id);
        return;
    }
    if (entries_.size() >= kMaxEntries && entries_.count(network_id) == 0) entries_.erase(entries_.begin());
    entries_[network_id] = Bytes(session.begin(), session.end());
    LOG_DEBUG("supplicant", "TLS: session of network %zu cached (%zu bytes)", network_id, session.size());
}

std::function<std::optional<Bytes>()> TlsSessionCache::loader(size_t network_id) {
    return [this, network_id] { return load(network_id); };
}

std::function<void(ByteView)> TlsSessionCache::saver(size_t network_id) {
    return [this, network_id](ByteView s) { save(network_id, s); };
}

}  // namespace lanyard::supplicant
