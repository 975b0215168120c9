#include "methods/eap_tlv.h"

#include <algorithm>
#include <string>

namespace lanyard::eap {

namespace {

Error malformed(const std::string& what) { return make_error(ErrorCode::kMalformed, "EAP-TLV: " + what); }

}  // namespace

Result<TlvMessage> parse_tlvs(ByteView type_data) {
    TlvMessage msg;
    ByteReader reader(type_data);
    size_t count = 0;
    while (!reader.empty()) {
        if (++count > kMaxTlvsPerPacket) return make_error(ErrorCode::kLimit, "EAP-TLV: too many TLVs");
        const size_t start = reader.position();
        auto type_field = reader.u16();
        if (!type_field) return malformed("trailing octets shorter than a TLV header");
        auto length = reader.u16();
        if (!length) return malformed("trailing octets shorter than a TLV header");
        auto value = reader.bytes(*length);
        if (!value) return malformed("TLV length " + std::to_string(*length) + " runs past the packet");
        const bool mandatory = (*type_field & kTlvMandatory) != 0;
        const uint16_t type = *type_field & kTlvTypeMask;
        switch (type) {
            case kTlvResult: {
                if (msg.result) return malformed("second Result TLV");
                if (value->size() != 2) return malformed("Result TLV length is not 2");
                msg.result = static_cast<uint16_t>((*value)[0] << 8 | (*value)[1]);
                break;
            }
            case kTlvNak: {
                if (value->size() < 6) return malformed("NAK TLV shorter than 6");
                msg.nak_type = static_cast<uint16_t>((*value)[4] << 8 | (*value)[5]);
                break;
            }
            case kTlvCryptoBinding: {
                if (msg.crypto_binding) return malformed("second Crypto-Binding TLV");
                if (value->size() != kCryptoBindingValueLength) return malformed("Crypto-Binding TLV length is not 56");
                CryptoBindingTlv cb;
                cb.mandatory = mandatory;
                const ByteView v = *value;
                cb.version = v[1];
                cb.received_version = v[2];
                cb.sub_type = v[3];
                std::copy_n(v.begin() + 4, kCryptoBindingNonceLength, cb.nonce.begin());
                std::copy_n(v.begin() + 4 + kCryptoBindingNonceLength, kCompoundMacLength, cb.compound_mac.begin());
                const ByteView whole = type_data.subspan(start, kCryptoBindingTlvLength);
                cb.raw.assign(whole.begin(), whole.end());
                msg.crypto_binding = std::move(cb);
                break;
            }
            default:
                if (mandatory) {
                    if (!msg.unknown_mandatory) msg.unknown_mandatory = type;
                } else {
                    ++msg.skipped;
                }
                break;
        }
    }
    return msg;
}

void append_result_tlv(ByteWriter& out, uint16_t status) {
    out.u16(kTlvMandatory | kTlvResult).u16(2).u16(status);
}

void append_nak_tlv(ByteWriter& out, uint16_t nak_type) {
    out.u16(kTlvMandatory | kTlvNak).u16(6).u32(0).u16(nak_type);
}

size_t append_crypto_binding_tlv(ByteWriter& out, const CryptoBindingTlv& tlv) {
    const size_t offset = out.size();
    out.u16(static_cast<uint16_t>((tlv.mandatory ? kTlvMandatory : 0) | kTlvCryptoBinding));
    out.u16(static_cast<uint16_t>(kCryptoBindingValueLength));
    out.u8(0).u8(tlv.version).u8(tlv.received_version).u8(tlv.sub_type);
    out.bytes(tlv.nonce);
    out.zeros(kCompoundMacLength);
    return offset;
}

}  // namespace lanyard::eap
