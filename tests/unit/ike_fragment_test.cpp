// RFC 7383 IKE fragmentation: splitting, reassembly out of order and with
// duplicates, restart on a higher Total Fragments, limits, authentication
// before storing.
#include <doctest/doctest.h>

#include <algorithm>

#include "ike/fragmentation.h"

using namespace lanyard;
using namespace lanyard::ike;

namespace {

struct Fixture {
    IkeSuite suite;
    IkeSaKeys keys;
    SkCipher cipher;
    IkeHeader header;
    std::vector<Payload> inner;

    static Fixture make(bool gcm) {
        IkeSuite s;
        s.prf = crypto::HashAlg::kSha256;
        if (gcm) {
            s.sk.encr = EncrId::kAesGcm16;
            s.sk.integ = IntegId::kNone;
        }
        s.sk.encr_key_size = 16;
        auto keys = derive_ike_sa_keys_from_dh(s, Bytes(32, 1), Bytes(32, 2), Bytes(32, 3), 10, 20);
        auto c = SkCipher::for_sender(s, *keys, true);
        IkeHeader h;
        h.spi_i = 10;
        h.spi_r = 20;
        h.exchange = ExchangeType::kIkeAuth;
        h.flags = kFlagInitiator;
        h.message_id = 1;
        std::vector<Payload> inner;
        inner.push_back(make_id_payload(true, IdPayload{IdType::kFqdn, to_bytes("client.example.org")}));
        inner.push_back(make_payload(CertPayload{4, Bytes(3000, 0x30)}));
        inner.push_back(make_payload(AuthPayload{AuthMethod::kRsaSignature, Bytes(256, 0x41)}));
        return Fixture{s, std::move(*keys), std::move(*c), h, std::move(inner)};
    }
};

FragmentReassembler::Outcome add(FragmentReassembler& r, const Bytes& wire, const SkCipher& c) {
    auto msg = parse_message(wire);
    REQUIRE(msg.ok());
    auto out = r.add(wire, *msg, c);
    REQUIRE_MESSAGE(out.ok(), out.error().to_string());
    return *out;
}

}  // namespace

TEST_CASE("fragments fit the size budget (IP, UDP and non-ESP marker counted) and reassemble in order") {
    for (bool gcm : {false, true}) {
        for (FragmentSizing sizing : {FragmentSizing{1280, false, false}, FragmentSizing{576, false, true},
                                      FragmentSizing{1280, true, true}}) {
            CAPTURE(gcm);
            CAPTURE(sizing.fragment_size);
            Fixture f = Fixture::make(gcm);
            FakeRandom rng(5);
            auto frags = build_fragmented_message(f.header, f.inner, f.cipher, rng, sizing);
            REQUIRE(frags.ok());
            CHECK(frags->size() > 1);
            for (const Bytes& b : *frags) CHECK(b.size() <= sizing.ike_budget());
            // The first fragment is filled to within one block of the budget.
            CHECK(frags->front().size() + 16 + 1 > sizing.ike_budget());
            FragmentReassembler r;
            for (size_t i = 0; i < frags->size(); ++i) {
                auto out = add(r, (*frags)[i], f.cipher);
                CHECK(out == (i + 1 == frags->size() ? FragmentReassembler::Outcome::kComplete
                                                     : FragmentReassembler::Outcome::kStored));
            }
            auto payloads = r.completed_payloads();
            REQUIRE(payloads.ok());
            CHECK(*payloads == f.inner);
            // Fragment 1 names the first inner payload, the others 0 (§2.5).
            CHECK((*frags)[0][28] == static_cast<uint8_t>(PayloadType::kIdi));
            CHECK((*frags)[1][28] == 0);
        }
    }
    CHECK(FragmentSizing{576, false, true}.ike_budget() == 576 - 20 - 8 - 4);
    CHECK(FragmentSizing{1280, true, false}.ike_budget() == 1280 - 40 - 8);
}

TEST_CASE("reassembly accepts out-of-order fragments and ignores duplicates") {
    Fixture f = Fixture::make(false);
    FakeRandom rng(6);
    auto frags = build_fragmented_message(f.header, f.inner, f.cipher, rng, FragmentSizing{576});
    REQUIRE(frags.ok());
    REQUIRE(frags->size() >= 4);
    std::vector<Bytes> order(frags->rbegin(), frags->rend());
    FragmentReassembler r;
    using O = FragmentReassembler::Outcome;
    CHECK(add(r, order[0], f.cipher) == O::kStored);
    CHECK(add(r, order[0], f.cipher) == O::kDuplicate);
    CHECK(r.stored_fragments() == 1);
    for (size_t i = 1; i + 1 < order.size(); ++i) CHECK(add(r, order[i], f.cipher) == O::kStored);
    CHECK(add(r, order[1], f.cipher) == O::kDuplicate);
    CHECK(add(r, order.back(), f.cipher) == O::kComplete);
    CHECK(add(r, order.back(), f.cipher) == O::kDuplicate);
    REQUIRE(r.completed_payloads().ok());
    CHECK(*r.completed_payloads() == f.inner);
}

