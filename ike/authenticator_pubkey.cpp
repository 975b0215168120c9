// Public-key authentication (RFC 7296 §2.15, §3.8): RSA (method 1,
// PKCS#1 v1.5 with SHA-1), ECDSA (methods 9-11, RFC 4754: SHA-256/384/512,
// r||s), and RFC 7427 digital signatures (method 14) when the peer
// announced SIGNATURE_HASH_ALGORITHMS; CERT payloads (§3.6) with chain
// validation against the configured CAs and the identity bound to the
// certificate's subjectAltName or subject DN.
#include <algorithm>
#include <cctype>

#include "common/log.h"
#include "ike/authenticator.h"

namespace lanyard::ike {
namespace {

constexpr uint8_t kCertX509Signature = 4;  // §3.6 Cert Encoding

// RFC 7427 Appendix A (facts, not code).
const uint8_t kSha256Rsa[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
const uint8_t kSha384Rsa[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00};
const uint8_t kSha512Rsa[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00};
const uint8_t kEcdsaSha256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
const uint8_t kEcdsaSha384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
const uint8_t kEcdsaSha512[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};

struct KnownAlg {
    ByteView der;
    SignatureScheme scheme;
};
const KnownAlg kKnown[] = {
    {kSha256Rsa, {crypto::HashAlg::kSha256, true}},   {kSha384Rsa, {crypto::HashAlg::kSha384, true}},
    {kSha512Rsa, {crypto::HashAlg::kSha512, true}},   {kEcdsaSha256, {crypto::HashAlg::kSha256, false}},
    {kEcdsaSha384, {crypto::HashAlg::kSha384, false}}, {kEcdsaSha512, {crypto::HashAlg::kSha512, false}},
};

// RFC 7427 §4 hash algorithm numbers.
uint16_t hash_number(crypto::HashAlg h) {
    switch (h) {
        case crypto::HashAlg::kSha256: return 2;
        case crypto::HashAlg::kSha384: return 3;
        case crypto::HashAlg::kSha512: return 4;
        case crypto::HashAlg::kMd5:
        case crypto::HashAlg::kSha1: return 0;
    }
    return 0;
}

// The classic method and hash for a key (§3.8, RFC 4754 §8).
std::pair<AuthMethod, crypto::HashAlg> classic_method(crypto::KeyType t) {
    switch (t) {
        case crypto::KeyType::kRsa: return {AuthMethod::kRsaSignature, crypto::HashAlg::kSha1};
        case crypto::KeyType::kEcdsaP256: return {AuthMethod::kEcdsaSha256P256, crypto::HashAlg::kSha256};
        case crypto::KeyType::kEcdsaP384: return {AuthMethod::kEcdsaSha384P384, crypto::HashAlg::kSha384};
        case crypto::KeyType::kEcdsaP521: return {AuthMethod::kEcdsaSha512P521, crypto::HashAlg::kSha512};
    }
    return {AuthMethod::kRsaSignature, crypto::HashAlg::kSha1};
}

crypto::HashAlg preferred_hash(crypto::KeyType t) {
    switch (t) {
        case crypto::KeyType::kRsa:
        case crypto::KeyType::kEcdsaP256: return crypto::HashAlg::kSha256;
        case crypto::KeyType::kEcdsaP384: return crypto::HashAlg::kSha384;
        case crypto::KeyType::kEcdsaP521: return crypto::HashAlg::kSha512;
    }
    return crypto::HashAlg::kSha256;
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

class PubkeyLocal final : public LocalAuthenticator {
public:
    explicit PubkeyLocal(const AuthRoundConfig& c) : chain_(c.cert_chain), key_(c.private_key) {}

    Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) override {
        for (const auto& cert : chain_) out.push_back(make_payload(CertPayload{kCertX509Signature, cert->der()}));
        auto octets = auth_signed_octets(ctx.octets);
        if (!octets) return octets.error();
        const crypto::HashAlg want = preferred_hash(key_->type());
        const bool digital = std::find(ctx.peer_hash_algorithms.begin(), ctx.peer_hash_algorithms.end(),
                                       hash_number(want)) != ctx.peer_hash_algorithms.end();
        AuthPayload auth;
        if (digital) {
            // RFC 7427 §3: method 14 with the AlgorithmIdentifier first.
            auto sig = key_->sign(want, *octets, crypto::EcdsaEncoding::kDer);
            if (!sig) return sig.error();
            const Bytes alg = rfc7427_algorithm_identifier({want, key_->type() == crypto::KeyType::kRsa});
            auth.method = AuthMethod::kDigitalSignature;
            auth.data.push_back(static_cast<uint8_t>(alg.size()));
            auth.data.insert(auth.data.end(), alg.begin(), alg.end());
            auth.data.insert(auth.data.end(), sig->begin(), sig->end());
        } else {
            auto [method, hash] = classic_method(key_->type());
            auto sig = key_->sign(hash, *octets, crypto::EcdsaEncoding::kFixed);
            if (!sig) return sig.error();
            auth.method = method;
            auth.data = std::move(*sig);
        }
        LOG_DEBUG("ike", "signing AUTH with %s, method %u", crypto::key_type_name(key_->type()),
                  static_cast<unsigned>(auth.method));
        out.push_back(make_payload(std::move(auth)));
        return AuthStatus::kSuccess;
    }
    Result<AuthStatus> process(const AuthRoundContext&, const std::vector<Payload>&) override { return AuthStatus::kSuccess; }
    const char* name() const override { return "pubkey"; }

private:
    std::vector<std::shared_ptr<const crypto::Certificate>> chain_;
    std::shared_ptr<const crypto::PrivateKey> key_;
};

class PubkeyRemote final : public RemoteAuthenticator {
public:
    explicit PubkeyRemote(const AuthRoundConfig& c) : trust_(c.trust) {}

    Result<AuthStatus> process(const AuthRoundContext& ctx, const std::vector<Payload>& in) override {
        const AuthPayload* auth = nullptr;
        std::vector<crypto::Certificate> certs;
        for (const auto& p : in) {
            if (p.payload_type() == PayloadType::kAuth) auth = p.get<AuthPayload>();
            if (const CertPayload* c = p.get<CertPayload>(); c != nullptr && c->encoding == kCertX509Signature) {
                if (certs.size() >= 8) continue;  // bounded chain
                auto cert = crypto::Certificate::from_der(c->data);
                if (!cert) return make_error(ErrorCode::kProtocol, "CERT payload: " + cert.error().detail);
                certs.push_back(std::move(*cert));
            }
        }
        if (auth == nullptr) return make_error(ErrorCode::kProtocol, "AUTH payload missing");
        if (certs.empty()) return make_error(ErrorCode::kAuthFailed, "peer sent no certificate (CERT payload)");
        const std::vector<std::shared_ptr<const crypto::Certificate>> anchors =
            !trust_.empty() ? trust_ : ctx.configs != nullptr ? ctx.configs->trusted_cas()
                                                              : std::vector<std::shared_ptr<const crypto::Certificate>>{};
        const crypto::Certificate& leaf = certs.front();
        std::vector<crypto::Certificate> intermediates(certs.begin() + 1, certs.end());
        auto anchor = crypto::verify_chain(leaf, intermediates, anchors);
        if (!anchor) return make_error(ErrorCode::kAuthFailed, "'" + leaf.subject_text() + "': " + anchor.error().detail);
        if (!identity_matches_certificate(ctx.peer, leaf)) {
            return make_error(ErrorCode::kAuthFailed, "identity '" + ctx.peer.to_string() +
                                                          "' is not confirmed by certificate '" + leaf.subject_text() + "'");
        }
        auto key = crypto::PublicKey::from_certificate(leaf);
        if (!key) return make_error(ErrorCode::kAuthFailed, "certificate key: " + key.error().detail);
        auto octets = auth_signed_octets(ctx.octets);
        if (!octets) return octets.error();
        Status verified = make_error(ErrorCode::kAuthFailed, "AUTH method not supported");
        switch (auth->method) {
            case AuthMethod::kRsaSignature:
                if (key->type() != crypto::KeyType::kRsa) return make_error(ErrorCode::kAuthFailed, "RSA AUTH with a non-RSA key");
                verified = key->verify(crypto::HashAlg::kSha1, *octets, auth->data);
                break;
            case AuthMethod::kEcdsaSha256P256:
            case AuthMethod::kEcdsaSha384P384:
            case AuthMethod::kEcdsaSha512P521: {
                const auto expect = auth->method == AuthMethod::kEcdsaSha256P256   ? crypto::KeyType::kEcdsaP256
                                    : auth->method == AuthMethod::kEcdsaSha384P384 ? crypto::KeyType::kEcdsaP384
                                                                                   : crypto::KeyType::kEcdsaP521;
                if (key->type() != expect) return make_error(ErrorCode::kAuthFailed, "ECDSA AUTH method does not fit the key");
                verified = key->verify(classic_method(expect).second, *octets, auth->data, crypto::EcdsaEncoding::kFixed);
                break;
            }
            case AuthMethod::kDigitalSignature: {
                if (auth->data.empty() || auth->data[0] == 0 || auth->data.size() <= size_t(auth->data[0]) + 1) {
                    return make_error(ErrorCode::kProtocol, "malformed RFC 7427 AUTH data");
                }
                const size_t n = auth->data[0];
                auto scheme = parse_rfc7427_algorithm_identifier(ByteView(auth->data).subspan(1, n));
                if (!scheme) return make_error(ErrorCode::kAuthFailed, scheme.error().detail);
                if (scheme->rsa != (key->type() == crypto::KeyType::kRsa)) {
                    return make_error(ErrorCode::kAuthFailed, "signature scheme does not fit the key");
                }
                verified = key->verify(scheme->hash, *octets, ByteView(auth->data).subspan(1 + n));
                break;
            }
            case AuthMethod::kSharedKeyMic:
            case AuthMethod::kDssSignature:
                return make_error(ErrorCode::kAuthFailed, "peer used AUTH method " +
                                                              std::to_string(static_cast<int>(auth->method)) +
                                                              ", configured pubkey");
        }
        if (!verified) return make_error(ErrorCode::kAuthFailed, "signature of '" + ctx.peer.to_string() + "' does not verify");
        LOG_INFO("ike", "certificate '%s' of '%s' verified (%s)", leaf.subject_text().c_str(), ctx.peer.to_string().c_str(),
                 crypto::key_type_name(key->type()));
        return AuthStatus::kSuccess;
    }
    Result<AuthStatus> build(const AuthRoundContext&, std::vector<Payload>&) override { return AuthStatus::kSuccess; }
    const char* name() const override { return "pubkey"; }

private:
    std::vector<std::shared_ptr<const crypto::Certificate>> trust_;
};

}  // namespace

Bytes rfc7427_algorithm_identifier(SignatureScheme scheme) {
    for (const auto& k : kKnown) {
        if (k.scheme.hash == scheme.hash && k.scheme.rsa == scheme.rsa) return Bytes(k.der.begin(), k.der.end());
    }
    return {};
}

Result<SignatureScheme> parse_rfc7427_algorithm_identifier(ByteView der) {
    for (const auto& k : kKnown) {
        if (equal_bytes(k.der, der)) return k.scheme;
    }
    return make_error(ErrorCode::kUnsupported, "signature algorithm not supported (RSA PKCS#1 v1.5 or ECDSA with SHA-2)");
}

bool identity_matches_certificate(const Identity& id, const crypto::Certificate& cert) {
    if (id.any) return false;
    switch (id.type) {
        case IdType::kFqdn:
            for (const auto& d : cert.san_dns()) if (iequal(d, to_string(id.data))) return true;
            return false;
        case IdType::kRfc822Addr:
            for (const auto& e : cert.san_email()) if (iequal(e, to_string(id.data))) return true;
            return false;
        case IdType::kIpv4Addr:
        case IdType::kIpv6Addr:
            for (const auto& a : cert.san_ip()) if (a == id.data) return true;
            return false;
        case IdType::kDerAsn1Dn:
            return crypto::dn_equal(id.data, cert.subject_der());
        case IdType::kDerAsn1Gn:
        case IdType::kKeyId:
            return false;
    }
    return false;
}

std::unique_ptr<LocalAuthenticator> make_pubkey_local(const AuthRoundConfig& config) {
    return std::make_unique<PubkeyLocal>(config);
}

std::unique_ptr<RemoteAuthenticator> make_pubkey_remote(const AuthRoundConfig& config) {
    return std::make_unique<PubkeyRemote>(config);
}

}  // namespace lanyard::ike
