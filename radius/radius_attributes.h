// RADIUS attribute types and typed accessors (RFC 2865 §5, RFC 2866 §5,
// RFC 2869 §5, RFC 3579 §3) plus User-Password hiding (RFC 2865 §5.2).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

namespace attr {
// RFC 2865 §5
inline constexpr uint8_t kUserName = 1;
inline constexpr uint8_t kUserPassword = 2;
inline constexpr uint8_t kNasIpAddress = 4;
inline constexpr uint8_t kNasPort = 5;
inline constexpr uint8_t kServiceType = 6;
inline constexpr uint8_t kFramedMtu = 12;
inline constexpr uint8_t kReplyMessage = 18;
inline constexpr uint8_t kState = 24;
inline constexpr uint8_t kClass = 25;
inline constexpr uint8_t kVendorSpecific = 26;
inline constexpr uint8_t kSessionTimeout = 27;
inline constexpr uint8_t kIdleTimeout = 28;
inline constexpr uint8_t kTerminationAction = 29;
inline constexpr uint8_t kCalledStationId = 30;
inline constexpr uint8_t kCallingStationId = 31;
inline constexpr uint8_t kNasIdentifier = 32;
inline constexpr uint8_t kProxyState = 33;
// RFC 2866 §5
inline constexpr uint8_t kAcctStatusType = 40;
inline constexpr uint8_t kAcctDelayTime = 41;
inline constexpr uint8_t kAcctInputOctets = 42;
inline constexpr uint8_t kAcctOutputOctets = 43;
inline constexpr uint8_t kAcctSessionId = 44;
inline constexpr uint8_t kAcctAuthentic = 45;
inline constexpr uint8_t kAcctSessionTime = 46;
inline constexpr uint8_t kAcctInputPackets = 47;
inline constexpr uint8_t kAcctOutputPackets = 48;
inline constexpr uint8_t kAcctTerminateCause = 49;
inline constexpr uint8_t kAcctMultiSessionId = 50;
// RFC 2869 §5
inline constexpr uint8_t kAcctInputGigawords = 52;
inline constexpr uint8_t kAcctOutputGigawords = 53;
inline constexpr uint8_t kNasPortType = 61;
inline constexpr uint8_t kConnectInfo = 77;
inline constexpr uint8_t kEapMessage = 79;            // RFC 3579 §3.1
inline constexpr uint8_t kMessageAuthenticator = 80;  // RFC 3579 §3.2
inline constexpr uint8_t kAcctInterimInterval = 85;
inline constexpr uint8_t kNasPortId = 87;
inline constexpr uint8_t kNasIpv6Address = 95;        // RFC 3162 §2.1
}  // namespace attr

// RFC 2548 §2.4.2, §2.4.3: Microsoft vendor (311) sub-attribute types.
namespace ms_attr {
inline constexpr uint8_t kMppeSendKey = 16;
inline constexpr uint8_t kMppeRecvKey = 17;
}  // namespace ms_attr

// RFC 2865 §5.41 NAS-Port-Type values (IANA registry).
enum class NasPortType : uint32_t { kVirtual = 5, kEthernet = 15, kWireless80211 = 19 };
// RFC 2865 §5.6 Service-Type values.
enum class ServiceType : uint32_t { kLogin = 1, kFramed = 2, kAuthenticateOnly = 8 };
// RFC 2865 §5.29 Termination-Action values.
enum class TerminationAction : uint32_t { kDefault = 0, kRadiusRequest = 1 };
// RFC 2866 §5.1 Acct-Status-Type values.
enum class AcctStatusType : uint32_t { kStart = 1, kStop = 2, kInterimUpdate = 3, kAccountingOn = 7, kAccountingOff = 8 };
// RFC 2866 §5.10 Acct-Terminate-Cause values (the ones 802.1X uses, RFC 3580 §3.16).
enum class AcctTerminateCause : uint32_t {
    kUserRequest = 1,
    kLostCarrier = 2,
    kIdleTimeout = 4,
    kSessionTimeout = 5,
    kAdminReset = 6,
    kPortError = 8,
    kNasError = 9,
    kNasRequest = 10,
    kNasReboot = 11,
    kPortUnneeded = 12,
    kPortPreempted = 13,
    kPortSuspended = 14,
    kServiceUnavailable = 15,
    kCallback = 16,
    kUserError = 17,
    kHostRequest = 18,
};

using Ipv4Address = std::array<uint8_t, 4>;

// ---- adding (fail only when the value exceeds 253 octets) ------------------
Status add_string(Packet& packet, uint8_t type, std::string_view text);
// RFC 2865 §5 "integer": 32-bit big-endian.
void add_integer(Packet& packet, uint8_t type, uint32_t value);
// RFC 2865 §5 "address": 4 octets.
void add_ipv4(Packet& packet, uint8_t type, const Ipv4Address& address);

// ---- reading -----------------------------------------------------------------
// The first attribute of a type as text (octets copied as is), or nullopt.
std::optional<std::string> get_string(const Packet& packet, uint8_t type);
// The first attribute of a type as an integer: nullopt when absent,
// kMalformed when its value is not exactly 4 octets.
Result<std::optional<uint32_t>> get_integer(const Packet& packet, uint8_t type);
Result<std::optional<Ipv4Address>> get_ipv4(const Packet& packet, uint8_t type);

// RFC 2865 §5.33: a server copies every Proxy-State of the request into its
// response, unmodified and in order.
void copy_proxy_state(const Packet& request, Packet& response);

// ---- User-Password (RFC 2865 §5.2) -----------------------------------------
// The password is padded with NULs to a multiple of 16 (at most 128 octets),
// then c(1) = p(1) xor MD5(S + RA), c(i) = p(i) xor MD5(S + c(i-1)).
inline constexpr size_t kMaxUserPasswordSize = 128;
// Fails (kLimit) for a password longer than 128 octets.
Result<Bytes> hide_user_password(ByteView password, ByteView secret, const Authenticator& request_authenticator);
// Inverts hide_user_password and strips the trailing NUL padding. The value
// must be 16..128 octets and a multiple of 16 (kMalformed otherwise).
Result<SecretBytes> recover_user_password(ByteView hidden, ByteView secret, const Authenticator& request_authenticator);

}  // namespace lanyard::radius
