#include "drivers/netlink_attributes.h"

#include <linux/netlink.h>

#include <cstring>

namespace lanyard {
namespace {

constexpr size_t kAlign = 4;  // NLMSG_ALIGNTO, NLA_ALIGNTO
constexpr size_t kMessageHeaderSize = 16;
constexpr size_t kAttributeHeaderSize = 4;
constexpr uint16_t kAttributeTypeMask = 0x3fff;  // NLA_TYPE_MASK
// Attributes per level: nl80211's largest flat tables stay far below this.
constexpr size_t kMaxAttributesPerLevel = 4096;

size_t align(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

template <typename T>
T load(const uint8_t* p) {
    T value;
    std::memcpy(&value, p, sizeof(value));
    return value;
}

Error malformed(std::string what) { return make_error(ErrorCode::kMalformed, "netlink: " + std::move(what)); }

}  // namespace

Result<std::vector<NetlinkMessageView>> split_netlink_datagram(ByteView datagram, size_t limit) {
    std::vector<NetlinkMessageView> messages;
    size_t offset = 0;
    while (offset < datagram.size()) {
        if (messages.size() >= limit) return make_error(ErrorCode::kLimit, "netlink: too many messages in one datagram");
        if (datagram.size() - offset < kMessageHeaderSize) return malformed("trailing bytes shorter than a message header");
        const uint8_t* p = datagram.data() + offset;
        const uint32_t length = load<uint32_t>(p);
        if (length < kMessageHeaderSize || length > datagram.size() - offset) {
            return malformed("message length " + std::to_string(length) + " out of range");
        }
        NetlinkMessageView message;
        message.type = load<uint16_t>(p + 4);
        message.flags = load<uint16_t>(p + 6);
        message.sequence = load<uint32_t>(p + 8);
        message.port_id = load<uint32_t>(p + 12);
        message.payload = datagram.subspan(offset + kMessageHeaderSize, length - kMessageHeaderSize);
        messages.push_back(message);
        offset += align(length);
    }
    return messages;
}

Result<NetlinkError> parse_netlink_error(ByteView payload, uint16_t flags) {
    // struct nlmsgerr: int error, then the request's header (and, unless
    // NLM_F_CAPPED, the request's payload).
    if (payload.size() < 4 + kMessageHeaderSize) return malformed("error message too short");
    NetlinkError result;
    result.error = load<int32_t>(payload.data());
    if ((flags & NLM_F_ACK_TLVS) == 0) return result;
    size_t tlv_offset = 4 + kMessageHeaderSize;
    if ((flags & NLM_F_CAPPED) == 0) {
        const uint32_t request_length = load<uint32_t>(payload.data() + 4);
        if (request_length < kMessageHeaderSize || request_length > payload.size() - 4) {
            return malformed("error message echoes a bad request length");
        }
        tlv_offset = 4 + align(request_length);
        if (tlv_offset > payload.size()) return result;
    }
    auto tlvs = NetlinkAttributes::parse(payload.subspan(tlv_offset), NLMSGERR_ATTR_MAX);
    if (!tlvs) return tlvs.error();
    if (auto text = tlvs->string(NLMSGERR_ATTR_MSG)) result.message = *text;
    return result;
}

Result<GenlMessageView> parse_genl_message(ByteView payload) {
    if (payload.size() < 4) return malformed("generic netlink header truncated");
    GenlMessageView message;
    message.command = payload[0];
    message.version = payload[1];
    message.attributes = payload.subspan(4);
    return message;
}

Result<std::vector<NetlinkAttributeView>> list_netlink_attributes(ByteView data, size_t limit) {
    std::vector<NetlinkAttributeView> list;
    size_t offset = 0;
    while (offset < data.size()) {
        if (list.size() >= limit) return make_error(ErrorCode::kLimit, "netlink: too many attributes");
        if (data.size() - offset < kAttributeHeaderSize) return malformed("attribute header truncated");
        const uint16_t length = load<uint16_t>(data.data() + offset);
        const uint16_t type = load<uint16_t>(data.data() + offset + 2);
        if (length < kAttributeHeaderSize || length > data.size() - offset) {
            return malformed("attribute " + std::to_string(type & kAttributeTypeMask) + " length " +
                             std::to_string(length) + " out of range");
        }
        list.push_back(NetlinkAttributeView{static_cast<uint16_t>(type & kAttributeTypeMask),
                                            data.subspan(offset + kAttributeHeaderSize, length - kAttributeHeaderSize)});
        offset += align(length);
    }
    return list;
}

Result<NetlinkAttributes> NetlinkAttributes::parse(ByteView data, uint16_t max_type) {
    auto list = list_netlink_attributes(data, kMaxAttributesPerLevel);
    if (!list) return list.error();
    NetlinkAttributes table;
    table.table_.resize(size_t{max_type} + 1);
    for (const NetlinkAttributeView& attribute : *list) {
        if (attribute.type <= max_type) table.table_[attribute.type] = attribute.payload;
    }
    return table;
}

std::optional<ByteView> NetlinkAttributes::get(uint16_t type) const {
    if (type >= table_.size()) return std::nullopt;
    return table_[type];
}

namespace {
template <typename T>
std::optional<T> fixed(const std::optional<ByteView>& payload) {
    if (!payload || payload->size() < sizeof(T)) return std::nullopt;
    return load<T>(payload->data());
}
}  // namespace

std::optional<uint8_t> NetlinkAttributes::u8(uint16_t type) const { return fixed<uint8_t>(get(type)); }
std::optional<uint16_t> NetlinkAttributes::u16(uint16_t type) const { return fixed<uint16_t>(get(type)); }
std::optional<uint32_t> NetlinkAttributes::u32(uint16_t type) const { return fixed<uint32_t>(get(type)); }
std::optional<int32_t> NetlinkAttributes::s32(uint16_t type) const { return fixed<int32_t>(get(type)); }

std::optional<MacAddress> NetlinkAttributes::mac(uint16_t type) const {
    auto payload = get(type);
    if (!payload || payload->size() != MacAddress::kSize) return std::nullopt;
    return MacAddress::from_bytes(*payload).value();
}

std::optional<std::string> NetlinkAttributes::string(uint16_t type) const {
    auto payload = get(type);
    if (!payload) return std::nullopt;
    std::string text(payload->begin(), payload->end());
    const size_t nul = text.find('\0');
    if (nul != std::string::npos) text.resize(nul);
    return text;
}

Result<NetlinkAttributes> NetlinkAttributes::nested(uint16_t type, uint16_t max_type) const {
    auto payload = get(type);
    if (!payload) return make_error(ErrorCode::kTruncated, "netlink: nested attribute " + std::to_string(type) + " missing");
    return parse(*payload, max_type);
}

Result<std::vector<uint32_t>> read_u32_array(ByteView data, size_t limit) {
    if (data.size() % 4 != 0) return malformed("u32 array of " + std::to_string(data.size()) + " bytes");
    if (data.size() / 4 > limit) return make_error(ErrorCode::kLimit, "netlink: u32 array too long");
    std::vector<uint32_t> values;
    for (size_t i = 0; i < data.size(); i += 4) values.push_back(load<uint32_t>(data.data() + i));
    return values;
}

}  // namespace lanyard
