// Body codecs for the payloads other than SA (RFC 7296 §3.4-§3.16, RFC 7383
// §2.5), and the dispatch by payload type.
#include <string>
#include <type_traits>

#include "ike/payloads.h"

namespace lanyard::ike {
namespace {

constexpr size_t kMaxSelectors = 64;   // bounds on peer-driven loops
constexpr size_t kMaxCfgAttributes = 64;
constexpr size_t kMaxDeleteSpis = 1024;

Error malformed(const char* payload, std::string what) {
    return make_error(ErrorCode::kMalformed, std::string(payload) + ": " + std::move(what));
}
Bytes copy(ByteView v) { return Bytes(v.begin(), v.end()); }

Result<PayloadBody> parse_ke(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("KE", "shorter than 4 octets");
    KePayload ke;
    ke.dh_group = *r.u16();
    LANYARD_TRY(r.skip(2));
    ke.key_data = copy(r.rest());
    if (ke.key_data.empty()) return malformed("KE", "empty Key Exchange Data");
    return PayloadBody(std::move(ke));
}

Result<PayloadBody> parse_id(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("ID", "shorter than 4 octets");
    const uint8_t type = *r.u8();
    LANYARD_TRY(r.skip(3));
    IdPayload id;
    id.data = copy(r.rest());
    switch (type) {
        case 1:
            if (id.data.size() != 4) return malformed("ID", "ID_IPV4_ADDR not 4 octets");
            break;
        case 5:
            if (id.data.size() != 16) return malformed("ID", "ID_IPV6_ADDR not 16 octets");
            break;
        case 2: case 3: case 9: case 10: case 11:
            if (id.data.empty()) return malformed("ID", "empty identification data");
            break;
        default:
            return malformed("ID", "unknown ID Type " + std::to_string(type));
    }
    id.id_type = static_cast<IdType>(type);
    return PayloadBody(std::move(id));
}

Result<PayloadBody> parse_cert(ByteView body, bool request) {
    ByteReader r(body);
    if (r.empty()) return malformed(request ? "CERTREQ" : "CERT", "no Cert Encoding");
    const uint8_t encoding = *r.u8();
    if (request) {
        CertReqPayload c;
        c.encoding = encoding;
        c.authorities = copy(r.rest());
        // §3.7: for X.509 the authority field is a list of 20-octet SHA-1 hashes.
        if (encoding == 4 && c.authorities.size() % 20 != 0) {
            return malformed("CERTREQ", "Certification Authority not a multiple of 20 octets");
        }
        return PayloadBody(std::move(c));
    }
    CertPayload c;
    c.encoding = encoding;
    c.data = copy(r.rest());
    if (c.data.empty()) return malformed("CERT", "empty Certificate Data");
    return PayloadBody(std::move(c));
}

Result<PayloadBody> parse_auth(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("AUTH", "shorter than 4 octets");
    AuthPayload a;
    a.method = static_cast<AuthMethod>(*r.u8());  // unknown methods go to the authenticator
    LANYARD_TRY(r.skip(3));
    a.data = copy(r.rest());
    if (a.data.empty()) return malformed("AUTH", "empty Authentication Data");
    return PayloadBody(std::move(a));
}

Result<PayloadBody> parse_nonce(ByteView body) {
    // §2.10 / §3.9: between 16 and 256 octets.
    if (body.size() < kMinNonceSize || body.size() > kMaxNonceSize) {
        return malformed("Nonce", "length " + std::to_string(body.size()) + " outside 16..256");
    }
    return PayloadBody(NoncePayload{copy(body)});
}

Result<PayloadBody> parse_notify(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("N", "shorter than 4 octets");
    NotifyPayload n;
    const uint8_t protocol = *r.u8();
    if (protocol > 3) return malformed("N", "Protocol ID " + std::to_string(protocol));
    n.protocol = static_cast<ProtocolId>(protocol);
    const uint8_t spi_size = *r.u8();
    n.type = *r.u16();
    auto spi = r.bytes(spi_size);
    if (!spi) return malformed("N", "SPI overruns payload");
    n.spi = copy(*spi);
    n.data = copy(r.rest());
    return PayloadBody(std::move(n));
}

Result<PayloadBody> parse_delete(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("D", "shorter than 4 octets");
    DeletePayload d;
    const uint8_t protocol = *r.u8();
    if (protocol < 1 || protocol > 3) return malformed("D", "Protocol ID " + std::to_string(protocol));
    d.protocol = static_cast<ProtocolId>(protocol);
    d.spi_size = *r.u8();
    const uint16_t count = *r.u16();
    // §3.11: IKE SA deletion has SPI Size 0 and no SPIs; AH/ESP use 4.
    if (d.protocol == ProtocolId::kIke ? (d.spi_size != 0 || count != 0) : d.spi_size != 4) {
        return malformed("D", "SPI Size " + std::to_string(d.spi_size) + " wrong for protocol");
    }
    if (count > kMaxDeleteSpis) return malformed("D", "too many SPIs");
    if (r.remaining() != size_t(count) * d.spi_size) return malformed("D", "SPI list length mismatch");
    for (uint16_t i = 0; i < count; ++i) d.spis.push_back(copy(*r.bytes(d.spi_size)));
    return PayloadBody(std::move(d));
}

Result<PayloadBody> parse_ts(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("TS", "shorter than 4 octets");
    const uint8_t count = *r.u8();
    LANYARD_TRY(r.skip(3));
    if (count == 0) return malformed("TS", "no traffic selectors");
    if (count > kMaxSelectors) return malformed("TS", "too many traffic selectors");
    TsPayload ts;
    for (uint8_t i = 0; i < count; ++i) {
        if (r.remaining() < 8) return malformed("TS", "truncated selector");
        TrafficSelector s;
        const uint8_t type = *r.u8();
        s.ip_protocol = *r.u8();
        const uint16_t len = *r.u16();
        size_t addr = 0;
        if (type == 7) addr = 4;
        else if (type == 8) addr = 16;
        else return make_error(ErrorCode::kUnsupported, "TS: TS Type " + std::to_string(type));
        s.type = static_cast<TsType>(type);
        if (len != 8 + 2 * addr) return malformed("TS", "Selector Length " + std::to_string(len));
        if (r.remaining() < len - 4u) return malformed("TS", "selector overruns payload");
        s.start_port = *r.u16();
        s.end_port = *r.u16();
        s.start_address = copy(*r.bytes(addr));
        s.end_address = copy(*r.bytes(addr));
        ts.selectors.push_back(std::move(s));
    }
    if (!r.empty()) return malformed("TS", "bytes after the last selector");
    return PayloadBody(std::move(ts));
}

Result<PayloadBody> parse_config(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("CP", "shorter than 4 octets");
    const uint8_t type = *r.u8();
    if (type < 1 || type > 4) return malformed("CP", "CFG Type " + std::to_string(type));
    LANYARD_TRY(r.skip(3));
    ConfigPayload cp;
    cp.cfg_type = static_cast<CfgType>(type);
    while (!r.empty()) {
        if (cp.attributes.size() == kMaxCfgAttributes) return malformed("CP", "too many attributes");
        if (r.remaining() < 4) return malformed("CP", "truncated attribute");
        ConfigAttribute a;
        a.type = *r.u16() & 0x7fff;  // §3.15.1: R bit ignored
        const uint16_t len = *r.u16();
        auto v = r.bytes(len);
        if (!v) return malformed("CP", "attribute overruns payload");
        a.value = copy(*v);
        // §3.15.1: fixed-size address attributes are empty (request) or full.
        size_t want = 0;
        switch (a.type) {
            case 1: case 2: case 3: case 4: case 6: want = 4; break;
            case 8: case 15: want = 17; break;
            case 10: case 12: want = 16; break;
            case 13: want = 8; break;
            default: break;
        }
        if (want != 0 && !a.value.empty() && a.value.size() != want) {
            return malformed("CP", "attribute " + std::to_string(a.type) + " length " + std::to_string(len));
        }
        cp.attributes.push_back(std::move(a));
    }
    return PayloadBody(std::move(cp));
}

Result<PayloadBody> parse_eap(ByteView body) {
    // §3.16: the body is one EAP message; its own Length must match.
    if (body.size() < 4) return malformed("EAP", "shorter than an EAP header");
    const size_t len = (size_t(body[2]) << 8) | body[3];
    if (len != body.size()) return malformed("EAP", "EAP Length disagrees with payload length");
    return PayloadBody(EapPayload{copy(body)});
}

Result<PayloadBody> parse_skf(ByteView body) {
    ByteReader r(body);
    if (r.remaining() < 4) return malformed("SKF", "shorter than 4 octets");
    EncryptedFragmentPayload f;
    f.fragment_number = *r.u16();
    f.total_fragments = *r.u16();
    // RFC 7383 §2.5: numbers start at 1 and never exceed Total Fragments.
    if (f.fragment_number == 0 || f.total_fragments == 0 || f.fragment_number > f.total_fragments) {
        return malformed("SKF", "Fragment Number " + std::to_string(f.fragment_number) + " of " +
                                    std::to_string(f.total_fragments));
    }
    f.data = copy(r.rest());
    if (f.data.empty()) return malformed("SKF", "no encrypted data");
    return PayloadBody(std::move(f));
}

}  // namespace

Payload make_payload(PayloadBody body) {
    Payload p;
    p.type = std::visit(
        [](const auto& b) -> uint8_t {
            using T = std::decay_t<decltype(b)>;
            PayloadType t = PayloadType::kNone;
            if constexpr (std::is_same_v<T, SaPayload>) t = PayloadType::kSa;
            else if constexpr (std::is_same_v<T, KePayload>) t = PayloadType::kKe;
            else if constexpr (std::is_same_v<T, IdPayload>) t = PayloadType::kIdi;
            else if constexpr (std::is_same_v<T, CertPayload>) t = PayloadType::kCert;
            else if constexpr (std::is_same_v<T, CertReqPayload>) t = PayloadType::kCertReq;
            else if constexpr (std::is_same_v<T, AuthPayload>) t = PayloadType::kAuth;
            else if constexpr (std::is_same_v<T, NoncePayload>) t = PayloadType::kNonce;
            else if constexpr (std::is_same_v<T, NotifyPayload>) t = PayloadType::kNotify;
            else if constexpr (std::is_same_v<T, DeletePayload>) t = PayloadType::kDelete;
            else if constexpr (std::is_same_v<T, VendorIdPayload>) t = PayloadType::kVendorId;
            else if constexpr (std::is_same_v<T, TsPayload>) t = PayloadType::kTsi;
            else if constexpr (std::is_same_v<T, EncryptedPayload>) t = PayloadType::kEncrypted;
            else if constexpr (std::is_same_v<T, ConfigPayload>) t = PayloadType::kConfig;
            else if constexpr (std::is_same_v<T, EapPayload>) t = PayloadType::kEap;
            else if constexpr (std::is_same_v<T, EncryptedFragmentPayload>) t = PayloadType::kEncryptedFragment;
            return static_cast<uint8_t>(t);
        },
        body);
    p.body = std::move(body);
    return p;
}

Payload make_id_payload(bool initiator, IdPayload id) {
    Payload p = make_payload(std::move(id));
    p.type = static_cast<uint8_t>(initiator ? PayloadType::kIdi : PayloadType::kIdr);
    return p;
}

Payload make_ts_payload(bool initiator, TsPayload ts) {
    Payload p = make_payload(std::move(ts));
    p.type = static_cast<uint8_t>(initiator ? PayloadType::kTsi : PayloadType::kTsr);
    return p;
}

Result<PayloadBody> parse_payload_body(PayloadType type, ByteView body) {
    switch (type) {
        case PayloadType::kSa: {
            auto sa = parse_sa(body);
            if (!sa) return sa.error();
            return PayloadBody(std::move(*sa));
        }
        case PayloadType::kKe: return parse_ke(body);
        case PayloadType::kIdi:
        case PayloadType::kIdr: return parse_id(body);
        case PayloadType::kCert: return parse_cert(body, false);
        case PayloadType::kCertReq: return parse_cert(body, true);
        case PayloadType::kAuth: return parse_auth(body);
        case PayloadType::kNonce: return parse_nonce(body);
        case PayloadType::kNotify: return parse_notify(body);
        case PayloadType::kDelete: return parse_delete(body);
        case PayloadType::kVendorId:
            if (body.empty()) return malformed("V", "empty Vendor ID");
            return PayloadBody(VendorIdPayload{copy(body)});
        case PayloadType::kTsi:
        case PayloadType::kTsr: return parse_ts(body);
        case PayloadType::kEncrypted: return PayloadBody(EncryptedPayload{0, copy(body)});
        case PayloadType::kConfig: return parse_config(body);
        case PayloadType::kEap: return parse_eap(body);
        case PayloadType::kEncryptedFragment: return parse_skf(body);
        case PayloadType::kNone: break;
    }
    return make_error(ErrorCode::kUnsupported, "payload type " + std::to_string(static_cast<int>(type)));
}

namespace {

struct BodyBuilder {
    ByteWriter& w;

