// Netlink wire format parsed by hand, without libnl, so the parsing is pure
// and runs in the unit tests and under libFuzzer: the messages of one
// datagram (struct nlmsghdr, RFC 3549 §2.3.2), the generic-netlink header,
// the error/ACK payload with its extended-ACK message, and the
// type-length-value attributes (struct nlattr) of a message or of a nested
// attribute. Netlink integers are in host byte order.
//
// Everything returned is a view into the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard {

struct NetlinkMessageView {
    uint16_t type = 0;
    uint16_t flags = 0;
    uint32_t sequence = 0;
    uint32_t port_id = 0;
    ByteView payload;  // after the 16-byte header, up to nlmsg_len
};

// Splits one received datagram into its messages. A bad length anywhere
// fails the whole datagram (nothing after it can be trusted). At most
// `limit` messages.
Result<std::vector<NetlinkMessageView>> split_netlink_datagram(ByteView datagram,
                                                               size_t limit = 1024);

// NLMSG_ERROR payload: errno (0 for an ACK, negative otherwise) and, with
// NETLINK_EXT_ACK, the kernel's explanation (NLMSGERR_ATTR_MSG).
struct NetlinkError {
    int error = 0;
    std::string message;
};
// `flags` are the flags of the NLMSG_ERROR message (NLM_F_CAPPED,
// NLM_F_ACK_TLVS say where the TLVs start).
Result<NetlinkError> parse_netlink_error(ByteView payload, uint16_t flags);

// Generic netlink: command, version, reserved, then attributes.
struct GenlMessageView {
    uint8_t command = 0;
    uint8_t version = 0;
    ByteView attributes;
};
Result<GenlMessageView> parse_genl_message(ByteView payload);

// The attributes of one level, indexed by type (NLA_F_NESTED and
// NLA_F_NET_BYTEORDER masked off). A type above `max_type` is ignored, as the
// kernel's newer attributes must be; a repeated type keeps the last one, as
// nla_parse does. A truncated or overlong attribute fails the whole level.
class NetlinkAttributes {
public:
    static Result<NetlinkAttributes> parse(ByteView data, uint16_t max_type);

    bool has(uint16_t type) const { return get(type).has_value(); }
    std::optional<ByteView> get(uint16_t type) const;
    std::optional<uint8_t> u8(uint16_t type) const;
    std::optional<uint16_t> u16(uint16_t type) const;
    std::optional<uint32_t> u32(uint16_t type) const;
    std::optional<int32_t> s32(uint16_t type) const;
    std::optional<MacAddress> mac(uint16_t type) const;
    // NUL-terminated or not; stops at the first NUL.
    std::optional<std::string> string(uint16_t type) const;
    // A nested attribute parsed as a table of its own.
    Result<NetlinkAttributes> nested(uint16_t type, uint16_t max_type) const;

private:
    std::vector<std::optional<ByteView>> table_;
};

// Every attribute of one level in order, for arrays whose elements all
// share a meaningless type (nested lists such as NL80211_BAND_ATTR_FREQS).
struct NetlinkAttributeView {
    uint16_t type = 0;
    ByteView payload;
};
Result<std::vector<NetlinkAttributeView>> list_netlink_attributes(ByteView data, size_t limit);

// Reads a host-order u32 array (NL80211_ATTR_CIPHER_SUITES and friends);
// a length that is not a multiple of 4 is malformed.
Result<std::vector<uint32_t>> read_u32_array(ByteView data, size_t limit);

}  // namespace lanyard
