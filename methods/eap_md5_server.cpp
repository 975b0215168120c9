#include "methods/eap_md5_server.h"

#include "common/log.h"

namespace lanyard::eap {

// RFC 3748 §5.4: a fresh random challenge per Request.
Result<Bytes> Md5Server::build_request(uint8_t identifier) {
    random_.fill(challenge_);
    identifier_ = identifier;
    challenge_sent_ = true;
    return md5::build_value(challenge_, {});
}

Status Md5Server::process(ByteView type_data) {
    if (!challenge_sent_ || done_) return make_error(ErrorCode::kProtocol, "EAP-MD5 Response without a Challenge");
    auto response = md5::parse_value(type_data);
    if (!response) return response.error();
    if (response->value.size() != md5::kDigestSize) {
        return make_error(ErrorCode::kMalformed,
                          "EAP-MD5 Response Value-Size " + std::to_string(response->value.size()) + " (must be 16)");
    }
    // The Response's Identifier equals the Request's (checked by the
    // authenticator), so identifier_ is the CHAP identifier (RFC 1994 §4.1).
    auto expected = md5::chap_response(identifier_, password_, challenge_);
    if (!expected) return expected.error();
    done_ = true;
    success_ = constant_time_equal(response->value, *expected);
    if (!success_) {
        failure_reason_ = "EAP-MD5: wrong password";
        LOG_DEBUG("eap-md5", "server: response does not match");
    }
    return ok_status();
}

std::unique_ptr<ServerMethod> make_md5_server(const ServerEnvironment& env) {
    if (env.user == nullptr || env.random == nullptr || env.user->password.empty() ||
        env.user->password_is_nt_hash) {
        return nullptr;
    }
    return std::make_unique<Md5Server>(env.user->password, *env.random);
}

}  // namespace lanyard::eap
