// methods/tls_common: the EAP-TLS Flags/Length framing, reassembly,
// fragmentation and the ACK conversation (RFC 5216 §2.1.5, §3.1).
#include <doctest/doctest.h>

#include <algorithm>

#include "common/bytes.h"
#include "methods/tls_common.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

Bytes pattern(size_t n, uint8_t seed = 1) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
    return b;
}

TlsPacket packet(uint8_t flags, std::optional<uint32_t> length, ByteView data) {
    TlsPacket p;
    p.flags = static_cast<uint8_t>(flags | (length ? kTlsFlagLength : 0));
    p.message_length = length;
    p.data = data;
    return p;
}

}  // namespace

// ---- codec ------------------------------------------------------------------

TEST_CASE("parse_tls_packet splits Flags, TLS Message Length and data") {
    const Bytes raw = {0xc0, 0x00, 0x00, 0x01, 0x00, 0x16, 0x03};
    auto p = parse_tls_packet(raw);
    REQUIRE(p.ok());
    CHECK(p->length_included());
    CHECK(p->more());
    CHECK_FALSE(p->start());
    REQUIRE(p->message_length.has_value());
    CHECK(*p->message_length == 256);
    CHECK(equal_bytes(p->data, Bytes{0x16, 0x03}));
}

TEST_CASE("parse_tls_packet: data without L has no length") {
    const Bytes raw = {0x00, 0x16, 0x03, 0x03};
    auto p = parse_tls_packet(raw);
    REQUIRE(p.ok());
    CHECK_FALSE(p->message_length.has_value());
    CHECK(p->data.size() == 3);
    CHECK_FALSE(p->is_ack());
}

TEST_CASE("parse_tls_packet rejects an empty type data (no Flags octet)") {
    auto p = parse_tls_packet({});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::kTruncated);
}

TEST_CASE("parse_tls_packet rejects L with a cut TLS Message Length") {
    for (size_t n = 1; n < 5; ++n) {
        Bytes r(n, 0);
        r[0] = kTlsFlagLength;
        auto p = parse_tls_packet(r);
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == ErrorCode::kTruncated);
    }
}

TEST_CASE("parse_tls_packet ignores reserved bits and exposes PEAP version bits") {
    const Bytes raw = {0x1a};  // reserved 0x18 set, version 2 in the low bits
    auto p = parse_tls_packet(raw);
    REQUIRE(p.ok());
    CHECK(p->is_ack());
    CHECK(p->version(kPeapVersionMask) == 2);
}

TEST_CASE("Start and ACK carry the framing's version bits") {
    const TlsFraming tls{Type::kTls, 0, 0};
    const TlsFraming peap{Type::kPeap, kPeapVersionMask, 1};
    CHECK(build_tls_start(tls) == Bytes{0x20});
    CHECK(build_tls_ack(tls) == Bytes{0x00});
    CHECK(build_tls_start(peap) == Bytes{0x21});
    CHECK(build_tls_ack(peap) == Bytes{0x01});
    auto start = parse_tls_packet(build_tls_start(peap));
    REQUIRE(start.ok());
    CHECK(start->start());
    CHECK_FALSE(start->is_ack());
}

TEST_CASE("build_tls_packet writes L and the length only when asked") {
    const Bytes data = {1, 2, 3};
    CHECK(build_tls_packet(kTlsFlagMore, 300, data) == Bytes{0xc0, 0, 0, 1, 0x2c, 1, 2, 3});
    CHECK(build_tls_packet(0, std::nullopt, data) == Bytes{0x00, 1, 2, 3});
}

// ---- reassembly -------------------------------------------------------------

TEST_CASE("Reassembler takes an unfragmented message with or without L") {
    const Bytes data = pattern(40);
    Reassembler r;
    auto s = r.add(packet(0, std::nullopt, data));
    REQUIRE(s.ok());
    CHECK(*s == ReassemblyStatus::kComplete);
    CHECK(r.take() == data);
    s = r.add(packet(0, 40, data));
    REQUIRE(s.ok());
    CHECK(*s == ReassemblyStatus::kComplete);
    CHECK(r.take() == data);
    CHECK_FALSE(r.in_progress());
}

