// An in-process RADIUS server of one EAP conversation for lanyard-eapol-test's
// unit tests: the EAP authenticator behind the radius/ codec (RFC 3579 §2
// pass-through), with switches to misbehave.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

#include "common/secret.h"
#include "methods/eap_authenticator.h"
#include "radius/eap_message.h"
#include "radius/message_authenticator.h"
#include "radius/mppe_keys.h"
#include "radius/radius_attributes.h"

namespace lanyard::eapol_test_support {

inline const std::string kSecret = "station-test-secret";
inline ByteView secret() { return ByteView(reinterpret_cast<const uint8_t*>(kSecret.data()), kSecret.size()); }

// A RADIUS server of one conversation: EAP pass-through per RFC 3579 §2.
struct MiniServer {
    eap::ServerEnvironment env;
    std::unique_ptr<eap::EapAuthenticator> auth;
    bool corrupt_keys = false;
    std::string response_secret = kSecret;  // another value: responses fail verification
    bool challenge_without_eap = false;
    std::optional<Bytes> state_sent;
    unsigned state_mismatches = 0;
    unsigned requests = 0;
    unsigned without_message_authenticator = 0;
    std::string user_name;
    std::string calling_station;
    unsigned counter = 0;

    // Answers one Access-Request datagram; empty when it is dropped.
    Bytes answer(ByteView datagram, TimePoint now) {
        auto req = radius::verify_access_request(datagram, secret(), /*require_message_authenticator=*/true);
        REQUIRE_MESSAGE(req.ok(), (req.ok() ? "" : req.error().to_string()));
        ++requests;
        if (req->count(radius::attr::kMessageAuthenticator) != 1) ++without_message_authenticator;
        user_name = radius::get_string(*req, radius::attr::kUserName).value_or("");
        calling_station = radius::get_string(*req, radius::attr::kCallingStationId).value_or("");
        const radius::Attribute* state = req->find(radius::attr::kState);
        if (state == nullptr) {  // a new conversation (RFC 2865 §5.24: only challenges set State)
            auth.reset();
            state_sent.reset();
        }
        if (state_sent ? (state == nullptr || state->value != *state_sent) : state != nullptr) ++state_mismatches;
        auto eap = radius::join_eap_message(*req);
        REQUIRE(eap.ok());
        REQUIRE(eap->has_value());
        const Bytes& e = **eap;
        eap::AuthAction a;
        if (!auth) {
            auth = std::make_unique<eap::EapAuthenticator>(env);
            REQUIRE(e.size() > 5);
            a = auth->start_with_identity(std::string(e.begin() + 5, e.end()), e[1], now);
        } else {
            a = auth->handle(e, now);
        }
        radius::Packet resp;
        resp.identifier = req->identifier;
        switch (a.kind) {
            case eap::AuthActionKind::kSend: {
                resp.code = static_cast<uint8_t>(radius::Code::kAccessChallenge);
                if (!challenge_without_eap) REQUIRE(radius::add_eap_message(resp, a.packet).ok());
                Bytes st{'s', 't', uint8_t(++counter)};
                REQUIRE(resp.add(radius::attr::kState, st).ok());
                state_sent = st;
                break;
            }
            case eap::AuthActionKind::kSuccess: {
                resp.code = static_cast<uint8_t>(radius::Code::kAccessAccept);
                REQUIRE(radius::add_eap_message(resp, a.packet).ok());
                if (a.keys_available) {
                    SecretBytes msk = a.keys.msk;
                    if (corrupt_keys) msk.data()[40] ^= 1;
                    REQUIRE(radius::add_msk_as_mppe_keys(resp, msk.view(), secret(), req->authenticator, 0x8001,
                                                         0x8002)
                                .ok());
                }
                break;
            }
            case eap::AuthActionKind::kFailure:
                resp.code = static_cast<uint8_t>(radius::Code::kAccessReject);
                REQUIRE(radius::add_eap_message(resp, a.packet).ok());
                break;
            case eap::AuthActionKind::kNone:
            case eap::AuthActionKind::kTimeout:
                return {};
        }
        auto wire = radius::encode_response(
            resp, req->authenticator,
            ByteView(reinterpret_cast<const uint8_t*>(response_secret.data()), response_secret.size()));
        REQUIRE(wire.ok());
        return *wire;
    }
};

}  // namespace lanyard::eapol_test_support