    Status operator()(const SaPayload& sa) {
        auto b = build_sa(sa);
        if (!b) return b.error();
        w.bytes(*b);
        return ok_status();
    }
    Status operator()(const KePayload& ke) {
        w.u16(ke.dh_group).u16(0).bytes(ke.key_data);
        return ok_status();
    }
    Status operator()(const IdPayload& id) {
        w.u8(static_cast<uint8_t>(id.id_type)).zeros(3).bytes(id.data);
        return ok_status();
    }
    Status operator()(const CertPayload& c) {
        w.u8(c.encoding).bytes(c.data);
        return ok_status();
    }
    Status operator()(const CertReqPayload& c) {
        w.u8(c.encoding).bytes(c.authorities);
        return ok_status();
    }
    Status operator()(const AuthPayload& a) {
        w.u8(static_cast<uint8_t>(a.method)).zeros(3).bytes(a.data);
        return ok_status();
    }
    Status operator()(const NoncePayload& n) {
        if (n.nonce.size() < kMinNonceSize || n.nonce.size() > kMaxNonceSize) {
            return malformed("Nonce", "length outside 16..256");
        }
        w.bytes(n.nonce);
        return ok_status();
    }
    Status operator()(const NotifyPayload& n) {
        if (n.spi.size() > 255) return malformed("N", "SPI too long");
        w.u8(static_cast<uint8_t>(n.protocol)).u8(static_cast<uint8_t>(n.spi.size())).u16(n.type);
        w.bytes(n.spi).bytes(n.data);
        return ok_status();
    }
    Status operator()(const DeletePayload& d) {
        if (d.spis.size() > 0xffff) return malformed("D", "too many SPIs");
        w.u8(static_cast<uint8_t>(d.protocol)).u8(d.spi_size).u16(static_cast<uint16_t>(d.spis.size()));
        for (const Bytes& spi : d.spis) {
            if (spi.size() != d.spi_size) return malformed("D", "SPI size mismatch");
            w.bytes(spi);
        }
        return ok_status();
    }
    Status operator()(const VendorIdPayload& v) {
        w.bytes(v.id);
        return ok_status();
    }
    Status operator()(const TsPayload& ts) {
        if (ts.selectors.empty() || ts.selectors.size() > 255) return malformed("TS", "selector count");
        w.u8(static_cast<uint8_t>(ts.selectors.size())).zeros(3);
        for (const TrafficSelector& s : ts.selectors) {
            const size_t addr = s.type == TsType::kIpv4AddrRange ? 4 : 16;
            if (s.start_address.size() != addr || s.end_address.size() != addr) {
                return malformed("TS", "address size does not match TS Type");
            }
            w.u8(static_cast<uint8_t>(s.type)).u8(s.ip_protocol).u16(static_cast<uint16_t>(8 + 2 * addr));
            w.u16(s.start_port).u16(s.end_port).bytes(s.start_address).bytes(s.end_address);
        }
        return ok_status();
    }
    Status operator()(const EncryptedPayload& e) {
        w.bytes(e.data);
        return ok_status();
    }
    Status operator()(const ConfigPayload& cp) {
        w.u8(static_cast<uint8_t>(cp.cfg_type)).zeros(3);
        for (const ConfigAttribute& a : cp.attributes) {
            if (a.type > 0x7fff || a.value.size() > 0xffff) return malformed("CP", "attribute cannot be encoded");
            w.u16(a.type).u16(static_cast<uint16_t>(a.value.size())).bytes(a.value);
        }
        return ok_status();
    }
    Status operator()(const EapPayload& e) {
        w.bytes(e.message);
        return ok_status();
    }
    Status operator()(const EncryptedFragmentPayload& f) {
        w.u16(f.fragment_number).u16(f.total_fragments).bytes(f.data);
        return ok_status();
    }
    Status operator()(const UnknownPayload& u) {
        w.bytes(u.data);
        return ok_status();
    }
};

}  // namespace

Result<Bytes> build_payload_body(const PayloadBody& body) {
    ByteWriter w;
    LANYARD_TRY(std::visit(BodyBuilder{w}, body));
    return w.take();
}

}  // namespace lanyard::ike