TEST_CASE("Reassembler rejects an unfragmented message whose L disagrees with its data") {
    const Bytes data = pattern(40);
    Reassembler r;
    auto bigger = r.add(packet(0, 41, data));
    REQUIRE_FALSE(bigger.ok());
    CHECK(bigger.error().code == ErrorCode::kMalformed);
    auto smaller = r.add(packet(0, 39, data));
    REQUIRE_FALSE(smaller.ok());
    CHECK(smaller.error().code == ErrorCode::kMalformed);
    CHECK_FALSE(r.in_progress());
}

TEST_CASE("Reassembler joins fragments and acknowledges each but the last") {
    const Bytes message = pattern(250);
    const ByteView v(message);
    Reassembler r;
    auto s1 = r.add(packet(kTlsFlagMore, 250, v.subspan(0, 100)));
    REQUIRE(s1.ok());
    CHECK(*s1 == ReassemblyStatus::kNeedMore);
    CHECK(r.in_progress());
    auto s2 = r.add(packet(kTlsFlagMore, std::nullopt, v.subspan(100, 100)));
    REQUIRE(s2.ok());
    CHECK(*s2 == ReassemblyStatus::kNeedMore);
    auto s3 = r.add(packet(0, std::nullopt, v.subspan(200)));
    REQUIRE(s3.ok());
    CHECK(*s3 == ReassemblyStatus::kComplete);
    CHECK(r.take() == message);
    CHECK_FALSE(r.in_progress());
}

TEST_CASE("Reassembler accepts L repeated on later fragments when it is unchanged (FreeRADIUS include_length)") {
    const Bytes message = pattern(30);
    const ByteView v(message);
    Reassembler r;
    REQUIRE(r.add(packet(kTlsFlagMore, 30, v.subspan(0, 10))).ok());
    REQUIRE(r.add(packet(kTlsFlagMore, 30, v.subspan(10, 10))).ok());
    auto changed = r.add(packet(0, 31, v.subspan(20)));
    REQUIRE_FALSE(changed.ok());
    CHECK(changed.error().code == ErrorCode::kMalformed);
    auto last = r.add(packet(0, 30, v.subspan(20)));
    REQUIRE(last.ok());
    CHECK(*last == ReassemblyStatus::kComplete);
    CHECK(r.take() == message);
}

TEST_CASE("Reassembler rejects a TLS Message Length over 64 KiB") {
    const Bytes data = pattern(10);
    Reassembler r;
    auto s = r.add(packet(kTlsFlagMore, 65537, data));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kLimit);
    CHECK_FALSE(r.in_progress());
    auto at_limit = r.add(packet(kTlsFlagMore, 65536, data));
    CHECK(at_limit.ok());
}

TEST_CASE("Reassembler honours a smaller configured message limit") {
    Reassembler r(ReassemblyLimits{100, 10});
    const Bytes data = pattern(101);
    auto s = r.add(packet(0, std::nullopt, data));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kLimit);
}

TEST_CASE("Reassembler rejects a first fragment whose length is smaller than what it carries") {
    const Bytes data = pattern(20);
    Reassembler r;
    auto s = r.add(packet(kTlsFlagMore, 19, data));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kMalformed);
    CHECK_FALSE(r.in_progress());
}

TEST_CASE("Reassembler rejects a first fragment with M but without L (RFC 5216 §2.1.5, as hostapd)") {
    const Bytes data = pattern(20);
    Reassembler r;
    auto s = r.add(packet(kTlsFlagMore, std::nullopt, data));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kMalformed);
    CHECK_FALSE(r.in_progress());
}

TEST_CASE("Reassembler rejects a fragment with M but no data") {
    Reassembler r;
    auto first = r.add(packet(kTlsFlagMore, 20, {}));
    REQUIRE_FALSE(first.ok());
    const Bytes data = pattern(10);
    REQUIRE(r.add(packet(kTlsFlagMore, 20, data)).ok());
    auto later = r.add(packet(kTlsFlagMore, std::nullopt, {}));
    REQUIRE_FALSE(later.ok());
    CHECK(later.error().code == ErrorCode::kMalformed);
    CHECK(r.buffered() == 10);
}

