#include "methods/eap_gtc_peer.h"

#include "common/log.h"

namespace lanyard::eap {

namespace {
constexpr const char* kLog = "eap-gtc";
constexpr size_t kMaxPromptLogged = 128;
}

// RFC 3748 §5.6: the Request's data is a displayable message (possibly
// empty); the Response carries the password. The same answer is given to
// every Request (each is a new prompt).
Result<Bytes> GtcPeer::process(uint8_t /*identifier*/, ByteView type_data) {
    prompt_.clear();
    for (uint8_t c : type_data.first(std::min(type_data.size(), kMaxPromptLogged))) {
        prompt_.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.');
    }
    LOG_DEBUG(kLog, "peer: prompt '%s'", prompt_.c_str());
    // RFC 4137 §4.1.2: the server decides; an EAP-Success ends it.
    state_ = MethodState::kDone;
    decision_ = Decision::kCondSucc;
    return Bytes(password_.view().begin(), password_.view().end());
}

std::unique_ptr<PeerMethod> GtcPeer::create(const PeerEnvironment& env) {
    if (env.credentials == nullptr || env.credentials->password.empty() || env.credentials->password_is_nt_hash) {
        return nullptr;
    }
    return std::make_unique<GtcPeer>(env.credentials->password);
}

}  // namespace lanyard::eap
