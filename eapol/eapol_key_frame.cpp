#include "eapol/eapol_key_frame.h"

#include <limits>
#include <string>

namespace lanyard::eapol {
namespace {

Error key_error(ErrorCode code, const std::string& field, const Error& inner) {
    return make_error(code, "EAPOL-Key " + field + ": " + inner.detail);
}

// Reads a fixed-size array field, naming it in the error.
template <size_t N>
Status read_array(ByteReader& reader, std::array<uint8_t, N>& out, const char* field) {
    auto status = reader.copy_to(out);
    if (!status) return key_error(ErrorCode::kTruncated, field, status.error());
    return ok_status();
}

}  // namespace

const char* key_descriptor_type_name(KeyDescriptorType type) {
    switch (type) {
        case KeyDescriptorType::kRc4: return "RC4";
        case KeyDescriptorType::kIeee80211: return "IEEE 802.11";
        case KeyDescriptorType::kWpa: return "WPA";
    }
    return "unknown";
}

Result<KeyDescriptorType> parse_key_descriptor_type(ByteView key_body) {
    if (key_body.empty()) return make_error(ErrorCode::kTruncated, "EAPOL-Key body is empty");
    switch (key_body[0]) {
        case static_cast<uint8_t>(KeyDescriptorType::kRc4): return KeyDescriptorType::kRc4;
        case static_cast<uint8_t>(KeyDescriptorType::kIeee80211): return KeyDescriptorType::kIeee80211;
        case static_cast<uint8_t>(KeyDescriptorType::kWpa): return KeyDescriptorType::kWpa;
        default: break;
    }
    return make_error(ErrorCode::kUnsupported, "EAPOL-Key descriptor type " + std::to_string(key_body[0]));
}

Result<Ieee80211KeyDescriptor> parse_ieee80211_key(ByteView key_body, size_t mic_length) {
    if (mic_length > kMaxMicLength) {
        return make_error(ErrorCode::kInternal, "MIC length " + std::to_string(mic_length) + " is not an AKM's");
    }
    auto type = parse_key_descriptor_type(key_body);
    if (!type) return type.error();
    if (*type == KeyDescriptorType::kRc4) {
        return make_error(ErrorCode::kMalformed, "RC4 descriptor where an IEEE 802.11 one was expected");
    }
    ByteReader reader(key_body);
    (void)reader.u8();  // the descriptor type, checked above
    Ieee80211KeyDescriptor key;
    key.type = *type;
    auto info = reader.u16();
    if (!info) return key_error(ErrorCode::kTruncated, "Key Information", info.error());
    key.info = KeyInformation(*info);
    auto key_length = reader.u16();
    if (!key_length) return key_error(ErrorCode::kTruncated, "Key Length", key_length.error());
    key.key_length = *key_length;
    auto replay = reader.u64();
    if (!replay) return key_error(ErrorCode::kTruncated, "Key Replay Counter", replay.error());
    key.replay_counter = *replay;
    LANYARD_TRY(read_array(reader, key.nonce, "Key Nonce"));
    LANYARD_TRY(read_array(reader, key.iv, "EAPOL-Key IV"));
    LANYARD_TRY(read_array(reader, key.rsc, "Key RSC"));
    LANYARD_TRY(read_array(reader, key.reserved, "Reserved"));
    auto mic = reader.bytes(mic_length);
    if (!mic) return key_error(ErrorCode::kTruncated, "Key MIC", mic.error());
    key.mic.assign(mic->begin(), mic->end());
    auto data_length = reader.u16();
    if (!data_length) return key_error(ErrorCode::kTruncated, "Key Data Length", data_length.error());
    auto data = reader.bytes(*data_length);
    if (!data) return key_error(ErrorCode::kTruncated, "Key Data", data.error());
    key.key_data.assign(data->begin(), data->end());
    return key;
}

Result<Rc4KeyDescriptor> parse_rc4_key(ByteView key_body) {
    auto type = parse_key_descriptor_type(key_body);
    if (!type) return type.error();
    if (*type != KeyDescriptorType::kRc4) {
        return make_error(ErrorCode::kMalformed, "IEEE 802.11 descriptor where an RC4 one was expected");
    }
    ByteReader reader(key_body);
    (void)reader.u8();
    Rc4KeyDescriptor key;
    auto key_length = reader.u16();
    if (!key_length) return key_error(ErrorCode::kTruncated, "Key Length", key_length.error());
    key.key_length = *key_length;
    auto replay = reader.u64();
    if (!replay) return key_error(ErrorCode::kTruncated, "Replay Counter", replay.error());
    key.replay_counter = *replay;
    LANYARD_TRY(read_array(reader, key.iv, "Key IV"));
    auto index = reader.u8();
    if (!index) return key_error(ErrorCode::kTruncated, "Key Index", index.error());
    key.key_index = *index;
    LANYARD_TRY(read_array(reader, key.signature, "Key Signature"));
    // §7.6.3.7: the Key field is the rest of the body; absent means "use the
    // key material from the authentication".
    ByteView rest = reader.rest();
    key.key.assign(rest.begin(), rest.end());
    return key;
}

Result<EapolKeyDescriptor> parse_eapol_key(ByteView key_body, size_t mic_length) {
    auto type = parse_key_descriptor_type(key_body);
    if (!type) return type.error();
    switch (*type) {
        case KeyDescriptorType::kRc4: {
            auto rc4 = parse_rc4_key(key_body);
            if (!rc4) return rc4.error();
            return EapolKeyDescriptor(std::move(rc4).value());
        }
        case KeyDescriptorType::kIeee80211:
        case KeyDescriptorType::kWpa: {
            auto key = parse_ieee80211_key(key_body, mic_length);
            if (!key) return key.error();
            return EapolKeyDescriptor(std::move(key).value());
        }
    }
    return make_error(ErrorCode::kInternal, "unhandled descriptor type");
}

Result<Bytes> build_ieee80211_key(const Ieee80211KeyDescriptor& key) {
    if (key.type == KeyDescriptorType::kRc4) return make_error(ErrorCode::kInternal, "RC4 type in an IEEE 802.11 descriptor");
    if (key.mic.size() > kMaxMicLength) return make_error(ErrorCode::kInternal, "MIC too long");
    if (key.key_data.size() > std::numeric_limits<uint16_t>::max()) {
        return make_error(ErrorCode::kLimit, "Key Data of " + std::to_string(key.key_data.size()) + " octets");
    }
    ByteWriter writer(kIeee80211KeyMicOffset + key.mic.size() + 2 + key.key_data.size());
    writer.u8(static_cast<uint8_t>(key.type))
        .u16(key.info.bits())
        .u16(key.key_length)
        .u64(key.replay_counter)
        .bytes(key.nonce)
        .bytes(key.iv)
        .bytes(key.rsc)
        .bytes(key.reserved)
        .bytes(key.mic)
        .u16(static_cast<uint16_t>(key.key_data.size()))
        .bytes(key.key_data);
    return writer.take();
}

Bytes build_rc4_key(const Rc4KeyDescriptor& key) {
    ByteWriter writer(1 + 2 + 8 + 16 + 1 + 16 + key.key.size());
    writer.u8(static_cast<uint8_t>(KeyDescriptorType::kRc4))
        .u16(key.key_length)
        .u64(key.replay_counter)
        .bytes(key.iv)
        .u8(key.key_index)
        .bytes(key.signature)
        .bytes(key.key);
    return writer.take();
}

}  // namespace lanyard::eapol
