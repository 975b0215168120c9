#include <doctest/doctest.h>

#include "common/hex.h"
#include "methods/eap_packet.h"
#include "radius/eap_message.h"
#include "radius/message_authenticator.h"
#include "radius/mppe_keys.h"
#include "radius/request_builder.h"
#include "radius/response_classifier.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

const ByteView kSecret = as_bytes("testing123");

AccessRequestParams wifi_params() {
    AccessRequestParams p;
    p.identifier = 9;
    for (size_t i = 0; i < 16; ++i) p.request_authenticator[i] = static_cast<uint8_t>(0xf0 + i);
    p.session.user_name = "alice@example.org";
    p.session.nas_ip_address = Ipv4Address{127, 0, 0, 1};
    p.session.nas_identifier = "ap1.example.org";
    p.nas_port = 1;
    p.session.called_station = MacAddress::parse("02:00:00:00:01:00").value();
    p.session.ssid = "lanyard-test";
    p.session.calling_station = MacAddress::parse("02:00:00:00:00:aa").value();
    p.framed_mtu = 1400;
    p.connect_info = "CONNECT 11Mbps 802.11b";
    p.eap_message = *eap::build_identity_response(1, "alice@example.org");
    return p;
}

Packet response(Code code, uint8_t id) {
    Packet p;
    p.code = static_cast<uint8_t>(code);
    p.identifier = id;
    return p;
}

}  // namespace

TEST_CASE("Station ids are formatted like hostapd: upper-case, dashes, ':SSID' on the called side") {
    const auto mac = MacAddress::parse("02:0a:bc:de:f0:01").value();
    CHECK(format_station_id(mac) == "02-0A-BC-DE-F0-01");
    CHECK(format_called_station_id(mac, "my net") == "02-0A-BC-DE-F0-01:my net");
    CHECK(format_called_station_id(mac, "") == "02-0A-BC-DE-F0-01");
}

TEST_CASE("The EAP pass-through Access-Request carries the NAS attributes and verifies at a server") {
    const auto params = wifi_params();
    auto wire = encode_eap_access_request(params, kSecret);
    REQUIRE(wire.ok());
    auto p = verify_access_request(*wire, kSecret, /*require_message_authenticator=*/true);
    REQUIRE(p.ok());
    CHECK(p->identifier == 9);
    CHECK(p->authenticator == params.request_authenticator);
    CHECK(get_string(*p, attr::kUserName) == std::optional<std::string>("alice@example.org"));
    CHECK(**get_ipv4(*p, attr::kNasIpAddress) == Ipv4Address{127, 0, 0, 1});
    CHECK(get_string(*p, attr::kNasIdentifier) == std::optional<std::string>("ap1.example.org"));
    CHECK(**get_integer(*p, attr::kNasPort) == 1u);
    CHECK(**get_integer(*p, attr::kNasPortType) == 19u);
    CHECK(get_string(*p, attr::kCalledStationId) == std::optional<std::string>("02-00-00-00-01-00:lanyard-test"));
    CHECK(get_string(*p, attr::kCallingStationId) == std::optional<std::string>("02-00-00-00-00-AA"));
    CHECK(**get_integer(*p, attr::kFramedMtu) == 1400u);
    CHECK(get_string(*p, attr::kConnectInfo) == std::optional<std::string>("CONNECT 11Mbps 802.11b"));
    CHECK(p->find(attr::kState) == nullptr);
    CHECK(p->count(attr::kMessageAuthenticator) == 1);
    CHECK(**join_eap_message(*p) == params.eap_message);
}

TEST_CASE("The Access-Request echoes State, omits empty optional attributes and supports wired ports") {
    AccessRequestParams params = wifi_params();
    params.state = Bytes{1, 2, 3, 4};
    params.session.ssid.clear();
    params.session.nas_port_type = NasPortType::kEthernet;
    params.session.nas_ip_address.reset();
    params.session.nas_identifier.clear();
    params.nas_port.reset();
    params.connect_info.clear();
    params.framed_mtu.reset();
    auto p = build_access_request(params);
    REQUIRE(p.ok());
    CHECK(p->find(attr::kState)->value == Bytes{1, 2, 3, 4});
    CHECK(**get_integer(*p, attr::kNasPortType) == 15u);
    CHECK(get_string(*p, attr::kCalledStationId) == std::optional<std::string>("02-00-00-00-01-00"));
    for (uint8_t absent : {attr::kNasIpAddress, attr::kNasIdentifier, attr::kNasPort, attr::kConnectInfo, attr::kFramedMtu,
                           attr::kMessageAuthenticator})
        CHECK(p->find(absent) == nullptr);
    params.eap_message.clear();
    CHECK(!build_access_request(params).ok());
    params.eap_message = Bytes(4000, 0);
    params.session.user_name = std::string(200, 'u');
    CHECK(build_access_request(params).error().code == ErrorCode::kLimit);
}

