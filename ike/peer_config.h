// What the IKE core needs to know about configuration, independent of the
// file format (gateway/swanctl_conf reads swanctl.conf into these): one
// PeerConfig per swanctl "connections" entry, and the ConfigProvider the
// IKE_SA asks to pick a connection (charon's rules: addresses first, then
// identities, exact before wildcard) and to look up secrets and pools.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/secret.h"
#include "common/udp_socket.h"
#include "crypto/signature.h"
#include "crypto/x509_chain.h"
#include "ike/child_sa.h"
#include "ike/identity.h"

namespace lanyard::eap {
class UserDatabase;
struct PeerCredentials;
}
namespace lanyard::tls {
class Context;
}

namespace lanyard::ike {

// swanctl "auth =": the authentication class of one round (RFC 4739).
enum class AuthClass { kPsk, kPubkey, kEap };

struct AuthRoundConfig {
    AuthClass auth = AuthClass::kPsk;
    Identity id;                        // local: what we send; remote: what we accept
    std::vector<std::string> certs;     // local: our certificate files
    std::vector<std::string> cacerts;   // remote: trust anchors
    std::string eap_method;             // auth = eap-<method> (issue 8); "radius": an AAA server runs it
    // Loaded credentials (gateway/swanctl_conf resolves the file names):
    std::vector<std::shared_ptr<const crypto::Certificate>> cert_chain;  // local: ours, leaf first
    std::shared_ptr<const crypto::PrivateKey> private_key;               // local: matches cert_chain[0]
    std::vector<std::shared_ptr<const crypto::Certificate>> trust;       // remote: anchors; empty = all CAs
    // EAP rounds (issue 8, RFC 7296 §2.16). remote: eap_id = the EAP
    // identity to require; any ("%any") asks for it with EAP-Identity;
    // unset: IDi is the EAP identity.
    std::optional<Identity> eap_id;
    std::shared_ptr<const eap::UserDatabase> eap_users;  // remote: swanctl secrets eap-*
    std::shared_ptr<tls::Context> eap_tls;               // remote: server role; local: client role
    std::shared_ptr<const eap::PeerCredentials> eap_peer;  // local: identity, secret, methods
};

enum class FragmentationPolicy { kNo, kYes, kAccept, kForce };

struct PeerConfig {
    std::string name;
    std::vector<std::string> local_addrs;   // empty or "%any": any
    std::vector<std::string> remote_addrs;  // empty or "%any": any
    uint16_t local_port = 500;
    uint16_t remote_port = 500;
    std::vector<Proposal> ike_proposals;
    FragmentationPolicy fragmentation = FragmentationPolicy::kYes;
    size_t fragment_size = 1280;  // charon's default
    bool send_certreq = true;
    bool encap = false;           // force UDP encapsulation (fake NAT, like charon's encap=yes)
    Duration dpd_delay{0};        // 0: no DPD
    // IKE_SA rekeying (§2.18), charon's defaults: rekey after rekey_time
    // minus a random part of rand_time, close at rekey_time + over_time if
    // no rekey made it. Zero rekey_time: never rekey.
    Duration rekey_time{4 * 3600 * 1000};
    std::optional<Duration> over_time;  // unset: 10 % of rekey_time
    std::optional<Duration> rand_time;  // unset: over_time
    std::vector<AuthRoundConfig> local;   // rounds in order
    std::vector<AuthRoundConfig> remote;
    std::vector<ChildConfig> children;
    std::vector<std::string> pools;
    std::vector<std::string> vips;        // initiator: "0.0.0.0" asks for a virtual IP

    const ChildConfig* child(const std::string& child_name) const {
        for (const auto& c : children) if (c.name == child_name) return &c;
        return nullptr;
    }
};

// An address lease from a pool, with the pool's DNS servers (RFC 7296 §3.15.1).
struct VirtualIpLease {
    Bytes address;  // 4 octets
    std::vector<Bytes> dns;
};

class ConfigProvider {
public:
    virtual ~ConfigProvider() = default;
    // Connections whose local/remote addresses fit, best first (IKE_SA_INIT,
    // before any identity is known).
    virtual std::vector<std::shared_ptr<const PeerConfig>> match_addresses(const SocketAddress& local,
                                                                          const SocketAddress& remote) const = 0;
    // The connection for IKE_AUTH: addresses, then IDi against remote.id and
    // IDr (if sent) against local.id; nullptr if none fits.
    virtual std::shared_ptr<const PeerConfig> match_identities(const SocketAddress& local, const SocketAddress& remote,
                                                               const Identity& peer_id,
                                                               const Identity* my_id_requested) const = 0;
    // The pre-shared key between two identities (swanctl secrets ike-*).
    virtual std::optional<SecretBytes> shared_key(const Identity& me, const Identity& peer) const = 0;
    // A lease for `peer` from the named pools; nullopt when exhausted.
    virtual std::optional<VirtualIpLease> acquire_lease(const std::vector<std::string>& pools, const Identity& peer) = 0;
    virtual void release_lease(const std::vector<std::string>& pools, ByteView address) = 0;
    // Every trusted CA (swanctl's x509ca/): CERTREQ contents and the
    // default trust anchors.
    virtual std::vector<std::shared_ptr<const crypto::Certificate>> trusted_cas() const { return {}; }
};

}  // namespace lanyard::ike
