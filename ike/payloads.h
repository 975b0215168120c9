// Payload structs for every RFC 7296 payload (§3.3-§3.16) and the RFC 7383
// Encrypted Fragment payload, as one std::variant so later layers can
// std::visit a parsed message. Bodies are without the generic header; the
// chain codec (message.h) adds it.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "common/bytes.h"
#include "ike/ike_types.h"

namespace lanyard::ike {

// RFC 7296 §3.3.5: Key Length is attribute type 14, always TV.
inline constexpr uint16_t kAttrKeyLength = 14;

struct TransformAttribute {
    uint16_t type = 0;     // without the AF bit
    bool tv = true;        // AF bit: value is the 16-bit TV value
    uint16_t tv_value = 0;
    Bytes value;           // TLV value
    bool operator==(const TransformAttribute&) const = default;
};

struct Transform {
    uint8_t type = 0;  // TransformType (transforms.h)
    uint16_t id = 0;
    std::optional<uint16_t> key_length;  // bits, attribute 14
    std::vector<TransformAttribute> other_attributes;  // unknown: transform unusable (§3.3.6)
    bool operator==(const Transform&) const = default;
};

struct Proposal {
    uint8_t number = 1;
    ProtocolId protocol = ProtocolId::kIke;
    Bytes spi;  // 0 octets (IKE_SA_INIT), 8 (IKE rekey) or 4 (AH/ESP)
    std::vector<Transform> transforms;
    bool operator==(const Proposal&) const = default;
};

struct SaPayload {  // §3.3
    std::vector<Proposal> proposals;
    bool operator==(const SaPayload&) const = default;
};

struct KePayload {  // §3.4
    uint16_t dh_group = 0;
    Bytes key_data;
    bool operator==(const KePayload&) const = default;
};

struct IdPayload {  // §3.5 (IDi and IDr)
    IdType id_type = IdType::kFqdn;
    Bytes data;
    bool operator==(const IdPayload&) const = default;
};

struct CertPayload {  // §3.6
    uint8_t encoding = 4;  // 4 = X.509 Certificate - Signature
    Bytes data;
    bool operator==(const CertPayload&) const = default;
};

struct CertReqPayload {  // §3.7
    uint8_t encoding = 4;
    Bytes authorities;  // concatenated SHA-1 hashes of CA public keys for X.509
    bool operator==(const CertReqPayload&) const = default;
};

struct AuthPayload {  // §3.8
    AuthMethod method = AuthMethod::kSharedKeyMic;
    Bytes data;
    bool operator==(const AuthPayload&) const = default;
};

inline constexpr size_t kMinNonceSize = 16;   // §3.9
inline constexpr size_t kMaxNonceSize = 256;

struct NoncePayload {  // §3.9
    Bytes nonce;
    bool operator==(const NoncePayload&) const = default;
};

struct NotifyPayload {  // §3.10
    ProtocolId protocol = ProtocolId::kNone;
    uint16_t type = 0;  // NotifyType value, possibly unknown
    Bytes spi;
    Bytes data;
    bool is(NotifyType t) const { return type == static_cast<uint16_t>(t); }
    bool operator==(const NotifyPayload&) const = default;
};

struct DeletePayload {  // §3.11
    ProtocolId protocol = ProtocolId::kIke;
    uint8_t spi_size = 0;
    std::vector<Bytes> spis;
    bool operator==(const DeletePayload&) const = default;
};

struct VendorIdPayload {  // §3.12
    Bytes id;
    bool operator==(const VendorIdPayload&) const = default;
};

struct TrafficSelector {  // §3.13.1
    TsType type = TsType::kIpv4AddrRange;
    uint8_t ip_protocol = 0;
    uint16_t start_port = 0;
    uint16_t end_port = 65535;
    Bytes start_address;  // 4 or 16 octets
    Bytes end_address;
    bool operator==(const TrafficSelector&) const = default;
};

struct TsPayload {  // §3.13 (TSi and TSr)
    std::vector<TrafficSelector> selectors;
    bool operator==(const TsPayload&) const = default;
};

// §3.14: IV || encrypted (payloads, padding, pad length) || ICV, as on the
// wire; ike/sk_payload.h seals and opens it. first_inner is the generic
// header's Next Payload: the type of the first encrypted payload.
struct EncryptedPayload {
    uint8_t first_inner = 0;
    Bytes data;
    bool operator==(const EncryptedPayload&) const = default;
};

// RFC 7383 §2.5. first_inner is non-zero only in fragment 1.
struct EncryptedFragmentPayload {
    uint8_t first_inner = 0;
    uint16_t fragment_number = 1;
    uint16_t total_fragments = 1;
    Bytes data;
    bool operator==(const EncryptedFragmentPayload&) const = default;
};

struct ConfigAttribute {  // §3.15.1
    uint16_t type = 0;  // CfgAttribute value, 15 bits
    Bytes value;
    bool operator==(const ConfigAttribute&) const = default;
};

struct ConfigPayload {  // §3.15
    CfgType cfg_type = CfgType::kRequest;
    std::vector<ConfigAttribute> attributes;
    bool operator==(const ConfigPayload&) const = default;
};

struct EapPayload {  // §3.16: one EAP message (RFC 3748 §4)
    Bytes message;
    bool operator==(const EapPayload&) const = default;
};

// A payload we do not know, kept only when it was not critical (§2.5
// says skip it); the builder writes it back unchanged.
struct UnknownPayload {
    Bytes data;
    bool operator==(const UnknownPayload&) const = default;
};

using PayloadBody = std::variant<SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, AuthPayload,
                                 NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, TsPayload,
                                 EncryptedPayload, ConfigPayload, EapPayload, EncryptedFragmentPayload,
                                 UnknownPayload>;

struct Payload {
    uint8_t type = 0;  // PayloadType value; tells IDi from IDr and TSi from TSr
    bool critical = false;
    PayloadBody body;

    PayloadType payload_type() const { return static_cast<PayloadType>(type); }
    template <typename T> const T* get() const { return std::get_if<T>(&body); }
    bool operator==(const Payload&) const = default;
};

// Convenience constructors that pick the payload type from the body.
Payload make_payload(PayloadBody body);
Payload make_id_payload(bool initiator, IdPayload id);
Payload make_ts_payload(bool initiator, TsPayload ts);

// Body codecs, one per payload type (payload_*.cpp). parse_body() checks
// every field; build_body() refuses values that cannot be encoded.
Result<PayloadBody> parse_payload_body(PayloadType type, ByteView body);
Result<Bytes> build_payload_body(const PayloadBody& body);

// Per-type parsers, exposed for tests and for the SA inside CREATE_CHILD_SA.
Result<SaPayload> parse_sa(ByteView body);
Result<Bytes> build_sa(const SaPayload& sa);

}  // namespace lanyard::ike
