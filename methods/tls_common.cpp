#include "methods/tls_common.h"

#include <algorithm>
#include <cassert>

#include "common/log.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-tls-frame";
// Smallest TLS Data per packet we send: smaller fragments would need more
// than kMaxTlsFragments packets for a maximal message.
constexpr size_t kMinFragmentData = kMaxTlsMessageLength / kMaxTlsFragments;

}  // namespace

// ---- codec ------------------------------------------------------------------

Result<TlsPacket> parse_tls_packet(ByteView type_data) {
    ByteReader r(type_data);
    auto flags = r.u8();
    if (!flags) return make_error(ErrorCode::kTruncated, "no Flags octet");
    TlsPacket packet;
    packet.flags = *flags;
    if (packet.length_included()) {
        // RFC 5216 §3.1: "TLS Message Length ... present only if the L bit is set".
        auto length = r.u32();
        if (!length) return make_error(ErrorCode::kTruncated, "L set but TLS Message Length is cut short");
        packet.message_length = *length;
    }
    packet.data = r.rest();
    return packet;
}

Bytes build_tls_packet(uint8_t flags, std::optional<uint32_t> message_length, ByteView data) {
    assert((flags & kTlsFlagLength) == 0);
    ByteWriter w(1 + kTlsMessageLengthSize + data.size());
    w.u8(static_cast<uint8_t>(flags | (message_length ? kTlsFlagLength : 0)));
    if (message_length) w.u32(*message_length);
    w.bytes(data);
    return w.take();
}

Bytes build_tls_start(const TlsFraming& framing) {
    return build_tls_packet(static_cast<uint8_t>(kTlsFlagStart | framing.version), std::nullopt, {});
}

Bytes build_tls_ack(const TlsFraming& framing) { return build_tls_packet(framing.version, std::nullopt, {}); }

// ---- reassembly -------------------------------------------------------------

Result<ReassemblyStatus> Reassembler::add(const TlsPacket& packet) {
    assert(!complete_);
    const size_t n = packet.data.size();
    if (packet.more() && n == 0)
        return make_error(ErrorCode::kMalformed, "fragment with M set carries no TLS data");

    if (!expected_) {
        // The first (or only) packet of a message.
        size_t total = n;
        if (packet.message_length) {
            total = *packet.message_length;
            if (total > limits_.max_message_length)
                return make_error(ErrorCode::kLimit, "TLS Message Length " + std::to_string(total) +
                                                         " exceeds " + std::to_string(limits_.max_message_length));
            if (n > total)
                return make_error(ErrorCode::kMalformed, "TLS Message Length " + std::to_string(total) +
                                                             " smaller than the " + std::to_string(n) +
                                                             " octets of this fragment");
        } else if (packet.more()) {
            // RFC 5216 §2.1.5: L MUST be set on the first fragment.
            return make_error(ErrorCode::kMalformed, "first fragment without TLS Message Length");
        }
        if (total == 0) return make_error(ErrorCode::kMalformed, "empty TLS message");
        if (total > limits_.max_message_length)
            return make_error(ErrorCode::kLimit, "TLS message over " + std::to_string(limits_.max_message_length));
        if (packet.more()) {
            if (n == total) return make_error(ErrorCode::kMalformed, "M set but the fragment holds the whole message");
            expected_ = static_cast<uint32_t>(total);
            fragments_ = 1;
            buffer_.assign(packet.data.begin(), packet.data.end());
            buffer_.reserve(total);
            return ReassemblyStatus::kNeedMore;
        }
        if (n != total)
            return make_error(ErrorCode::kMalformed, "unfragmented message of " + std::to_string(n) +
                                                         " octets announces " + std::to_string(total));
        buffer_.assign(packet.data.begin(), packet.data.end());
        complete_ = true;
        return ReassemblyStatus::kComplete;
    }

    // A following fragment.
    if (packet.message_length && *packet.message_length != *expected_)
        return make_error(ErrorCode::kMalformed, "TLS Message Length changed from " + std::to_string(*expected_) +
                                                     " to " + std::to_string(*packet.message_length));
    if (fragments_ + 1 > limits_.max_fragments)
        return make_error(ErrorCode::kLimit, "more than " + std::to_string(limits_.max_fragments) + " fragments");
    const size_t total = buffer_.size() + n;
    if (total > *expected_)
        return make_error(ErrorCode::kMalformed, "data beyond the announced TLS Message Length " +
                                                     std::to_string(*expected_));
    if (packet.more() && total == *expected_)
        return make_error(ErrorCode::kMalformed, "M set but the message is complete");
    if (!packet.more() && total != *expected_)
        return make_error(ErrorCode::kMalformed, "last fragment leaves the message " +
                                                     std::to_string(*expected_ - total) + " octets short");
    buffer_.insert(buffer_.end(), packet.data.begin(), packet.data.end());
    ++fragments_;
    if (packet.more()) return ReassemblyStatus::kNeedMore;
    expected_.reset();
    complete_ = true;
    return ReassemblyStatus::kComplete;
}

