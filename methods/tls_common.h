// The framing every TLS-based EAP method shares (EAP-TLS now; PEAP and TTLS
// reuse it): the Flags octet, the TLS Message Length, fragmentation,
// reassembly and acknowledgements (RFC 5216 §2.1.5 and §3.1; RFC 9190 §2.1.1
// keeps the same framing for TLS 1.3). Pure code over ByteReader/ByteWriter:
// no TLS engine, no clock, no I/O.
//
// Type data of one EAP-TLS packet (RFC 5216 §3.1), after the Type octet:
//
//   Flags(1) [TLS Message Length(4), present iff L] [TLS Data(*)]
//   Flags:  L (0x80) length included, M (0x40) more fragments, S (0x20) start;
//           the other bits are reserved for EAP-TLS (sent as 0, ignored on
//           receipt). PEAP carries its version in the low 3 bits
//           (draft-josefsson-pppext-eap-tls-eap §3.1); TTLS in the low 3 too.
//
// Sizes, exactly: `fragment_size` is the number of TLS Data octets in one
// packet, not counting the Flags octet or the 4-octet TLS Message Length.
// That is what wpa_supplicant's fragment_size means (default 1398: with
// Flags, Length, the Type octet and the 4-octet EAP header a full first
// fragment is 1408 octets of EAP, 1412 with the EAPOL header). hostapd's
// fragment_size instead counts Flags + Length + Data; FragmentSizeUnit
// selects that meaning for configurations read from hostapd.conf.
//
// Decisions (documented here once, pinned by tests/unit/eap_tls_framing_test):
//  * L on an unfragmented message: wpa_supplicant and hostapd leave it off
//    (only the first fragment of a fragmented message carries L), FreeRADIUS
//    (include_length = yes) and wpa_supplicant with include_tls_length=1 put
//    it on every message. We send LengthPolicy::kFirstOfFragmented by default,
//    so our traces match the reference programs byte for byte, and accept
//    every variant on receipt.
//  * A first fragment with M but without L is rejected, as hostapd does:
//    RFC 5216 §2.1.5 says L MUST be set on the first fragment, and without it
//    we cannot bound the message before buffering it. Later fragments may
//    omit L (normal) or repeat it (FreeRADIUS include_length = yes), but a
//    repeated length must equal the first one.
//  * An unfragmented packet whose L value disagrees with the data it carries,
//    and a last fragment that leaves the message short of its announced
//    length, are rejected (RFC 5216 §3.1: the length is the total).
//  * A fragment with M and no data is rejected (it would make no progress).
//  * Rejected packets leave all state unchanged: the caller drops them, and
//    the sender's retransmission gets another chance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

// RFC 5216 §3.1 Flags.
inline constexpr uint8_t kTlsFlagLength = 0x80;  // L
inline constexpr uint8_t kTlsFlagMore = 0x40;    // M
inline constexpr uint8_t kTlsFlagStart = 0x20;   // S
// PEAP's version bits (draft-josefsson-pppext-eap-tls-eap-10 §3.1).
inline constexpr uint8_t kPeapVersionMask = 0x07;
inline constexpr size_t kTlsMessageLengthSize = 4;
// Largest TLS message we reassemble (hostapd and wpa_supplicant use 64 KiB).
inline constexpr size_t kMaxTlsMessageLength = 65536;
// Default bound on fragments per message: a full 64 KiB message cut into
// 64-octet fragments needs 1024.
inline constexpr size_t kMaxTlsFragments = 1024;
// Default bound on packets one method exchange may take in each direction.
inline constexpr size_t kMaxTlsRounds = 2 * kMaxTlsFragments + 64;

// The per-method framing parameters.
struct TlsFraming {
    Type type = Type::kTls;     // for logs
    uint8_t version_mask = 0;   // Flags bits that carry a version; 0 for EAP-TLS
    uint8_t version = 0;        // our version bits (within version_mask), sent every time
};

// One packet's type data, parsed. `data` views the parsed buffer.
struct TlsPacket {
    uint8_t flags = 0;                       // the octet as received
    std::optional<uint32_t> message_length;  // present iff L
    ByteView data;

    bool length_included() const { return (flags & kTlsFlagLength) != 0; }
    bool more() const { return (flags & kTlsFlagMore) != 0; }
    bool start() const { return (flags & kTlsFlagStart) != 0; }
    uint8_t version(uint8_t version_mask) const { return flags & version_mask; }
    // RFC 5216 §2.1.5: an acknowledgement is a packet with no data and none of
    // L, M, S set (version bits may be present).
    bool is_ack() const { return (flags & (kTlsFlagLength | kTlsFlagMore | kTlsFlagStart)) == 0 && data.empty(); }
};

// RFC 5216 §3.1: splits type data into Flags, Length and Data. Fails on an
// empty buffer (no Flags octet) and on L with fewer than 4 length octets.
Result<TlsPacket> parse_tls_packet(ByteView type_data);

// Serializes Flags [Length] Data. `flags` must not contain L; it is added
// when `message_length` is set.
Bytes build_tls_packet(uint8_t flags, std::optional<uint32_t> message_length, ByteView data);
// The Start packet (RFC 5216 §3.1: S set, no data) and the acknowledgement
// (RFC 5216 §2.1.5: no flags, no data), both with the framing's version bits.
Bytes build_tls_start(const TlsFraming& framing);
Bytes build_tls_ack(const TlsFraming& framing);

// ---- reassembly -------------------------------------------------------------

struct ReassemblyLimits {
    size_t max_message_length = kMaxTlsMessageLength;
    size_t max_fragments = kMaxTlsFragments;
};

