#include "ike/config_store.h"

#include <arpa/inet.h>

#include <algorithm>

namespace lanyard::ike {
namespace {

// 0: no match, 1: %any (or empty), 2: exact address.
int address_score(const std::vector<std::string>& addrs, const SocketAddress& a) {
    if (addrs.empty()) return 1;
    int best = 0;
    const std::string host = a.host_string();
    for (const auto& s : addrs) {
        if (s == "%any" || s == "%any4" || s == "%any6" || s == "0.0.0.0/0" || s == "::/0") best = std::max(best, 1);
        else if (s == host) best = 2;
    }
    return best;
}

uint32_t load_u32(ByteView b) { return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3]; }
Bytes store_u32(uint32_t v) { return Bytes{uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }

Result<uint32_t> parse_v4(const std::string& s) {
    uint8_t b[4];
    if (inet_pton(AF_INET, s.c_str(), b) != 1) return make_error(ErrorCode::kConfig, "bad IPv4 address '" + s + "'");
    return load_u32(ByteView(b, 4));
}

}  // namespace

Result<AddressPool> parse_pool_addrs(const std::string& name, std::string_view text) {
    AddressPool p;
    p.name = name;
    std::string s(text);
    if (const size_t slash = s.find('/'); slash != std::string::npos) {
        auto base = parse_v4(s.substr(0, slash));
        if (!base) return base.error();
        const std::string len = s.substr(slash + 1);
        if (len.empty() || len.size() > 2 || len.find_first_not_of("0123456789") != std::string::npos) {
            return make_error(ErrorCode::kConfig, "bad pool prefix '" + s + "'");
        }
        const int bits = std::stoi(len);
        if (bits < 8 || bits > 30) return make_error(ErrorCode::kConfig, "pool prefix /" + len + " not supported (8..30)");
        const uint32_t mask = bits == 0 ? 0 : ~uint32_t(0) << (32 - bits);
        p.first = (*base & mask) + 1;
        p.size = (~mask) - 1;
        return p;
    }
    if (const size_t dash = s.find('-'); dash != std::string::npos) {
        auto a = parse_v4(s.substr(0, dash));
        auto b = parse_v4(s.substr(dash + 1));
        if (!a) return a.error();
        if (!b) return b.error();
        if (*b < *a || *b - *a > (1u << 24)) return make_error(ErrorCode::kConfig, "bad pool range '" + s + "'");
        p.first = *a;
        p.size = *b - *a + 1;
        return p;
    }
    auto a = parse_v4(s);
    if (!a) return a.error();
    p.first = *a;
    p.size = 1;
    return p;
}

void ConfigStore::add_pool(AddressPool p) {
    const std::string name = p.name;
    pools_[name] = PoolState{std::move(p), {}, {}};
}

std::shared_ptr<const PeerConfig> ConfigStore::connection(const std::string& name) const {
    for (const auto& c : connections_) if (c->name == name) return c;
    return nullptr;
}

std::vector<std::shared_ptr<const PeerConfig>> ConfigStore::match_addresses(const SocketAddress& local,
                                                                           const SocketAddress& remote) const {
    std::vector<std::pair<int, std::shared_ptr<const PeerConfig>>> scored;
    for (const auto& c : connections_) {
        const int l = address_score(c->local_addrs, local);
        const int r = address_score(c->remote_addrs, remote);
        if (l > 0 && r > 0) scored.emplace_back(l + r, c);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::shared_ptr<const PeerConfig>> out;
    for (auto& s : scored) out.push_back(std::move(s.second));
    return out;
}

std::shared_ptr<const PeerConfig> ConfigStore::match_identities(const SocketAddress& local, const SocketAddress& remote,
                                                                const Identity& peer_id,
                                                                const Identity* my_id_requested) const {
    std::shared_ptr<const PeerConfig> best;
    int best_score = 0;
    for (const auto& c : connections_) {
        const int l = address_score(c->local_addrs, local);
        const int r = address_score(c->remote_addrs, remote);
        if (l == 0 || r == 0 || c->remote.empty() || c->local.empty()) continue;
        const int peer = match_identity(c->remote[0].id, peer_id);
        if (peer == 0) continue;
        int me = 1;
        if (my_id_requested != nullptr && !c->local[0].id.any) {
            me = match_identity(c->local[0].id, *my_id_requested);
            if (me == 0) continue;
        }
        // Identities weigh more than addresses (charon: IDs decide among address matches).
        const int score = peer * 100 + me * 10 + l + r;
        if (score > best_score) {
            best_score = score;
            best = c;
        }
    }
    return best;
}

std::optional<SecretBytes> ConfigStore::shared_key(const Identity& me, const Identity& peer) const {
    const SharedSecret* best = nullptr;
    int best_score = -1;
    for (const auto& s : secrets_) {
        int score = 0;
        if (!s.owners.empty()) {
            int m = 0, p = 0;
            for (const auto& o : s.owners) {
                m = std::max(m, match_identity(o, me));
                p = std::max(p, match_identity(o, peer));
            }
            if (m == 0 && p == 0) continue;
            score = p * 4 + m;
        }
        if (score > best_score) {
            best_score = score;
            best = &s;
        }
    }
    if (best == nullptr) return std::nullopt;
    return best->secret;
}

std::optional<VirtualIpLease> ConfigStore::acquire_lease(const std::vector<std::string>& pools, const Identity& peer) {
    const std::string who = peer.to_string();
    for (const auto& name : pools) {
        auto it = pools_.find(name);
        if (it == pools_.end()) continue;
        PoolState& ps = it->second;
        auto lease = [&](uint32_t addr) {
            ps.in_use[addr] = who;
            ps.by_identity[who] = addr;
            return VirtualIpLease{store_u32(addr), ps.pool.dns};
        };
        if (auto sticky = ps.by_identity.find(who); sticky != ps.by_identity.end() && ps.in_use.count(sticky->second) == 0) {
            return lease(sticky->second);
        }
        // Linear over the pool only until a free address; pools are small.
        for (uint32_t i = 0; i < ps.pool.size && i < (1u << 20); ++i) {
            const uint32_t addr = ps.pool.first + i;
            if (ps.in_use.count(addr) == 0) return lease(addr);
        }
    }
    return std::nullopt;
}

void ConfigStore::release_lease(const std::vector<std::string>& pools, ByteView address) {
    if (address.size() != 4) return;
    const uint32_t a = load_u32(address);
    for (const auto& name : pools) {
        auto it = pools_.find(name);
        if (it != pools_.end()) it->second.in_use.erase(a);
    }
}

size_t ConfigStore::leases_in_use() const {
    size_t n = 0;
    for (const auto& [name, ps] : pools_) n += ps.in_use.size();
    return n;
}

}  // namespace lanyard::ike
