// The TLS seam: one backend-neutral interface, bytes in and bytes out, no
// sockets. EAP methods drive it from the bottom (strongSwan's libtls style).
// No OpenSSL or mbedTLS type crosses this header; backends live in
// tls/openssl/ and tls/mbedtls/ and are chosen at build time (make TLS=...).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::tls {

enum class Role { kClient, kServer };
// Oldest first: the enumerators compare in protocol order.
enum class Version { kTls10, kTls11, kTls12, kTls13 };

const char* version_name(Version v);

// Where a handshake stands after the last feed().
enum class HandshakeState {
    kInProgress,  // more records are needed from the peer
    kEstablished, // handshake finished; keys can be exported
    kFailed,      // fatal alert sent or received; see failure()
};

// A certificate seen from the peer, for logs and policy.
struct PeerCertificate {
    std::string subject;
    std::string issuer;
    std::vector<std::string> dns_names;  // subjectAltName dNSName entries
    Bytes der;
};

// What the owner (an EAP method server) decides may be stored and resumed.
// Backends call these; the owner answers. A backend never caches sessions on
// its own when a store is configured.
class SessionStore {
public:
    virtual ~SessionStore() = default;
    // Server: the backend has a new session that may be resumed later. The
    // owner may keep it now or only after the EAP method succeeded (see
    // Engine::session_id()).
    virtual void put(ByteView session_id, ByteView serialized_session) = 0;
    // Server: a client offered this session id (or stateful ticket).
    virtual std::optional<Bytes> get(ByteView session_id) = 0;
    // Server: the session must not be resumed any more.
    virtual void remove(ByteView session_id) = 0;
    // The owner's record of why a session may be resumed (for EAP: the method
    // and the identity that succeeded with it). A store that keeps records
    // offers a session for resumption only once it has one, so a session of
    // an authentication that never succeeded is never resumed. By default a
    // store keeps none.
    virtual void set_record(ByteView session_id, ByteView record) {
        (void)session_id;
        (void)record;
    }
    virtual std::optional<Bytes> record(ByteView session_id) {
        (void)session_id;
        return std::nullopt;
    }
};

struct Config {
    Role role = Role::kClient;
    // PEM files. ca_file: trust anchors used to verify the peer. cert_file and
    // key_file: our own certificate (and chain) and key.
    std::string ca_file;
    // Further trust-anchor files beside ca_file (swanctl's x509ca/ holds
    // one CA per file).
    std::vector<std::string> extra_ca_files;
    std::string cert_file;
    std::string key_file;
    std::string key_password;       // empty: key is not encrypted
    // Client: the server's certificate must match. domain_match is an exact
    // match against a SAN dNSName (or CN when the certificate has no dNSName);
    // domain_suffix_match matches that name or any subdomain of it.
    // Multiple names may be separated by ';' as in wpa_supplicant.
    std::string domain_match;
    std::string domain_suffix_match;
    // Server: ask for and require a client certificate (EAP-TLS). This is
    // the default of new_engine() without options; methods choose per
    // connection with EngineOptions (one server serves EAP-TLS and PEAP).
    bool require_peer_certificate = false;
    // Client: verify the server against ca_file. Off only when the user says so
    // explicitly (no ca_cert configured is an error for callers to reject).
    bool verify_peer = true;
    Version min_version = Version::kTls12;
    Version max_version = Version::kTls13;
    // Server: an optional store for session resumption (not owned).
    SessionStore* session_store = nullptr;
    // Server: session lifetime in seconds (hostapd's tls_session_lifetime);
    // 0 disables resumption.
    unsigned session_lifetime_seconds = 0;
    // Cipher list for TLS <= 1.2 in OpenSSL syntax; empty: the backend default.
    std::string cipher_list;
};

// One TLS connection driven by records.
class Engine {
public:
    virtual ~Engine() = default;

    // Client: a serialized session from an earlier handshake to offer for
    // resumption. Must be called before the first feed()/start().
    virtual Status set_resumption_session(ByteView serialized_session) = 0;

    // Client: produces the ClientHello. Server: nothing to do (waits for input).
    virtual Status start() = 0;
    // Records received from the peer. Errors mean the handshake failed; any
    // alert to send is in take_output().
    virtual Status feed(ByteView records) = 0;
    // Records to send to the peer (may be empty).
    virtual Bytes take_output() = 0;
    virtual bool has_output() const = 0;

    virtual HandshakeState state() const = 0;
    // Why the handshake failed, for logs (no secrets).
    virtual std::string failure() const = 0;

    // Application data through the established tunnel (PEAP phase 2).
    virtual Status write_application_data(ByteView data) = 0;
    // Decrypted application data received so far; empties the buffer.
    virtual Bytes take_application_data() = 0;

    // After the handshake.
    virtual bool resumed() const = 0;
    virtual Version version() const = 0;
    virtual std::string cipher_name() const = 0;
    virtual Bytes client_random() const = 0;
    virtual Bytes server_random() const = 0;
    // TLS 1.2: TLS-PRF(master_secret, label, client.random || server.random)
    // when context is empty (RFC 5705 with no context is identical to the
    // RFC 5216 derivation). TLS 1.3: the RFC 8446 §7.5 exporter with context.
    virtual Result<SecretBytes> export_keying_material(std::string_view label, ByteView context,
                                                       bool use_context, size_t length) = 0;
    // TLS 1.2 only: PRF(master_secret, label, seed) with an arbitrary seed
    // (PEAPv1/v2 and TTLS derivations). TLS 1.3: kUnsupported.
    virtual Result<SecretBytes> prf(std::string_view label, ByteView seed, size_t length) = 0;
    // The session id under which a server stored or a client can resume the
    // session (empty before the handshake).
    virtual Bytes session_id() const = 0;
    // Client: the session to keep for later resumption (empty if none).
    virtual Bytes serialized_session() const = 0;
    // The peer's certificates, leaf first (empty when none was sent).
    virtual std::vector<PeerCertificate> peer_certificates() const = 0;
};

// What the method decides per connection rather than per context.
struct EngineOptions {
    // Server: request a client certificate and fail the handshake without a
    // valid one (EAP-TLS, RFC 5216 §2.1.1). PEAP servers do not ask for one
    // ([MS-PEAP] §3.2.5.4), so a server context serving both methods makes
    // each engine with the policy of the method that runs.
    bool require_peer_certificate = false;
};

// Holds loaded credentials and settings; makes engines. Loading is done once;
// every error names the file.
class Context {
public:
    virtual ~Context() = default;
    // nullptr when the backend cannot make one (logged).
    virtual std::unique_ptr<Engine> new_engine(const EngineOptions& options) = 0;
    std::unique_ptr<Engine> new_engine() {
        return new_engine(EngineOptions{config().require_peer_certificate});
    }
    virtual const Config& config() const = 0;
};

// The backend-neutral checks of a Config (version range, what each role needs);
// every backend runs them first in make_context().
Status validate_config(const Config& config);

// Implemented by the backend chosen at build time.
Result<std::unique_ptr<Context>> make_context(const Config& config);
// "openssl 3.0.x" or "mbedtls 2.28.x".
std::string backend_name();

}  // namespace lanyard::tls