TEST_CASE("a higher Total Fragments restarts reassembly, a lower one is stale (RFC 7383 §2.6)") {
    Fixture f = Fixture::make(true);
    FakeRandom rng(7);
    auto big = build_fragmented_message(f.header, f.inner, f.cipher, rng, FragmentSizing{1280});
    auto small = build_fragmented_message(f.header, f.inner, f.cipher, rng, FragmentSizing{576});
    REQUIRE(big.ok());
    REQUIRE(small.ok());
    REQUIRE(small->size() > big->size());
    FragmentReassembler r;
    using O = FragmentReassembler::Outcome;
    CHECK(add(r, (*big)[0], f.cipher) == O::kStored);
    CHECK(add(r, (*small)[1], f.cipher) == O::kStored);  // restart
    CHECK(r.stored_fragments() == 1);
    CHECK(add(r, (*big)[1], f.cipher) == O::kStale);
    for (size_t i = 0; i < small->size(); ++i) {
        if (i == 1) continue;
        auto out = add(r, (*small)[i], f.cipher);
        CHECK(out == (i + 1 == small->size() ? O::kComplete : O::kStored));
    }
    CHECK(*r.completed_payloads() == f.inner);
}

TEST_CASE("unauthenticated fragments are never stored") {
    Fixture f = Fixture::make(false);
    FakeRandom rng(8);
    auto frags = build_fragmented_message(f.header, f.inner, f.cipher, rng, FragmentSizing{1280});
    REQUIRE(frags.ok());
    FragmentReassembler r;
    Bytes forged = (*frags)[0];
    forged[forged.size() - 20] ^= 0x40;
    auto msg = parse_message(forged);
    REQUIRE(msg.ok());
    auto out = r.add(forged, *msg, f.cipher);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == ErrorCode::kAuthFailed);
    CHECK(r.stored_fragments() == 0);
    // A forged fragment claiming a huge Total Fragments cannot restart reassembly.
    CHECK(add(r, (*frags)[1], f.cipher) == FragmentReassembler::Outcome::kStored);
    Bytes restart = (*frags)[0];
    restart[35] = 9;  // Total Fragments low octet (AAD-covered)
    auto m2 = parse_message(restart);
    REQUIRE(m2.ok());
    CHECK_FALSE(r.add(restart, *m2, f.cipher).ok());
    CHECK(r.stored_fragments() == 1);
    // The other direction's key does not open it either.
    auto other = SkCipher::for_sender(f.suite, f.keys, false);
    auto m3 = parse_message((*frags)[0]);
    CHECK_FALSE(r.add((*frags)[0], *m3, *other).ok());
}

TEST_CASE("reassembly limits: fragment count, total size, Message ID") {
    using O = FragmentReassembler::Outcome;
    FragmentReassembler r(ReassemblyLimits{4, 100});
    auto frag = [](uint16_t n, uint16_t total) { return EncryptedFragmentPayload{n == 1 ? uint8_t(43) : uint8_t(0), n, total, {1}}; };
    CHECK(r.add_opened(5, frag(1, 5), SecretBytes(Bytes(10, 1))).error().code == ErrorCode::kLimit);
    CHECK(*r.add_opened(5, frag(1, 3), SecretBytes(Bytes(60, 1))) == O::kStored);
    CHECK(r.add_opened(5, frag(2, 3), SecretBytes(Bytes(60, 1))).error().code == ErrorCode::kLimit);
    CHECK(r.add_opened(6, frag(2, 3), SecretBytes(Bytes(10, 1))).error().code == ErrorCode::kProtocol);
    CHECK(r.add_opened(5, frag(4, 3), SecretBytes(Bytes(10, 1))).error().code == ErrorCode::kMalformed);
    CHECK(r.add_opened(5, frag(0, 3), SecretBytes(Bytes(10, 1))).error().code == ErrorCode::kMalformed);
    CHECK(*r.add_opened(5, frag(3, 3), SecretBytes(Bytes(10, 2))) == O::kStored);
    CHECK(*r.add_opened(5, frag(2, 3), SecretBytes(Bytes(10, 3))) == O::kComplete);
    REQUIRE(r.completed().has_value());
    CHECK(r.completed()->first_inner == 43);
    CHECK(r.completed()->plaintext.size() == 80);
    CHECK(r.completed()->plaintext.data()[60] == 3);  // fragment 2 before fragment 3
    r.reset();
    CHECK_FALSE(r.completed().has_value());
    CHECK(*r.add_opened(6, frag(1, 1), SecretBytes(Bytes(1, 1))) == O::kComplete);
}

TEST_CASE("fragment sizes too small to carry data are refused") {
    Fixture f = Fixture::make(false);
    FakeRandom rng(1);
    CHECK_FALSE(build_fragmented_message(f.header, f.inner, f.cipher, rng, FragmentSizing{60}).ok());
    CHECK_FALSE(build_fragmented_message(f.header, f.inner, f.cipher, rng, FragmentSizing{100}).ok());
}