TEST_CASE("Reassembler rejects M on a fragment that already holds the whole message") {
    const Bytes data = pattern(20);
    Reassembler r;
    auto s = r.add(packet(kTlsFlagMore, 20, data));
    REQUIRE_FALSE(s.ok());
    REQUIRE(r.add(packet(kTlsFlagMore, 30, data)).ok());
    const Bytes rest = pattern(10);
    auto full_with_m = r.add(packet(kTlsFlagMore, std::nullopt, rest));
    REQUIRE_FALSE(full_with_m.ok());
    CHECK(r.buffered() == 20);
}

TEST_CASE("Reassembler rejects data beyond the announced length and keeps its state") {
    const Bytes message = pattern(30);
    const ByteView v(message);
    Reassembler r;
    REQUIRE(r.add(packet(kTlsFlagMore, 30, v.subspan(0, 20))).ok());
    const Bytes too_much = pattern(11);
    auto s = r.add(packet(0, std::nullopt, too_much));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kMalformed);
    CHECK(r.in_progress());
    CHECK(r.buffered() == 20);
    auto ok = r.add(packet(0, std::nullopt, v.subspan(20)));
    REQUIRE(ok.ok());
    CHECK(r.take() == message);
}

TEST_CASE("Reassembler rejects a last fragment that leaves the message short") {
    const Bytes message = pattern(30);
    const ByteView v(message);
    Reassembler r;
    REQUIRE(r.add(packet(kTlsFlagMore, 30, v.subspan(0, 10))).ok());
    auto s = r.add(packet(0, std::nullopt, v.subspan(10, 10)));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kMalformed);
    CHECK(r.buffered() == 10);
}

TEST_CASE("Reassembler bounds the number of fragments") {
    Reassembler r(ReassemblyLimits{kMaxTlsMessageLength, 3});
    const Bytes chunk = pattern(10);
    REQUIRE(r.add(packet(kTlsFlagMore, 100, chunk)).ok());
    REQUIRE(r.add(packet(kTlsFlagMore, std::nullopt, chunk)).ok());
    REQUIRE(r.add(packet(kTlsFlagMore, std::nullopt, chunk)).ok());
    auto s = r.add(packet(kTlsFlagMore, std::nullopt, chunk));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kLimit);
    CHECK(r.buffered() == 30);
}

TEST_CASE("Reassembler rejects an empty message announced with L = 0") {
    Reassembler r;
    auto s = r.add(packet(0, 0, {}));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kMalformed);
}

// ---- fragmentation ----------------------------------------------------------

namespace {

// Cuts a message with `options` and returns the packets' type data.
std::vector<Bytes> cut(const Bytes& message, FragmentOptions options, uint8_t version = 0) {
    Fragmenter f(options);
    REQUIRE(f.append(message).ok());
    std::vector<Bytes> out;
    while (f.pending() && out.size() < 10000) out.push_back(f.next(version));
    return out;
}

Bytes join(const std::vector<Bytes>& packets) {
    Reassembler r;
    for (size_t i = 0; i < packets.size(); ++i) {
        auto p = parse_tls_packet(packets[i]);
        REQUIRE(p.ok());
        auto s = r.add(*p);
        REQUIRE(s.ok());
        CHECK((*s == ReassemblyStatus::kComplete) == (i + 1 == packets.size()));
    }
    return r.take();
}

}  // namespace

TEST_CASE("Fragmenter sends a short message in one packet without L by default (as wpa_supplicant and hostapd)") {
    const Bytes message = pattern(100);
    auto packets = cut(message, FragmentOptions{});
    REQUIRE(packets.size() == 1);
    CHECK(packets[0][0] == 0x00);
    CHECK(packets[0].size() == 101);
    CHECK(join(packets) == message);
}

TEST_CASE("Fragmenter with LengthPolicy::kAlways puts L on an unfragmented message") {
    const Bytes message = pattern(100);
    auto packets = cut(message, FragmentOptions{1398, FragmentSizeUnit::kTlsData, LengthPolicy::kAlways});
    REQUIRE(packets.size() == 1);
    CHECK(packets[0][0] == kTlsFlagLength);
    CHECK(packets[0].size() == 105);
    CHECK(join(packets) == message);
}

