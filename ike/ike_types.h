// IKEv2 numbers from the IANA "IKEv2 Parameters" registry (RFC 7296 §3):
// exchange types, payload types, notify types, identification types and the
// protocol IDs. Enums have a fixed underlying type so that unknown values
// from the wire can still be carried where RFC 7296 says to skip them.
#pragma once

#include <cstdint>

namespace lanyard::ike {

// RFC 7296 §3.1; RFC 9242 §3 (IKE_INTERMEDIATE).
enum class ExchangeType : uint8_t {
    kIkeSaInit = 34,
    kIkeAuth = 35,
    kCreateChildSa = 36,
    kInformational = 37,
    kIkeIntermediate = 43,
};
bool is_known_exchange_type(uint8_t value);
const char* exchange_type_name(ExchangeType type);

// RFC 7296 §3.2 payload types; RFC 7383 §2.5 (SKF).
enum class PayloadType : uint8_t {
    kNone = 0,
    kSa = 33,
    kKe = 34,
    kIdi = 35,
    kIdr = 36,
    kCert = 37,
    kCertReq = 38,
    kAuth = 39,
    kNonce = 40,
    kNotify = 41,
    kDelete = 42,
    kVendorId = 43,
    kTsi = 44,
    kTsr = 45,
    kEncrypted = 46,
    kConfig = 47,
    kEap = 48,
    kEncryptedFragment = 53,
};
bool is_known_payload_type(uint8_t value);
const char* payload_type_name(PayloadType type);

// RFC 7296 §3.3.1 Protocol ID.
enum class ProtocolId : uint8_t { kNone = 0, kIke = 1, kAh = 2, kEsp = 3 };

// RFC 7296 §3.5 ID Type.
enum class IdType : uint8_t {
    kIpv4Addr = 1,
    kFqdn = 2,
    kRfc822Addr = 3,
    kIpv6Addr = 5,
    kDerAsn1Dn = 9,
    kDerAsn1Gn = 10,
    kKeyId = 11,
};

// RFC 7296 §3.8 Auth Method; RFC 7427 (digital signature).
enum class AuthMethod : uint8_t {
    kRsaSignature = 1,
    kSharedKeyMic = 2,
    kDssSignature = 3,
    kEcdsaSha256P256 = 9,
    kEcdsaSha384P384 = 10,
    kEcdsaSha512P521 = 11,
    kDigitalSignature = 14,
};

// RFC 7296 §3.10.1 Notify Message Types (error types < 16384, status types
// from 16384 on). Values not listed here are carried as their number.
enum class NotifyType : uint16_t {
    kUnsupportedCriticalPayload = 1,
    kInvalidIkeSpi = 4,
    kInvalidMajorVersion = 5,
    kInvalidSyntax = 7,
    kInvalidMessageId = 9,
    kInvalidSpi = 11,
    kNoProposalChosen = 14,
    kInvalidKePayload = 17,
    kAuthenticationFailed = 24,
    kSinglePairRequired = 34,
    kNoAdditionalSas = 35,
    kInternalAddressFailure = 36,
    kFailedCpRequired = 37,
    kTsUnacceptable = 38,
    kInvalidSelectors = 39,
    kTemporaryFailure = 43,
    kChildSaNotFound = 44,
    kInitialContact = 16384,
    kSetWindowSize = 16385,
    kAdditionalTsPossible = 16386,
    kIpcompSupported = 16387,
    kNatDetectionSourceIp = 16388,
    kNatDetectionDestinationIp = 16389,
    kCookie = 16390,
    kUseTransportMode = 16391,
    kHttpCertLookupSupported = 16392,
    kRekeySa = 16393,
    kEspTfcPaddingNotSupported = 16394,
    kNonFirstFragmentsAlso = 16395,
    kMobikeSupported = 16396,
    kMultipleAuthSupported = 16404,    // RFC 4739 §3.1
    kAnotherAuthFollows = 16405,       // RFC 4739 §3.2
    kEapOnlyAuthentication = 16417,    // RFC 5998 §4
    kIkev2FragmentationSupported = 16430,  // RFC 7383 §2.3
    kSignatureHashAlgorithms = 16431,  // RFC 7427 §4
    kIntermediateExchangeSupported = 16438,  // RFC 9242 §3
};
inline bool is_error_notify(uint16_t type) { return type < 16384; }

// RFC 7296 §3.13.1 TS Type.
enum class TsType : uint8_t { kIpv4AddrRange = 7, kIpv6AddrRange = 8 };

// RFC 7296 §3.15 CFG Type.
enum class CfgType : uint8_t { kRequest = 1, kReply = 2, kSet = 3, kAck = 4 };

// RFC 7296 §3.15.1 Configuration Attributes.
enum class CfgAttribute : uint16_t {
    kInternalIp4Address = 1,
    kInternalIp4Netmask = 2,
    kInternalIp4Dns = 3,
    kInternalIp4Nbns = 4,
    kInternalIp4Dhcp = 6,
    kApplicationVersion = 7,
    kInternalIp6Address = 8,
    kInternalIp6Dns = 10,
    kInternalIp6Dhcp = 12,
    kInternalIp4Subnet = 13,
    kSupportedAttributes = 14,
    kInternalIp6Subnet = 15,
};

// RFC 7296 §3.1 flags.
inline constexpr uint8_t kFlagInitiator = 0x08;
inline constexpr uint8_t kFlagVersion = 0x10;
inline constexpr uint8_t kFlagResponse = 0x20;

}  // namespace lanyard::ike