Bytes Reassembler::take() {
    assert(complete_);
    Bytes out = std::move(buffer_);
    reset();
    return out;
}

void Reassembler::reset() {
    expected_.reset();
    fragments_ = 0;
    buffer_.clear();
    complete_ = false;
}

// ---- fragmentation ----------------------------------------------------------

Fragmenter::Fragmenter(FragmentOptions options) : options_(options) {
    const size_t overhead = options_.unit == FragmentSizeUnit::kTypeData ? 1 + kTlsMessageLengthSize : 0;
    options_.fragment_size = std::max(options_.fragment_size, kMinFragmentData + overhead);
}

size_t Fragmenter::first_capacity(bool fragmented) const {
    switch (options_.unit) {
        case FragmentSizeUnit::kTlsData:
            return options_.fragment_size;
        case FragmentSizeUnit::kTypeData: {
            const bool with_length = fragmented || options_.length_policy == LengthPolicy::kAlways;
            return options_.fragment_size - 1 - (with_length ? kTlsMessageLengthSize : 0);
        }
    }
    return options_.fragment_size;
}

size_t Fragmenter::later_capacity() const {
    switch (options_.unit) {
        case FragmentSizeUnit::kTlsData: return options_.fragment_size;
        case FragmentSizeUnit::kTypeData: return options_.fragment_size - 1;
    }
    return options_.fragment_size;
}

Status Fragmenter::append(ByteView records) {
    assert(offset_ == 0);
    if (message_.size() + records.size() > kMaxTlsMessageLength)
        return make_error(ErrorCode::kLimit, "outgoing TLS message of " +
                                                 std::to_string(message_.size() + records.size()) +
                                                 " octets exceeds " + std::to_string(kMaxTlsMessageLength));
    message_.insert(message_.end(), records.begin(), records.end());
    return ok_status();
}

Bytes Fragmenter::next(uint8_t version_bits) {
    assert(pending());
    const size_t size = message_.size();
    const bool fragmented = size > first_capacity(false);
    const bool first = offset_ == 0;
    const size_t capacity = first ? first_capacity(fragmented) : later_capacity();
    const size_t n = std::min(size - offset_, capacity);
    const bool more = offset_ + n < size;
    // RFC 5216 §2.1.5: L on the first fragment of a fragmented message; on an
    // unfragmented message only when the policy asks for it.
    std::optional<uint32_t> length;
    if (first && (fragmented || options_.length_policy == LengthPolicy::kAlways))
        length = static_cast<uint32_t>(size);
    const uint8_t flags = static_cast<uint8_t>(version_bits | (more ? kTlsFlagMore : 0));
    Bytes out = build_tls_packet(flags, length, ByteView(message_).subspan(offset_, n));
    offset_ += n;
    if (!pending()) {
        message_.clear();
        offset_ = 0;
    }
    return out;
}