TEST_CASE("Fragmenter: fragment_size counts TLS Data only (wpa_supplicant semantics)") {
    for (size_t size : {64, 300, 1398}) {
        CAPTURE(size);
        const Bytes message = pattern(3 * size + 17);
        auto packets = cut(message, FragmentOptions{size});
        REQUIRE(packets.size() == 4);
        CHECK(packets[0][0] == (kTlsFlagLength | kTlsFlagMore));
        CHECK(packets[0].size() == 1 + 4 + size);
        CHECK(packets[1][0] == kTlsFlagMore);
        CHECK(packets[1].size() == 1 + size);
        CHECK(packets[3][0] == 0x00);
        CHECK(packets[3].size() == 1 + 17);
        CHECK(join(packets) == message);
    }
}

TEST_CASE("Fragmenter: a message of exactly fragment_size is not fragmented") {
    const Bytes message = pattern(300);
    auto packets = cut(message, FragmentOptions{300});
    REQUIRE(packets.size() == 1);
    CHECK(packets[0][0] == 0x00);
}

TEST_CASE("Fragmenter: FragmentSizeUnit::kTypeData bounds Flags + Length + Data (hostapd semantics)") {
    const Bytes message = pattern(1000);
    auto packets = cut(message, FragmentOptions{200, FragmentSizeUnit::kTypeData});
    for (const auto& p : packets) CHECK(p.size() <= 200);
    CHECK(packets[0].size() == 200);
    CHECK(packets[1].size() == 200);
    CHECK(join(packets) == message);
    // Unfragmented: a message of 199 octets fits in one 200-octet packet.
    auto single = cut(pattern(199), FragmentOptions{200, FragmentSizeUnit::kTypeData});
    CHECK(single.size() == 1);
}

TEST_CASE("Fragmenter carries the version bits in every packet") {
    auto packets = cut(pattern(200), FragmentOptions{64}, 0x01);
    REQUIRE(packets.size() == 4);
    for (const auto& p : packets) CHECK((p[0] & kPeapVersionMask) == 0x01);
}

TEST_CASE("Fragmenter raises a too small fragment size to the minimum") {
    auto packets = cut(pattern(200), FragmentOptions{1});
    CHECK(packets.size() == 4);  // 64 octets each
}

TEST_CASE("Fragmenter refuses a message over 64 KiB and sends nothing for an empty one") {
    Fragmenter f;
    CHECK_FALSE(f.append(Bytes(kMaxTlsMessageLength + 1)).ok());
    CHECK(f.append({}).ok());
    CHECK_FALSE(f.pending());
    CHECK(f.append(Bytes(kMaxTlsMessageLength)).ok());
    CHECK_FALSE(f.append(Bytes(1)).ok());
}

TEST_CASE("Fragmenter joins records appended before the first packet into one message") {
    Fragmenter f(FragmentOptions{64});
    const Bytes a = pattern(50, 1);
    const Bytes b = pattern(40, 2);
    REQUIRE(f.append(a).ok());
    REQUIRE(f.append(b).ok());
    std::vector<Bytes> packets;
    while (f.pending()) packets.push_back(f.next(0));
    REQUIRE(packets.size() == 2);
    CHECK(join(packets) == concat(a, b));
}

TEST_CASE("Fragmenter output of a maximal message at the smallest size stays within the receiver's fragment bound") {
    const Bytes message = pattern(kMaxTlsMessageLength);
    auto packets = cut(message, FragmentOptions{64});
    CHECK(packets.size() == kMaxTlsFragments);
    CHECK(join(packets) == message);
}

// ---- the conversation -------------------------------------------------------

namespace {

// Moves `message` from a to b: b answers each fragment with an ACK, a sends
// the next on each ACK. Returns what b received.
Bytes transfer(TlsExchange& a, TlsExchange& b, const Bytes& message) {
    REQUIRE(a.queue(message).ok());
    for (int round = 0; round < 5000; ++round) {
        Bytes pkt = a.next_packet();
        auto in = b.receive(pkt);
        REQUIRE(in.ok());
        if (*in == TlsInbound::kMessage) return b.take_message();
        REQUIRE(*in == TlsInbound::kFragmentNeedsAck);
        CHECK(b.receiving());
        auto ack = a.receive(b.ack_packet());
        REQUIRE(ack.ok());
        REQUIRE(*ack == TlsInbound::kAckOfFragment);
    }
    FAIL("transfer did not finish");
    return {};
}

const TlsFraming kTls{Type::kTls, 0, 0};

}  // namespace