TEST_CASE("Classifier: Access-Challenge gives the EAP request and the State to echo") {
    const auto req = wifi_params();
    Packet ch = response(Code::kAccessChallenge, req.identifier);
    const Bytes eap_req = *eap::build_request(2, 13, Bytes(600, 0x17));
    REQUIRE(add_eap_message(ch, eap_req).ok());
    REQUIRE(ch.add(attr::kState, Bytes{9, 9}).ok());
    REQUIRE(ch.add(attr::kReplyMessage, as_bytes("more")).ok());
    auto wire = encode_response(ch, req.request_authenticator, kSecret);
    REQUIRE(wire.ok());
    auto verified = verify_response(*wire, req.request_authenticator, kSecret);
    REQUIRE(verified.ok());
    auto info = classify_response(*verified, req.request_authenticator, kSecret);
    REQUIRE(info.ok());
    CHECK(info->kind == ResponseKind::kChallenge);
    CHECK(*info->eap == eap_req);
    CHECK(*info->state == Bytes{9, 9});
    CHECK(info->reply_messages == std::vector<std::string>{"more"});
    CHECK(!info->msk.has_value());
}

TEST_CASE("Classifier: Access-Accept gives EAP-Success, session parameters, Class and the MSK") {
    const auto req = wifi_params();
    Bytes msk(64);
    for (size_t i = 0; i < 64; ++i) msk[i] = static_cast<uint8_t>(i * 3);
    Packet acc = response(Code::kAccessAccept, req.identifier);
    REQUIRE(add_eap_message(acc, eap::build_success(2)).ok());
    add_integer(acc, attr::kSessionTimeout, 3600);
    add_integer(acc, attr::kTerminationAction, static_cast<uint32_t>(TerminationAction::kRadiusRequest));
    REQUIRE(acc.add(attr::kClass, as_bytes("c1")).ok());
    REQUIRE(acc.add(attr::kClass, as_bytes("c2")).ok());
    REQUIRE(add_msk_as_mppe_keys(acc, msk, kSecret, req.request_authenticator, 0x8123, 0x8456).ok());
    auto wire = encode_response(acc, req.request_authenticator, kSecret);
    REQUIRE(wire.ok());
    auto verified = verify_response(*wire, req.request_authenticator, kSecret);
    REQUIRE(verified.ok());
    auto info = classify_response(*verified, req.request_authenticator, kSecret);
    REQUIRE(info.ok());
    CHECK(info->kind == ResponseKind::kAccept);
    CHECK(*info->eap == eap::build_success(2));
    CHECK(*info->session_timeout == 3600u);
    CHECK(*info->termination_action == 1u);
    REQUIRE(info->classes.size() == 2);
    CHECK(info->classes[1] == to_bytes("c2"));
    REQUIRE(info->msk.has_value());
    CHECK(equal_bytes(info->msk->view(), msk));
    // The keys are bound to the request authenticator: another one garbles them.
    Authenticator other = req.request_authenticator;
    other[3] ^= 1;
    CHECK(!classify_response(*verified, other, kSecret).ok());
}

TEST_CASE("Classifier: Access-Reject and malformed responses") {
    const auto req = wifi_params();
    Packet rej = response(Code::kAccessReject, req.identifier);
    REQUIRE(add_eap_message(rej, eap::build_failure(2)).ok());
    auto info = classify_response(rej, req.request_authenticator, kSecret);
    REQUIRE(info.ok());
    CHECK(info->kind == ResponseKind::kReject);
    CHECK(*info->eap == eap::build_failure(2));

    Packet bare = response(Code::kAccessChallenge, req.identifier);
    CHECK(classify_response(bare, req.request_authenticator, kSecret).error().code == ErrorCode::kProtocol);
    Packet bad_join = response(Code::kAccessChallenge, req.identifier);
    REQUIRE(bad_join.add(attr::kEapMessage, Bytes{1, 2, 0, 9, 1}).ok());
    CHECK(classify_response(bad_join, req.request_authenticator, kSecret).error().code == ErrorCode::kMalformed);
    Packet bad_timeout = response(Code::kAccessAccept, req.identifier);
    REQUIRE(bad_timeout.add(attr::kSessionTimeout, Bytes{1}).ok());
    CHECK(!classify_response(bad_timeout, req.request_authenticator, kSecret).ok());
    CHECK(!classify_response(response(Code::kAccountingResponse, 1), req.request_authenticator, kSecret).ok());
}
