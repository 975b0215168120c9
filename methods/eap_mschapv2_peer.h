// EAP-MSCHAPv2, peer side (draft-kamath-pppext-eap-mschapv2-02, RFC 2759,
// RFC 3079). Usable in phase 1 and as PEAP's inner method.
//
//   Challenge  -> Response (Name = the identity as configured; the hashed
//                 user name drops any "DOMAIN\" prefix, as wpa_supplicant)
//   Success    -> verify "S=<40 hex>" (constant time); right: Success
//                 Response, state DONE / UNCOND_SUCC, keys available;
//                 forged or missing: Failure Response, DONE / FAIL (the
//                 peer never accepts an EAP-Success afterwards)
//   Failure    -> parsed E/R/C/V/M (kept in last_failure()), Failure
//                 Response, DONE / FAIL
// Malformed Requests are dropped (process() returns an error).
//
// Keys (see methods/mschapv2.h): keys().msk = MasterSendKey |
// MasterReceiveKey | 32 zeros as this peer sees them (= the server's
// MasterReceiveKey | MasterSendKey); inner_session_key() = its first 32
// octets. No EMSK, no Session-Id.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "common/random.h"
#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/mschapv2_codec.h"

namespace lanyard::eap {

class MschapV2Peer final : public PeerMethod {
public:
    // password_hash: the 16-octet NtPasswordHash (already computed).
    MschapV2Peer(std::string identity, SecretBytes password_hash, RandomSource& random);

    Type type() const override { return Type::kMschapV2; }
    Result<Bytes> process(uint8_t identifier, ByteView type_data) override;
    MethodState state() const override { return state_; }
    Decision decision() const override { return decision_; }
    bool key_available() const override { return success_; }
    Keys keys() const override;
    SecretBytes inner_session_key() const override;
    std::string failure_reason() const override { return failure_reason_; }

    // The last Failure Request's fields (E=691 etc.), if one arrived.
    const std::optional<mschapv2::FailureMessage>& last_failure() const { return last_failure_; }

    // Registry factory: nullptr without an identity or a password; logs an
    // error and returns nullptr when MD4/DES are unavailable (the OpenSSL
    // legacy provider is missing).
    static std::unique_ptr<PeerMethod> create(const PeerEnvironment& env);

private:
    enum class Phase { kWaitChallenge, kWaitResult, kDone };

    Result<Bytes> on_challenge(const mschapv2::Header& header);
    Result<Bytes> on_success(const mschapv2::Header& header);
    Result<Bytes> on_failure(const mschapv2::Header& header);
    Bytes fail_with(std::string reason);

    std::string identity_;
    SecretBytes password_hash_;
    RandomSource& random_;
    Phase phase_ = Phase::kWaitChallenge;
    MethodState state_ = MethodState::kInit;
    Decision decision_ = Decision::kFail;
    bool success_ = false;
    std::array<uint8_t, mschapv2::kAuthResponseSize> expected_auth_response_{};
    SecretBytes master_key_;
    std::optional<mschapv2::FailureMessage> last_failure_;
    std::string failure_reason_;
};

}  // namespace lanyard::eap
