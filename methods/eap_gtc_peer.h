// EAP-GTC, peer side (RFC 3748 §5.6): the Request's text is a prompt
// (hostapd sends "Password", some PEAP servers "CHALLENGE=..."); the
// Response is the configured plain-text password. Derives no keys (PEAP
// then uses an all-zero ISK). The EAP-FAST form "RESPONSE=user\0pass" is
// not implemented.
#pragma once

#include <memory>
#include <string>

#include "methods/eap_config.h"
#include "methods/eap_method.h"

namespace lanyard::eap {

class GtcPeer final : public PeerMethod {
public:
    explicit GtcPeer(SecretBytes password) : password_(std::move(password)) {}
    Type type() const override { return Type::kGtc; }
    Result<Bytes> process(uint8_t identifier, ByteView type_data) override;
    MethodState state() const override { return state_; }
    Decision decision() const override { return decision_; }
    // The last prompt the server sent (printable for logs).
    const std::string& last_prompt() const { return prompt_; }

    // Registry factory: nullptr without a plain-text password.
    static std::unique_ptr<PeerMethod> create(const PeerEnvironment& env);

private:
    SecretBytes password_;
    std::string prompt_;
    MethodState state_ = MethodState::kInit;
    Decision decision_ = Decision::kFail;
};

}  // namespace lanyard::eap
