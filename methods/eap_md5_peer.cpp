#include "methods/eap_md5_peer.h"

#include "common/log.h"
#include "methods/eap_md5_common.h"

namespace lanyard::eap {

// RFC 3748 §5.4: answer the Challenge with MD5(id || password || challenge).
Result<Bytes> Md5Peer::process(uint8_t identifier, ByteView type_data) {
    auto challenge = md5::parse_value(type_data);
    if (!challenge) {
        LOG_DEBUG("eap-md5", "peer drops Request: %s", challenge.error().detail.c_str());
        return challenge.error();
    }
    auto digest = md5::chap_response(identifier, password_, challenge->value);
    if (!digest) return digest.error();
    // RFC 4137 §4.1.2: the peer cannot judge the outcome; the server decides.
    // COND_SUCC lets an EAP-Success (or a lower-layer accept) end it.
    state_ = MethodState::kDone;
    decision_ = Decision::kCondSucc;
    return md5::build_value(*digest, {});
}

std::unique_ptr<PeerMethod> make_md5_peer(const PeerEnvironment& env) {
    if (env.credentials == nullptr || env.credentials->password.empty() || env.credentials->password_is_nt_hash) {
        return nullptr;
    }
    return std::make_unique<Md5Peer>(env.credentials->password);
}

}  // namespace lanyard::eap
