#include "methods/eap_gtc_server.h"

#include "common/log.h"

namespace lanyard::eap {

namespace {
constexpr const char* kLog = "eap-gtc";
}

// RFC 3748 §5.6: one Request with a prompt.
Result<Bytes> GtcServer::build_request(uint8_t /*identifier*/) {
    request_sent_ = true;
    return to_bytes(kPrompt);
}

Status GtcServer::process(ByteView type_data) {
    if (!request_sent_ || done_) return make_error(ErrorCode::kProtocol, "EAP-GTC Response without a Request");
    if (type_data.size() > kMaxResponse) {
        return make_error(ErrorCode::kLimit, "EAP-GTC Response longer than " + std::to_string(kMaxResponse) + " octets");
    }
    done_ = true;
    success_ = constant_time_equal(type_data, password_.view());
    if (!success_) {
        failure_reason_ = "EAP-GTC: wrong password";
        LOG_DEBUG(kLog, "server: password does not match");
    }
    return ok_status();
}

std::unique_ptr<ServerMethod> GtcServer::create(const ServerEnvironment& env) {
    if (env.user == nullptr || env.user->password.empty() || env.user->password_is_nt_hash) return nullptr;
    return std::make_unique<GtcServer>(env.user->password);
}

}  // namespace lanyard::eap
