#include <doctest/doctest.h>

#include "common/bytes.h"
#include "common/hex.h"
#include "common/log.h"
#include "common/secret.h"

using namespace lanyard;

TEST_CASE("ByteReader reads big-endian fields and advances") {
    const Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
    ByteReader r(data);
    CHECK(*r.u8() == 0x01);
    CHECK(*r.u16() == 0x0203);
    CHECK(*r.u24() == 0x040506);
    CHECK(*r.u32() == 0x0708090a);
    CHECK(r.empty());
}

TEST_CASE("ByteReader refuses a read past the end and keeps its position") {
    const Bytes data = {0xaa, 0xbb, 0xcc};
    ByteReader r(data);
    CHECK(*r.u8() == 0xaa);
    auto v = r.u32();
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == ErrorCode::kTruncated);
    CHECK(r.position() == 1);
    CHECK_FALSE(r.bytes(3).ok());
    CHECK_FALSE(r.skip(3).ok());
    CHECK(r.bytes(2).ok());
    CHECK_FALSE(r.u8().ok());
    CHECK(r.rest().empty());
}

TEST_CASE("ByteReader sub_reader bounds a nested structure") {
    const Bytes data = {0x02, 0x11, 0x22, 0x33};
    ByteReader r(data);
    auto len = r.u8();
    auto sub = r.sub_reader(*len);
    REQUIRE(sub.ok());
    CHECK(*sub->u16() == 0x1122);
    CHECK_FALSE(sub->u8().ok());
    CHECK(*r.u8() == 0x33);
    ByteReader r2(data);
    CHECK_FALSE(r2.sub_reader(5).ok());
}

TEST_CASE("ByteWriter writes fields and patches lengths") {
    ByteWriter w;
    w.u8(1).u16(0).u24(0x010203).u32(0xdeadbeef).str("ab");
    w.patch_u16(1, static_cast<uint16_t>(w.size()));
    CHECK(to_hex(w.view()) == "01000c010203deadbeef6162");
}

TEST_CASE("hex round trip and malformed hex") {
    CHECK(to_hex(*from_hex("00:A1:ff")) == "00a1ff");
    CHECK_FALSE(from_hex("abc").ok());
    CHECK_FALSE(from_hex("zz").ok());
    CHECK_FALSE(from_hex("a:b").ok());
    CHECK(from_hex("").ok());
}

TEST_CASE("constant_time_equal compares content and length") {
    CHECK(constant_time_equal(*from_hex("0102"), *from_hex("0102")));
    CHECK_FALSE(constant_time_equal(*from_hex("0102"), *from_hex("0103")));
    CHECK_FALSE(constant_time_equal(*from_hex("0102"), *from_hex("010203")));
}

TEST_CASE("SecretBytes hides keys from logs unless debug keys are on") {
    SecretBytes key(*from_hex("00112233"));
    set_log_keys(false);
    CHECK(key.to_log_string() == "[4-byte secret]");
    set_log_keys(true);
    CHECK(key.to_log_string() == "00112233");
    set_log_keys(false);
}

TEST_CASE("SecretBytes wipes on move and resize keeps the prefix") {
    SecretBytes a(*from_hex("aabbcc"));
    SecretBytes b(std::move(a));
    CHECK(a.empty());
    CHECK(to_hex(b.view()) == "aabbcc");
    b.resize(5);
    CHECK(to_hex(b.view()) == "aabbcc0000");
    b.resize(1);
    CHECK(to_hex(b.view()) == "aa");
    b.append(*from_hex("01"));
    CHECK(to_hex(b.view()) == "aa01");
    b.wipe();
    CHECK(b.empty());
}
