// EAP-GTC, server side (RFC 3748 §5.6): one Request with the prompt
// "Password" (as hostapd), one Response holding the password, compared in
// constant time with the user's plain-text password. Derives no keys.
#pragma once

#include <memory>
#include <string>

#include "methods/eap_config.h"
#include "methods/eap_method.h"

namespace lanyard::eap {

class GtcServer final : public ServerMethod {
public:
    explicit GtcServer(SecretBytes password) : password_(std::move(password)) {}
    Type type() const override { return Type::kGtc; }
    Result<Bytes> build_request(uint8_t identifier) override;
    Status process(ByteView type_data) override;
    bool is_done() const override { return done_; }
    bool is_success() const override { return success_; }
    std::string failure_reason() const override { return failure_reason_; }

    static inline constexpr const char* kPrompt = "Password";
    // Bound on the Response's length (RFC 3748 leaves it open).
    static inline constexpr size_t kMaxResponse = 1024;

    // Registry factory: nullptr without a user record holding a plain-text
    // password (an NT hash cannot check a GTC password).
    static std::unique_ptr<ServerMethod> create(const ServerEnvironment& env);

private:
    SecretBytes password_;
    bool request_sent_ = false;
    bool done_ = false;
    bool success_ = false;
    std::string failure_reason_;
};

}  // namespace lanyard::eap
