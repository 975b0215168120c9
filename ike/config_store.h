// An in-memory ConfigProvider: connections, shared keys and address pools
// as swanctl.conf describes them (gateway/swanctl_conf fills it; tests
// build it directly). Selection follows charon: local/remote addresses
// first (exact before %any), then identities (exact before wildcard before
// %any); shared keys by best owner match; pool leases stay with an identity.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ike/peer_config.h"

namespace lanyard::ike {

struct SharedSecret {
    std::vector<Identity> owners;  // empty: any identity
    SecretBytes secret;
};

struct AddressPool {
    std::string name;
    uint32_t first = 0;  // host order
    uint32_t size = 0;
    std::vector<Bytes> dns;
};
// "10.3.0.0/28" (network and broadcast skipped like charon: .1 .. .14),
// "10.3.0.1-10.3.0.20".
Result<AddressPool> parse_pool_addrs(const std::string& name, std::string_view text);

class ConfigStore final : public ConfigProvider {
public:
    void add_connection(std::shared_ptr<const PeerConfig> c) { connections_.push_back(std::move(c)); }
    void add_secret(SharedSecret s) { secrets_.push_back(std::move(s)); }
    void add_pool(AddressPool p);
    void add_ca(std::shared_ptr<const crypto::Certificate> ca) { cas_.push_back(std::move(ca)); }
    std::vector<std::shared_ptr<const crypto::Certificate>> trusted_cas() const override { return cas_; }
    const std::vector<std::shared_ptr<const PeerConfig>>& connections() const { return connections_; }
    std::shared_ptr<const PeerConfig> connection(const std::string& name) const;

    std::vector<std::shared_ptr<const PeerConfig>> match_addresses(const SocketAddress& local,
                                                                  const SocketAddress& remote) const override;
    std::shared_ptr<const PeerConfig> match_identities(const SocketAddress& local, const SocketAddress& remote,
                                                       const Identity& peer_id,
                                                       const Identity* my_id_requested) const override;
    std::optional<SecretBytes> shared_key(const Identity& me, const Identity& peer) const override;
    std::optional<VirtualIpLease> acquire_lease(const std::vector<std::string>& pools, const Identity& peer) override;
    void release_lease(const std::vector<std::string>& pools, ByteView address) override;
    size_t leases_in_use() const;

private:
    struct PoolState {
        AddressPool pool;
        std::map<uint32_t, std::string> in_use;      // address -> identity
        std::map<std::string, uint32_t> by_identity;  // sticky (released entries stay for reuse)
    };
    std::vector<std::shared_ptr<const PeerConfig>> connections_;
    std::vector<SharedSecret> secrets_;
    std::map<std::string, PoolState> pools_;
    std::vector<std::shared_ptr<const crypto::Certificate>> cas_;
};

}  // namespace lanyard::ike
