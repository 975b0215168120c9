#include "methods/eap_mschapv2_server.h"

#include "common/log.h"
#include "crypto/legacy.h"

namespace lanyard::eap {

namespace {
constexpr const char* kLog = "eap-mschapv2";
}

MschapV2Server::MschapV2Server(std::string identity, SecretBytes password_hash, RandomSource& random)
    : identity_(std::move(identity)), password_hash_(std::move(password_hash)), random_(random) {}

Result<Bytes> MschapV2Server::build_request(uint8_t identifier) {
    switch (phase_) {
        case Phase::kSendChallenge:
        case Phase::kWaitResponse:
            // draft-kamath §2.1: a fresh challenge; MS-CHAPv2-ID follows the
            // EAP Identifier (as hostapd).
            random_.fill(challenge_);
            ms_id_ = identifier;
            phase_ = Phase::kWaitResponse;
            return mschapv2::build_challenge(ms_id_, challenge_, kServerName);
        case Phase::kSendSuccess:
        case Phase::kWaitSuccessAck:
            phase_ = Phase::kWaitSuccessAck;
            return mschapv2::build_success_request(ms_id_, auth_response_, "OK");
        case Phase::kSendFailure:
        case Phase::kWaitFailureAck: {
            // RFC 2759 §6: E=691 authentication failure, no retry, a new
            // challenge for form's sake, version 3.
            mschapv2::FailureMessage f;
            f.error = mschapv2::kErrorAuthenticationFailure;
            f.retry = false;
            std::array<uint8_t, mschapv2::kChallengeSize> c{};
            random_.fill(c);
            f.challenge = c;
            f.version = 3;
            f.message = "FAILED";
            phase_ = Phase::kWaitFailureAck;
            return mschapv2::build_failure_request(ms_id_, f);
        }
        case Phase::kDone: break;
    }
    return make_error(ErrorCode::kInternal, "EAP-MSCHAPv2 server asked for a Request after the end");
}

Status MschapV2Server::process(ByteView type_data) {
    auto op = mschapv2::peek_opcode(type_data);
    if (!op) return op.error();
    switch (phase_) {
        case Phase::kWaitResponse:
            if (*op == mschapv2::OpCode::kChangePassword) {
                finish(false, "EAP-MSCHAPv2: Change-Password (OpCode 7) is not supported");
                return ok_status();
            }
            if (*op != mschapv2::OpCode::kResponse) break;
            return on_response(type_data);
        case Phase::kWaitSuccessAck:
            // draft-kamath §2.3: Success Response. A Failure Response means the
            // peer rejected our authenticator response.
            if (*op == mschapv2::OpCode::kSuccess) {
                finish(true, {});
                return ok_status();
            }
            if (*op == mschapv2::OpCode::kFailure) {
                finish(false, "EAP-MSCHAPv2: peer rejected the Success Request (authenticator response)");
                return ok_status();
            }
            break;
        case Phase::kWaitFailureAck:
            if (*op == mschapv2::OpCode::kFailure) {
                finish(false, failure_reason_);
                return ok_status();
            }
            break;
        case Phase::kSendChallenge:
        case Phase::kSendSuccess:
        case Phase::kSendFailure:
        case Phase::kDone: break;
    }
    return make_error(ErrorCode::kProtocol, std::string("EAP-MSCHAPv2 unexpected ") +
                                                mschapv2::opcode_name(static_cast<uint8_t>(*op)) + " Response");
}

// RFC 2759 §4/§5: recompute the NT-Response; right → Success Request with
// the authenticator response, wrong → Failure Request.
Status MschapV2Server::on_response(ByteView type_data) {
    auto header = mschapv2::parse_header(type_data);
    if (!header) return header.error();
    auto resp = mschapv2::parse_response(*header);
    if (!resp) return resp.error();
    if (resp->ms_id != ms_id_) {
        return make_error(ErrorCode::kProtocol, "EAP-MSCHAPv2 Response MS-CHAPv2-ID " + std::to_string(resp->ms_id) +
                                                    " does not match " + std::to_string(ms_id_));
    }
    const std::string_view username = mschapv2::strip_domain(resp->name);
    if (username != mschapv2::strip_domain(identity_)) {
        LOG_DEBUG(kLog, "server: Name '%s' does not match identity '%s'", resp->name.c_str(), identity_.c_str());
        failure_reason_ = "EAP-MSCHAPv2: Name does not match the EAP identity";
        phase_ = Phase::kSendFailure;
        return ok_status();
    }
    auto expected = mschapv2::generate_nt_response(challenge_, resp->peer_challenge, username, password_hash_.view());
    if (!expected) return expected.error();
    if (!constant_time_equal(*expected, resp->nt_response)) {
        failure_reason_ = "EAP-MSCHAPv2: wrong password";
        phase_ = Phase::kSendFailure;
        return ok_status();
    }
    auto auth = mschapv2::generate_authenticator_response(password_hash_.view(), resp->nt_response,
                                                          resp->peer_challenge, challenge_, username);
    if (!auth) return auth.error();
    auto hash_hash = mschapv2::hash_nt_password_hash(password_hash_.view());
    if (!hash_hash) return hash_hash.error();
    auth_response_ = *auth;
    master_key_ = mschapv2::get_master_key(hash_hash->view(), resp->nt_response);
    phase_ = Phase::kSendSuccess;
    return ok_status();
}

void MschapV2Server::finish(bool success, std::string reason) {
    phase_ = Phase::kDone;
    success_ = success;
    failure_reason_ = std::move(reason);
    if (!success) master_key_.wipe();
    LOG_DEBUG(kLog, "server: %s%s", success ? "success" : "failure: ", failure_reason_.c_str());
}

Keys MschapV2Server::keys() const {
    Keys k;
    if (is_success()) k.msk = mschapv2::derive_msk(master_key_.view());
    return k;
}

SecretBytes MschapV2Server::inner_session_key() const {
    if (!is_success()) return {};
    return mschapv2::derive_isk(master_key_.view());
}

std::unique_ptr<ServerMethod> MschapV2Server::create(const ServerEnvironment& env) {
    if (env.user == nullptr || env.random == nullptr || env.user->password.empty()) return nullptr;
    if (!crypto::legacy_available()) {
        LOG_ERROR(kLog, "EAP-MSCHAPv2 unavailable: OpenSSL legacy provider not available: MD4/DES need it");
        return nullptr;
    }
    auto hash = mschapv2::password_hash_for(env.user->password, env.user->password_is_nt_hash);
    if (!hash) {
        LOG_ERROR(kLog, "EAP-MSCHAPv2 unavailable for '%s': %s", env.identity.c_str(), hash.error().detail.c_str());
        return nullptr;
    }
    return std::make_unique<MschapV2Server>(env.identity, std::move(*hash), *env.random);
}

}  // namespace lanyard::eap
