// swanctl proposal strings (strongSwan proposal keywords) and proposal
// selection (RFC 7296 §2.7, §3.3.6).
#include <doctest/doctest.h>

#include "ike/crypto_suite.h"
#include "ike/proposal_select.h"
#include "ike/transforms.h"

using namespace lanyard;
using namespace lanyard::ike;

namespace {

std::vector<Proposal> ike_props(std::string_view s) {
    auto r = parse_proposal_string(s, ProtocolId::kIke);
    REQUIRE_MESSAGE(r.ok(), r.error().to_string());
    return *r;
}

}  // namespace

TEST_CASE("swanctl proposal strings become IKE proposals in RFC 7296 transform order") {
    CHECK(proposal_to_string(ike_props("aes256-sha256-modp2048")[0]) ==
          "IKE:AES_CBC_256/PRF_HMAC_SHA2_256/HMAC_SHA2_256_128/MODP_2048");
    CHECK(proposal_to_string(ike_props("aes128gcm16-prfsha256-x25519")[0]) == "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/CURVE_25519");
    CHECK(proposal_to_string(ike_props("aes256-sha384-ecp384")[0]) ==
          "IKE:AES_CBC_256/PRF_HMAC_SHA2_384/HMAC_SHA2_384_192/ECP_384");
    auto multi = ike_props("aes128-aes256-sha256-sha512-x25519-ecp256");
    REQUIRE(multi.size() == 1);
    CHECK(proposal_to_string(multi[0]) ==
          "IKE:AES_CBC_128/AES_CBC_256/PRF_HMAC_SHA2_256/PRF_HMAC_SHA2_512/HMAC_SHA2_256_128/HMAC_SHA2_512_256/"
          "CURVE_25519/ECP_256");
    // Transforms within a type keep the string's order.
    CHECK(multi[0].transforms[0].key_length == 128);
    CHECK(multi[0].transforms[1].key_length == 256);
    auto list = ike_props("aes256-sha256-modp2048, aes128gcm16-prfsha256-x25519");
    REQUIRE(list.size() == 2);
    CHECK(list[0].number == 1);
    CHECK(list[1].number == 2);
    auto def = ike_props("default");
    REQUIRE(def.size() == 2);
    CHECK(is_aead(def[0].transforms[0].id));
    CHECK_FALSE(is_aead(def[1].transforms[0].id));
}

TEST_CASE("ESP proposal strings get ESN no unless named") {
    auto esp = parse_proposal_string("aes128gcm16", ProtocolId::kEsp);
    REQUIRE(esp.ok());
    CHECK(proposal_to_string((*esp)[0]) == "ESP:AES_GCM_16_128/NO_EXT_SEQ");
    auto esn = parse_proposal_string("aes256-sha256-esn", ProtocolId::kEsp);
    REQUIRE(esn.ok());
    CHECK(proposal_to_string((*esn)[0]) == "ESP:AES_CBC_256/HMAC_SHA2_256_128/EXT_SEQ");
    CHECK(parse_proposal_string("default", ProtocolId::kEsp)->size() == 2);
}

TEST_CASE("invalid or unimplemented proposal strings are refused") {
    CHECK(parse_proposal_string("aes128gcm16-x25519", ProtocolId::kIke).error().code == ErrorCode::kConfig);  // AEAD w/o PRF
    CHECK(parse_proposal_string("aes128-sha256", ProtocolId::kIke).error().code == ErrorCode::kConfig);  // no DH
    CHECK(parse_proposal_string("sha256-x25519", ProtocolId::kIke).error().code == ErrorCode::kConfig);  // no ENCR
    CHECK(parse_proposal_string("aes128-x25519", ProtocolId::kIke).error().code == ErrorCode::kConfig);  // no INTEG
    CHECK(parse_proposal_string("aes128-aes128gcm16-sha256-x25519", ProtocolId::kIke).error().code == ErrorCode::kConfig);
    CHECK(parse_proposal_string("aes128gcm16-sha256-prfsha256-x25519", ProtocolId::kIke).error().code ==
          ErrorCode::kConfig);
    CHECK(parse_proposal_string("chacha20poly1305-prfsha256-x25519", ProtocolId::kIke).error().code ==
          ErrorCode::kUnsupported);
    CHECK(parse_proposal_string("aes128-sha256-modp3072", ProtocolId::kIke).error().code == ErrorCode::kUnsupported);
    CHECK_FALSE(parse_proposal_string("", ProtocolId::kIke).ok());
    CHECK_FALSE(parse_proposal_string("aes128-sha256-x25519,", ProtocolId::kIke).ok());
    CHECK_FALSE(parse_proposal_string("aes128--sha256-x25519", ProtocolId::kIke).ok());
    CHECK_FALSE(parse_proposal_string("aes128-sha256-x25519-esn", ProtocolId::kIke).ok());
    CHECK_FALSE(parse_proposal_string("aes128-sha256-prfsha256", ProtocolId::kEsp).ok());
}