enum class ReassemblyStatus {
    kNeedMore,  // a fragment was taken; acknowledge it and wait for the next
    kComplete,  // a whole message is ready: take() it
};

// Collects the TLS Data of fragmented messages (RFC 5216 §2.1.5). Validates
// every packet completely before changing anything (see the decisions above).
class Reassembler {
public:
    explicit Reassembler(ReassemblyLimits limits = {}) : limits_(limits) {}

    // A packet carrying TLS data (not Start, not an ACK: the caller sorts
    // those out first). Errors leave the state unchanged.
    Result<ReassemblyStatus> add(const TlsPacket& packet);
    // The complete message after kComplete; resets for the next message.
    Bytes take();
    bool in_progress() const { return expected_.has_value(); }
    size_t buffered() const { return buffer_.size(); }
    void reset();

private:
    ReassemblyLimits limits_;
    std::optional<uint32_t> expected_;  // the announced length while in progress
    size_t fragments_ = 0;
    Bytes buffer_;
    bool complete_ = false;
};

// ---- fragmentation ----------------------------------------------------------

enum class FragmentSizeUnit {
    kTlsData,   // TLS Data octets per packet (wpa_supplicant's fragment_size)
    kTypeData,  // Flags + Length + Data octets per packet (hostapd's fragment_size)
};

enum class LengthPolicy {
    kFirstOfFragmented,  // L only on the first fragment of a fragmented message
    kAlways,             // L on every first-or-only packet of a message
};

struct FragmentOptions {
    size_t fragment_size = 1398;
    FragmentSizeUnit unit = FragmentSizeUnit::kTlsData;
    LengthPolicy length_policy = LengthPolicy::kFirstOfFragmented;
};

// Cuts one outgoing TLS message into packets (RFC 5216 §2.1.5).
class Fragmenter {
public:
    explicit Fragmenter(FragmentOptions options = {});

    // Adds records to the message to send. Allowed only before its first
    // packet went out (records produced in two steps, e.g. a TLS 1.3
    // NewSessionTicket and then application data, travel as one message).
    // Messages longer than kMaxTlsMessageLength are refused: the receiver
    // would reject them.
    Status append(ByteView records);
    // Packets of the current message not sent yet.
    bool pending() const { return offset_ < message_.size(); }
    // Sent a fragment with M and not all of the message yet.
    bool mid_message() const { return offset_ > 0 && pending(); }
    // The next packet's type data (Flags with `version_bits` | L | M). Only
    // while pending().
    Bytes next(uint8_t version_bits);
    // The TLS Data octets the first and the following packets can carry.
    size_t first_capacity(bool fragmented) const;
    size_t later_capacity() const;

private:
    FragmentOptions options_;
    Bytes message_;
    size_t offset_ = 0;
};

// ---- the conversation -------------------------------------------------------

// What one received packet means for the method that owns the exchange.
enum class TlsInbound {
    kStart,             // S set (the peer's first Request; servers reject it)
    kAckOfFragment,     // the other side acknowledged our fragment: send the next
    kFragmentNeedsAck,  // we took a fragment: acknowledge it
    kMessage,           // a whole TLS message arrived: message()
    kAck,               // an empty packet while nothing of ours was pending
                        // (the final ACK of RFC 5216 §2.1.1 / RFC 9190 §2.1.1)
    kTooManyRounds,     // the exchange went on for longer than allowed: fail
};
const char* tls_inbound_name(TlsInbound inbound);

struct TlsExchangeStats {
    size_t packets_in = 0;
    size_t packets_out = 0;
    size_t dropped = 0;  // malformed or unexpected packets (errors returned)
};

// The state both ends of a TLS-based method keep about the framing:
// "outgoing fragments pending", "waiting for more incoming fragments", and
// the bound on rounds. Peer and server use it alike; the method decides what
// a Start, a message or a final ACK means.
class TlsExchange {
public:
    TlsExchange(TlsFraming framing, FragmentOptions fragments, ReassemblyLimits limits = {},
                size_t max_rounds = kMaxTlsRounds);

    // Parses and classifies one received type data. Errors (malformed, or an
    // unexpected packet such as data while our fragments are pending) leave
    // the state unchanged; they are counted in stats().dropped.
    Result<TlsInbound> receive(ByteView type_data);
    // The message after kMessage (moves it out).
    Bytes take_message();

    // Adds records to the next message to send (empty: nothing changes).
    // Must not be called while our fragments are going out.
    Status queue(ByteView records);
    bool sending() const { return fragmenter_.pending(); }
    bool receiving() const { return reassembler_.in_progress(); }
    // The next packet to send: the next fragment when sending(), else an ACK.
    Bytes next_packet();
    Bytes start_packet();
    Bytes ack_packet();

    const TlsFraming& framing() const { return framing_; }
    // Version negotiation (PEAP, TTLS): the version bits of the last accepted
    // packet, and the bits we send from now on (masked by version_mask).
    uint8_t last_version() const { return last_flags_ & framing_.version_mask; }
    void set_version(uint8_t version) { framing_.version = version & framing_.version_mask; }
    const TlsExchangeStats& stats() const { return stats_; }

private:
    Result<TlsInbound> classify(const TlsPacket& packet);
    Error drop(Error error);

    TlsFraming framing_;
    Fragmenter fragmenter_;
    Reassembler reassembler_;
    size_t max_rounds_;
    Bytes message_;
    uint8_t last_flags_ = 0;
    TlsExchangeStats stats_;
};

}  // namespace lanyard::eap