// ---- the conversation -------------------------------------------------------

const char* tls_inbound_name(TlsInbound inbound) {
    switch (inbound) {
        case TlsInbound::kStart: return "start";
        case TlsInbound::kAckOfFragment: return "ack-of-fragment";
        case TlsInbound::kFragmentNeedsAck: return "fragment";
        case TlsInbound::kMessage: return "message";
        case TlsInbound::kAck: return "ack";
        case TlsInbound::kTooManyRounds: return "too-many-rounds";
    }
    return "?";
}

TlsExchange::TlsExchange(TlsFraming framing, FragmentOptions fragments, ReassemblyLimits limits, size_t max_rounds)
    : framing_(framing), fragmenter_(fragments), reassembler_(limits), max_rounds_(max_rounds) {}

Error TlsExchange::drop(Error error) {
    ++stats_.dropped;
    LOG_DEBUG(kLog, "%s: dropped packet: %s", type_name(static_cast<uint8_t>(framing_.type)),
              error.to_string().c_str());
    return error;
}

Result<TlsInbound> TlsExchange::receive(ByteView type_data) {
    auto packet = parse_tls_packet(type_data);
    if (!packet) return drop(packet.error());
    if (stats_.packets_in >= max_rounds_) return TlsInbound::kTooManyRounds;
    auto inbound = classify(*packet);
    if (!inbound) return drop(inbound.error());
    ++stats_.packets_in;
    last_flags_ = packet->flags;
    LOG_EXCESSIVE(kLog, "%s: received %s (flags 0x%02x, %zu octets)", type_name(static_cast<uint8_t>(framing_.type)),
                  tls_inbound_name(*inbound), packet->flags, packet->data.size());
    return inbound;
}

Result<TlsInbound> TlsExchange::classify(const TlsPacket& packet) {
    if (packet.start()) {
        // RFC 5216 §3.1: S appears only in the server's first Request.
        if (sending() || receiving()) return make_error(ErrorCode::kProtocol, "Start in the middle of a message");
        return TlsInbound::kStart;
    }
    if (fragmenter_.mid_message()) {
        // RFC 5216 §2.1.5: each fragment with M is answered by an empty ACK.
        if (!packet.is_ack()) return make_error(ErrorCode::kProtocol, "expected an ACK of our fragment");
        return TlsInbound::kAckOfFragment;
    }
    if (packet.is_ack()) {
        if (receiving()) return make_error(ErrorCode::kProtocol, "empty packet while a message was being reassembled");
        return TlsInbound::kAck;
    }
    if (sending()) return make_error(ErrorCode::kProtocol, "data while our own message waits to be sent");
    auto status = reassembler_.add(packet);
    if (!status) return status.error();
    switch (*status) {
        case ReassemblyStatus::kNeedMore: return TlsInbound::kFragmentNeedsAck;
        case ReassemblyStatus::kComplete:
            message_ = reassembler_.take();
            return TlsInbound::kMessage;
    }
    return make_error(ErrorCode::kInternal, "unknown reassembly status");
}

Bytes TlsExchange::take_message() { return std::move(message_); }

Status TlsExchange::queue(ByteView records) {
    assert(!fragmenter_.mid_message());
    if (records.empty()) return ok_status();
    return fragmenter_.append(records);
}

Bytes TlsExchange::next_packet() {
    ++stats_.packets_out;
    if (fragmenter_.pending()) return fragmenter_.next(framing_.version);
    return build_tls_ack(framing_);
}

Bytes TlsExchange::start_packet() {
    ++stats_.packets_out;
    return build_tls_start(framing_);
}

Bytes TlsExchange::ack_packet() {
    ++stats_.packets_out;
    return build_tls_ack(framing_);
}

}  // namespace lanyard::eap