TEST_CASE("TlsExchange carries messages both ways at every fragment size") {
    for (size_t size : {64, 300, 1398}) {
        CAPTURE(size);
        TlsExchange a(kTls, FragmentOptions{size});
        TlsExchange b(kTls, FragmentOptions{size});
        for (size_t len : {1, 63, 64, 65, 1398, 1399, 5000}) {
            CAPTURE(len);
            const Bytes m1 = pattern(len, 3);
            CHECK(transfer(a, b, m1) == m1);
            const Bytes m2 = pattern(len + 11, 9);
            CHECK(transfer(b, a, m2) == m2);
        }
        CHECK(a.stats().dropped == 0);
        CHECK(b.stats().dropped == 0);
    }
}

TEST_CASE("TlsExchange classifies Start and a final ACK") {
    TlsExchange peer(kTls, FragmentOptions{});
    auto start = peer.receive(build_tls_start(kTls));
    REQUIRE(start.ok());
    CHECK(*start == TlsInbound::kStart);
    auto ack = peer.receive(build_tls_ack(kTls));
    REQUIRE(ack.ok());
    CHECK(*ack == TlsInbound::kAck);
}

TEST_CASE("TlsExchange drops data while our fragments wait for an ACK") {
    TlsExchange a(kTls, FragmentOptions{64});
    REQUIRE(a.queue(pattern(200)).ok());
    (void)a.next_packet();
    const Bytes data_packet = build_tls_packet(0, std::nullopt, pattern(10));
    auto in = a.receive(data_packet);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().code == ErrorCode::kProtocol);
    auto start = a.receive(build_tls_start(kTls));
    CHECK_FALSE(start.ok());
    CHECK(a.stats().dropped == 2);
    auto ack = a.receive(build_tls_ack(kTls));
    REQUIRE(ack.ok());
    CHECK(*ack == TlsInbound::kAckOfFragment);
}

TEST_CASE("TlsExchange drops an empty packet while it reassembles") {
    TlsExchange b(kTls, FragmentOptions{});
    const Bytes first = build_tls_packet(kTlsFlagMore, 100, pattern(50));
    auto in = b.receive(first);
    REQUIRE(in.ok());
    CHECK(*in == TlsInbound::kFragmentNeedsAck);
    auto ack = b.receive(build_tls_ack(kTls));
    REQUIRE_FALSE(ack.ok());
    CHECK(b.stats().dropped == 1);
    CHECK(b.receiving());
}

TEST_CASE("TlsExchange drops malformed type data and counts it") {
    TlsExchange b(kTls, FragmentOptions{});
    CHECK_FALSE(b.receive({}).ok());
    const Bytes cut_length = {0x80, 0x00};
    CHECK_FALSE(b.receive(cut_length).ok());
    CHECK(b.stats().dropped == 2);
    CHECK(b.stats().packets_in == 0);
}

TEST_CASE("TlsExchange reports too many rounds") {
    TlsExchange b(kTls, FragmentOptions{}, ReassemblyLimits{}, 3);
    for (int i = 0; i < 3; ++i) {
        auto in = b.receive(build_tls_ack(kTls));
        REQUIRE(in.ok());
        CHECK(*in == TlsInbound::kAck);
    }
    auto in = b.receive(build_tls_ack(kTls));
    REQUIRE(in.ok());
    CHECK(*in == TlsInbound::kTooManyRounds);
}

TEST_CASE("TlsExchange reports the peer's version bits and sends the negotiated ones (PEAP)") {
    const TlsFraming peap{Type::kPeap, kPeapVersionMask, 1};
    TlsExchange peer(peap, FragmentOptions{});
    auto start = peer.receive(Bytes{static_cast<uint8_t>(kTlsFlagStart | 0x02)});
    REQUIRE(start.ok());
    CHECK(*start == TlsInbound::kStart);
    CHECK(peer.last_version() == 2);
    CHECK(peer.ack_packet() == Bytes{0x01});
    peer.set_version(0x0a);  // only the masked bits count
    CHECK(peer.ack_packet() == Bytes{0x02});
}
