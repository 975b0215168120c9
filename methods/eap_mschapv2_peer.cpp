#include "methods/eap_mschapv2_peer.h"

#include "common/log.h"
#include "crypto/legacy.h"

namespace lanyard::eap {

namespace {
constexpr const char* kLog = "eap-mschapv2";
}

MschapV2Peer::MschapV2Peer(std::string identity, SecretBytes password_hash, RandomSource& random)
    : identity_(std::move(identity)), password_hash_(std::move(password_hash)), random_(random) {}

Result<Bytes> MschapV2Peer::process(uint8_t /*identifier*/, ByteView type_data) {
    auto header = mschapv2::parse_header(type_data);
    if (!header) {
        LOG_DEBUG(kLog, "peer drops Request: %s", header.error().detail.c_str());
        return header.error();
    }
    Result<Bytes> out = make_error(ErrorCode::kInternal, "unreached");
    switch (header->op) {
        case mschapv2::OpCode::kChallenge: out = on_challenge(*header); break;
        case mschapv2::OpCode::kSuccess: out = on_success(*header); break;
        case mschapv2::OpCode::kFailure: out = on_failure(*header); break;
        case mschapv2::OpCode::kResponse:
        case mschapv2::OpCode::kChangePassword:
            out = make_error(ErrorCode::kProtocol, std::string("EAP-MSCHAPv2 ") +
                                                       mschapv2::opcode_name(static_cast<uint8_t>(header->op)) +
                                                       " is not a Request OpCode");
            break;
    }
    if (!out) LOG_DEBUG(kLog, "peer drops Request: %s", out.error().detail.c_str());
    return out;
}

// draft-kamath §2.1/§2.2, RFC 2759 §4: answer with a fresh Peer-Challenge
// and the NT-Response.
Result<Bytes> MschapV2Peer::on_challenge(const mschapv2::Header& header) {
    if (phase_ != Phase::kWaitChallenge) {
        return make_error(ErrorCode::kProtocol, "EAP-MSCHAPv2 Challenge after the Response was sent");
    }
    auto challenge = mschapv2::parse_challenge(header);
    if (!challenge) return challenge.error();
    std::array<uint8_t, mschapv2::kChallengeSize> peer_challenge{};
    random_.fill(peer_challenge);
    const std::string_view username = mschapv2::strip_domain(identity_);
    auto nt_response =
        mschapv2::generate_nt_response(challenge->challenge, peer_challenge, username, password_hash_.view());
    if (!nt_response) return nt_response.error();
    auto auth = mschapv2::generate_authenticator_response(password_hash_.view(), *nt_response, peer_challenge,
                                                          challenge->challenge, username);
    if (!auth) return auth.error();
    auto hash_hash = mschapv2::hash_nt_password_hash(password_hash_.view());
    if (!hash_hash) return hash_hash.error();
    expected_auth_response_ = *auth;
    master_key_ = mschapv2::get_master_key(hash_hash->view(), *nt_response);
    phase_ = Phase::kWaitResult;
    // RFC 4137 §4.1.2: the method continues until Success/Failure.
    state_ = MethodState::kCont;
    decision_ = Decision::kFail;
    return mschapv2::build_response(header.ms_id, peer_challenge, *nt_response, identity_);
}

// RFC 2759 §5 and §8.8: the peer must check the authenticator response and
// end the session when it is missing or wrong.
Result<Bytes> MschapV2Peer::on_success(const mschapv2::Header& header) {
    if (phase_ != Phase::kWaitResult) {
        return make_error(ErrorCode::kProtocol, "EAP-MSCHAPv2 Success Request before our Response");
    }
    const mschapv2::SuccessMessage msg = mschapv2::parse_success_message(to_string(header.data));
    if (!msg.auth_response) return fail_with("EAP-MSCHAPv2: Success Request without a valid S=<40 hex>");
    if (!mschapv2::check_authenticator_response(*msg.auth_response, expected_auth_response_)) {
        return fail_with("EAP-MSCHAPv2: server's authenticator response is wrong (server does not know the password)");
    }
    LOG_DEBUG(kLog, "peer: authenticator response verified");
    phase_ = Phase::kDone;
    success_ = true;
    state_ = MethodState::kDone;
    decision_ = Decision::kUncondSucc;
    return mschapv2::build_opcode_only(mschapv2::OpCode::kSuccess);
}

// RFC 2759 §6: parse E/R/C/V/M; retries and password change are not
// supported, so every Failure ends the method.
Result<Bytes> MschapV2Peer::on_failure(const mschapv2::Header& header) {
    if (phase_ == Phase::kDone) return make_error(ErrorCode::kProtocol, "EAP-MSCHAPv2 Failure Request after the end");
    auto failure = mschapv2::parse_failure_message(to_string(header.data));
    if (!failure) return failure.error();
    std::string why = "EAP-MSCHAPv2 Failure E=" + std::to_string(failure->error);
    switch (failure->error) {
        case mschapv2::kErrorAuthenticationFailure: why += " (authentication failure)"; break;
        case mschapv2::kErrorPasswordExpired: why += " (password expired; changing it is not supported)"; break;
        case mschapv2::kErrorRestrictedLogonHours: why += " (restricted logon hours)"; break;
        case mschapv2::kErrorAccountDisabled: why += " (account disabled)"; break;
        case mschapv2::kErrorNoDialinPermission: why += " (no dial-in permission)"; break;
        default: break;
    }
    if (failure->retry) why += " R=1 (retry not supported)";
    last_failure_ = std::move(*failure);
    return fail_with(why);
}

Bytes MschapV2Peer::fail_with(std::string reason) {
    LOG_DEBUG(kLog, "peer fails: %s", reason.c_str());
    failure_reason_ = std::move(reason);
    phase_ = Phase::kDone;
    success_ = false;
    master_key_.wipe();
    state_ = MethodState::kDone;
    decision_ = Decision::kFail;
    return mschapv2::build_opcode_only(mschapv2::OpCode::kFailure);
}

Keys MschapV2Peer::keys() const {
    Keys k;
    if (success_) k.msk = mschapv2::derive_msk(master_key_.view());
    return k;
}

SecretBytes MschapV2Peer::inner_session_key() const {
    if (!success_) return {};
    return mschapv2::derive_isk(master_key_.view());
}

std::unique_ptr<PeerMethod> MschapV2Peer::create(const PeerEnvironment& env) {
    if (env.credentials == nullptr || env.random == nullptr || env.credentials->identity.empty() ||
        env.credentials->password.empty()) {
        return nullptr;
    }
    if (!crypto::legacy_available()) {
        LOG_ERROR(kLog, "EAP-MSCHAPv2 unavailable: OpenSSL legacy provider not available: MD4/DES need it");
        return nullptr;
    }
    auto hash = mschapv2::password_hash_for(env.credentials->password, env.credentials->password_is_nt_hash);
    if (!hash) {
        LOG_ERROR(kLog, "EAP-MSCHAPv2 unavailable: %s", hash.error().detail.c_str());
        return nullptr;
    }
    return std::make_unique<MschapV2Peer>(env.credentials->identity, std::move(*hash), *env.random);
}

}  // namespace lanyard::eap
