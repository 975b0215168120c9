// Pre-shared key authentication, AUTH method 2 (RFC 7296 §2.15, §3.8).
#include "common/log.h"
#include "crypto/prf_plus.h"
#include "ike/authenticator.h"

namespace lanyard::ike {

Result<Bytes> auth_signed_octets(const AuthOctetsInput& in) {
    const Bytes rest = id_payload_body(in.signer);
    auto maced_id = crypto::ike_prf(in.prf, in.sk_p, rest);
    if (!maced_id) return maced_id.error();
    Bytes out(in.sa_init_message.begin(), in.sa_init_message.end());
    out.insert(out.end(), in.peer_nonce.begin(), in.peer_nonce.end());
    out.insert(out.end(), maced_id->view().begin(), maced_id->view().end());
    return out;
}

Result<Bytes> psk_auth_value(crypto::HashAlg prf, ByteView shared_secret, ByteView signed_octets) {
    static constexpr std::string_view kKeyPad = "Key Pad for IKEv2";
    auto inner = crypto::ike_prf(prf, shared_secret, as_bytes(kKeyPad));
    if (!inner) return inner.error();
    auto outer = crypto::ike_prf(prf, inner->view(), signed_octets);
    if (!outer) return outer.error();
    return Bytes(outer->view().begin(), outer->view().end());
}

namespace {

Result<SecretBytes> lookup_key(const AuthRoundContext& ctx) {
    if (ctx.configs == nullptr) return make_error(ErrorCode::kInternal, "no config provider");
    auto key = ctx.configs->shared_key(ctx.me, ctx.peer);
    if (!key) {
        return make_error(ErrorCode::kAuthFailed, "no shared key found for '" + ctx.me.to_string() + "' - '" +
                                                      ctx.peer.to_string() + "'");
    }
    return std::move(*key);
}

class PskLocal final : public LocalAuthenticator {
public:
    Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) override {
        auto key = lookup_key(ctx);
        if (!key) return key.error();
        auto octets = auth_signed_octets(ctx.octets);
        if (!octets) return octets.error();
        auto value = psk_auth_value(ctx.octets.prf, key->view(), *octets);
        if (!value) return value.error();
        out.push_back(make_payload(AuthPayload{AuthMethod::kSharedKeyMic, std::move(*value)}));
        return AuthStatus::kSuccess;
    }
    Result<AuthStatus> process(const AuthRoundContext&, const std::vector<Payload>&) override {
        return AuthStatus::kSuccess;
    }
    const char* name() const override { return "psk"; }
};

class PskRemote final : public RemoteAuthenticator {
public:
    Result<AuthStatus> process(const AuthRoundContext& ctx, const std::vector<Payload>& in) override {
        const AuthPayload* auth = nullptr;
        for (const auto& p : in) {
            if (p.payload_type() == PayloadType::kAuth) auth = p.get<AuthPayload>();
        }
        if (auth == nullptr) return make_error(ErrorCode::kProtocol, "AUTH payload missing");
        if (auth->method != AuthMethod::kSharedKeyMic) {
            return make_error(ErrorCode::kAuthFailed, "peer used AUTH method " +
                                                          std::to_string(static_cast<int>(auth->method)) +
                                                          ", configured psk");
        }
        auto key = lookup_key(ctx);
        if (!key) return key.error();
        auto octets = auth_signed_octets(ctx.octets);
        if (!octets) return octets.error();
        auto expected = psk_auth_value(ctx.octets.prf, key->view(), *octets);
        if (!expected) return expected.error();
        if (!constant_time_equal(*expected, auth->data)) {
            return make_error(ErrorCode::kAuthFailed, "pre-shared key AUTH of '" + ctx.peer.to_string() + "' is wrong");
        }
        return AuthStatus::kSuccess;
    }
    Result<AuthStatus> build(const AuthRoundContext&, std::vector<Payload>&) override { return AuthStatus::kSuccess; }
    const char* name() const override { return "psk"; }
};

}  // namespace

Result<std::unique_ptr<LocalAuthenticator>> make_local_authenticator(const AuthRoundConfig& config) {
    switch (config.auth) {
        case AuthClass::kPsk: return std::unique_ptr<LocalAuthenticator>(new PskLocal());
        case AuthClass::kPubkey:
            if (!config.private_key || config.cert_chain.empty()) {
                return make_error(ErrorCode::kConfig, "auth = pubkey needs a certificate and its private key");
            }
            return make_pubkey_local(config);
        case AuthClass::kEap: return make_eap_local(config);
    }
    return make_error(ErrorCode::kInternal, "bad auth class");
}

Result<std::unique_ptr<RemoteAuthenticator>> make_remote_authenticator(const AuthRoundConfig& config) {
    switch (config.auth) {
        case AuthClass::kPsk: return std::unique_ptr<RemoteAuthenticator>(new PskRemote());
        case AuthClass::kPubkey: return make_pubkey_remote(config);
        case AuthClass::kEap: return make_eap_remote(config);
    }
    return make_error(ErrorCode::kInternal, "bad auth class");
}

}  // namespace lanyard::ike
