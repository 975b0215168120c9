// EAP-MSCHAPv2, server side (draft-kamath-pppext-eap-mschapv2-02, RFC 2759,
// RFC 3079). Usable in phase 1 and as PEAP's inner method.
//
//   Challenge (16 random octets, Name "lanyard", MS-CHAPv2-ID = EAP id)
//   Response  -> check the NT-Response against the user's password
//                (UserRecord: plain text or NT hash) and that the Name
//                (without "DOMAIN\") matches the EAP identity (without it)
//   Success Request "S=<40 hex> M=OK"  -> Success Response -> success
//   Failure Request "E=691 R=0 C=<32 hex> V=3 M=FAILED" -> Failure Response
//                                                        -> failure
// A Failure Response to a Success Request (the peer rejected our
// authenticator response) ends in failure; Change-Password (OpCode 7) is
// not supported and ends in failure with that reason.
//
// Keys (see methods/mschapv2.h): keys().msk = MasterReceiveKey |
// MasterSendKey | 32 zeros as this server sees them (= the peer's
// MasterSendKey | MasterReceiveKey); inner_session_key() = its first 32
// octets. Equal to the peer's.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "common/random.h"
#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/mschapv2_codec.h"

namespace lanyard::eap {

class MschapV2Server final : public ServerMethod {
public:
    // password_hash: the user's 16-octet NtPasswordHash; identity: the EAP
    // identity of the peer (its Name must match it, domains stripped).
    MschapV2Server(std::string identity, SecretBytes password_hash, RandomSource& random);

    Type type() const override { return Type::kMschapV2; }
    Result<Bytes> build_request(uint8_t identifier) override;
    Status process(ByteView type_data) override;
    bool is_done() const override { return phase_ == Phase::kDone; }
    bool is_success() const override { return phase_ == Phase::kDone && success_; }
    bool key_available() const override { return is_success(); }
    Keys keys() const override;
    SecretBytes inner_session_key() const override;
    std::string failure_reason() const override { return failure_reason_; }

    static inline constexpr const char* kServerName = "lanyard";

    // Registry factory: nullptr without a user record holding a password or
    // an NT hash, or without a random source; logs an error and returns
    // nullptr when MD4/DES are unavailable (OpenSSL legacy provider).
    static std::unique_ptr<ServerMethod> create(const ServerEnvironment& env);

private:
    enum class Phase { kSendChallenge, kWaitResponse, kSendSuccess, kWaitSuccessAck,
                       kSendFailure, kWaitFailureAck, kDone };

    Status on_response(ByteView type_data);
    void finish(bool success, std::string reason);

    std::string identity_;
    SecretBytes password_hash_;
    RandomSource& random_;
    Phase phase_ = Phase::kSendChallenge;
    uint8_t ms_id_ = 0;
    std::array<uint8_t, mschapv2::kChallengeSize> challenge_{};
    std::array<uint8_t, mschapv2::kAuthResponseSize> auth_response_{};
    SecretBytes master_key_;
    bool success_ = false;
    std::string failure_reason_;
};

}  // namespace lanyard::eap
