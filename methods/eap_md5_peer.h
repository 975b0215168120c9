// EAP-MD5-Challenge, peer side (RFC 3748 §5.4). Derives no keys.
#pragma once

#include <memory>

#include "methods/eap_config.h"
#include "methods/eap_method.h"

namespace lanyard::eap {

class Md5Peer final : public PeerMethod {
public:
    explicit Md5Peer(SecretBytes password) : password_(std::move(password)) {}
    Type type() const override { return Type::kMd5Challenge; }
    Result<Bytes> process(uint8_t identifier, ByteView type_data) override;
    MethodState state() const override { return state_; }
    Decision decision() const override { return decision_; }

private:
    SecretBytes password_;
    MethodState state_ = MethodState::kInit;
    Decision decision_ = Decision::kFail;
};

// Registry factory: nullptr without a usable (plain-text) password.
std::unique_ptr<PeerMethod> make_md5_peer(const PeerEnvironment& env);

}  // namespace lanyard::eap
