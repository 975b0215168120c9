// What methods need from their owner: the peer's credentials (a network
// block), the server's user database, and shared services. Daemons fill
// these from wpa_supplicant.conf, hostapd.conf and the eap_user file; the
// engine never reads files itself.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/random.h"
#include "common/secret.h"
#include "methods/eap_types.h"
#include "tls/tls_engine.h"

namespace lanyard::eap {

inline constexpr size_t kDefaultFragmentSize = 1398;  // wpa_supplicant's fragment_size

// The credentials and options of one network block (wpa_supplicant.conf).
struct PeerCredentials {
    std::string identity;
    std::string anonymous_identity;   // outer identity for tunnelled methods
    SecretBytes password;
    bool password_is_nt_hash = false; // password=hash:<32 hex> (MSCHAPv2)
    // Allowed methods in preference order (eap=); empty means all known.
    std::vector<Type> methods;
    std::string phase1;               // e.g. "peapver=0 crypto_binding=1"
    std::string phase2;               // e.g. "auth=MSCHAPV2"
    size_t fragment_size = kDefaultFragmentSize;
    // Certificates and names (the TLS seam's Config is built from these).
    std::string ca_cert;
    std::string client_cert;
    std::string private_key;
    std::string private_key_passwd;
    std::string domain_match;
    std::string domain_suffix_match;
    // Phase 2 (inner) TLS credentials for PEAP with inner EAP-TLS.
    std::string ca_cert2, client_cert2, private_key2, private_key2_passwd;
};

// Services a peer method gets from its owner. Pointers are not owned and
// outlive the method.
struct PeerEnvironment {
    const PeerCredentials* credentials = nullptr;
    RandomSource* random = nullptr;
    // TLS context for this network block (client role), created by the owner
    // once from the credentials; null when no TLS method is configured.
    tls::Context* tls = nullptr;
    // Client side TLS session cache for this network block: a serialized
    // session to offer, and where to save a new one.
    std::function<std::optional<Bytes>()> load_tls_session;
    std::function<void(ByteView)> save_tls_session;
};

// One entry of the server's user database (hostapd's eap_user file).
struct UserRecord {
    std::string identity;
    bool identity_is_prefix = false;  // "name"* : matches any identity with that prefix
    bool wildcard = false;            // *  : matches any identity
    std::vector<Type> methods;        // allowed methods in order
    bool phase2 = false;              // [2]: valid only inside a tunnel
    SecretBytes password;
    bool password_is_nt_hash = false;
    int peap_version = -1;            // -1: any (hostapd's PEAP version selection)
};

// The server's user database. Lookup gives the record that applies to an
// identity in phase 1 or phase 2, or nothing for an unknown user.
class UserDatabase {
public:
    virtual ~UserDatabase() = default;
    virtual const UserRecord* find(const std::string& identity, bool phase2) const = 0;
};

// A simple in-memory database with hostapd's matching rules: the first
// record that matches in file order wins.
class VectorUserDatabase final : public UserDatabase {
public:
    explicit VectorUserDatabase(std::vector<UserRecord> records) : records_(std::move(records)) {}
    const UserRecord* find(const std::string& identity, bool phase2) const override;
    void add(UserRecord record) { records_.push_back(std::move(record)); }
    size_t size() const { return records_.size(); }

private:
    std::vector<UserRecord> records_;
};

// Services a server method gets from its owner.
struct ServerEnvironment {
    const UserDatabase* users = nullptr;
    RandomSource* random = nullptr;
    tls::Context* tls = nullptr;      // server role; null when no TLS method is served
    size_t fragment_size = kDefaultFragmentSize;
    // true: fragment_size counts Flags + TLS Message Length + TLS Data, as
    // hostapd.conf's fragment_size does (tls_common.h FragmentSizeUnit::kTypeData).
    bool fragment_size_counts_header = false;
    // The identity the peer gave (EAP-Identity) and its record, if known.
    std::string identity;
    const UserRecord* user = nullptr;
};

}  // namespace lanyard::eap
