// EAP-MD5-Challenge, server side (RFC 3748 §5.4). Derives no keys.
#pragma once

#include <array>
#include <memory>

#include "common/random.h"
#include "methods/eap_config.h"
#include "methods/eap_md5_common.h"
#include "methods/eap_method.h"

namespace lanyard::eap {

class Md5Server final : public ServerMethod {
public:
    Md5Server(SecretBytes password, RandomSource& random) : password_(std::move(password)), random_(random) {}
    Type type() const override { return Type::kMd5Challenge; }
    Result<Bytes> build_request(uint8_t identifier) override;
    Status process(ByteView type_data) override;
    bool is_done() const override { return done_; }
    bool is_success() const override { return success_; }
    std::string failure_reason() const override { return failure_reason_; }

private:
    SecretBytes password_;
    RandomSource& random_;
    std::array<uint8_t, md5::kServerChallengeSize> challenge_{};
    uint8_t identifier_ = 0;
    bool challenge_sent_ = false;
    bool done_ = false;
    bool success_ = false;
    std::string failure_reason_;
};

// Registry factory: nullptr without a user record holding a plain-text
// password, or without a random source.
std::unique_ptr<ServerMethod> make_md5_server(const ServerEnvironment& env);

}  // namespace lanyard::eap