TEST_CASE("selection prefers our configured order (charon's default), or the peer's when asked") {
    auto ours = ike_props("aes256-sha256-modp2048, aes128gcm16-prfsha256-x25519");
    auto theirs = ike_props("aes128gcm16-prfsha256-x25519, aes256-sha256-modp2048");
    auto chosen = select_proposal(ours, theirs);
    REQUIRE(chosen.ok());
    CHECK(proposal_to_string(*chosen) == "IKE:AES_CBC_256/PRF_HMAC_SHA2_256/HMAC_SHA2_256_128/MODP_2048");
    CHECK(chosen->number == 2);  // the peer's Proposal Num
    auto peer_first = select_proposal(ours, theirs, SelectOptions{true});
    REQUIRE(peer_first.ok());
    CHECK(proposal_to_string(*peer_first) == "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/CURVE_25519");
    CHECK(peer_first->number == 1);
    CHECK(proposal_was_offered(theirs, *chosen));
    CHECK(proposal_was_offered(theirs, *peer_first));
}

TEST_CASE("selection picks one transform per type, in our order within a type") {
    auto ours = ike_props("aes256-aes128-sha512-sha256-ecp384-x25519");
    auto theirs = ike_props("aes128-aes256-sha256-sha512-x25519-ecp384");
    auto chosen = select_proposal(ours, theirs);
    REQUIRE(chosen.ok());
    CHECK(proposal_to_string(*chosen) == "IKE:AES_CBC_256/PRF_HMAC_SHA2_512/HMAC_SHA2_512_256/ECP_384");
    auto suite = ike_suite_from_proposal(*chosen);
    REQUIRE(suite.ok());
    CHECK(suite->sk.encr_key_size == 32);
    CHECK(suite->prf == crypto::HashAlg::kSha512);
    CHECK(suite->dh == crypto::DhGroup::kEcp384);
    auto peer = select_proposal(ours, theirs, SelectOptions{true});
    CHECK(proposal_to_string(*peer) == "IKE:AES_CBC_128/PRF_HMAC_SHA2_256/HMAC_SHA2_256_128/CURVE_25519");
}

TEST_CASE("no common algorithm, key length mismatch or unknown attribute is NO_PROPOSAL_CHOSEN") {
    auto ours = ike_props("aes256-sha256-modp2048");
    auto r = select_proposal(ours, ike_props("aes128-sha256-modp2048"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().detail.rfind("NO_PROPOSAL_CHOSEN", 0) == 0);
    CHECK_FALSE(select_proposal(ours, ike_props("aes256-sha256-x25519")).ok());
    CHECK_FALSE(select_proposal(ours, ike_props("aes256-sha384-modp2048")).ok());
    auto attr = ike_props("aes256-sha256-modp2048");
    attr[0].transforms[0].other_attributes.push_back(TransformAttribute{77, true, 1, {}});
    CHECK_FALSE(select_proposal(ours, attr).ok());
    CHECK_FALSE(select_proposal(ours, {}).ok());
    auto esp = parse_proposal_string("aes256-sha256", ProtocolId::kEsp);
    CHECK_FALSE(select_proposal(ours, *esp).ok());  // protocol differs
}

TEST_CASE("ESP: INTEG NONE from the peer in an AEAD proposal is accepted, ESN must agree") {
    auto ours = *parse_proposal_string("aes128gcm16", ProtocolId::kEsp);
    auto theirs = ours;
    theirs[0].spi = {1, 2, 3, 4};
    theirs[0].transforms.push_back(make_transform(TransformType::kInteg, 0));
    auto chosen = select_proposal(ours, theirs);
    REQUIRE(chosen.ok());
    CHECK(proposal_to_string(*chosen) == "ESP:AES_GCM_16_128/NO_EXT_SEQ");
    CHECK(chosen->spi == Bytes{1, 2, 3, 4});
    auto esn = *parse_proposal_string("aes128gcm16-esn", ProtocolId::kEsp);
    CHECK_FALSE(select_proposal(ours, esn).ok());
    auto sk = sk_algorithms_from_proposal(*chosen);
    REQUIRE(sk.ok());
    CHECK(sk->sk_e_size() == 20);
}

TEST_CASE("an initiator refuses a chosen proposal it did not offer (§2.7)") {
    auto ours = ike_props("aes128-sha256-x25519");
    auto chosen = ike_props("aes256-sha256-x25519")[0];
    CHECK_FALSE(proposal_was_offered(ours, chosen));
    // Two ENCR transforms in an answer, both offered.
    auto both = ike_props("aes128-aes256-sha256-x25519");
    CHECK_FALSE(proposal_was_offered(both, both[0]));
    CHECK(proposal_was_offered(ours, ours[0]));
}
