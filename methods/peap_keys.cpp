#include "methods/peap_keys.h"

#include <algorithm>

#include "crypto/hmac.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

namespace {

constexpr std::string_view kImckLabel = "Inner Methods Compound Keys";
constexpr std::string_view kCskLabel = "Session Key Generating Function";
constexpr size_t kSha1Length = 20;

}  // namespace

Result<SecretBytes> peap_prf_plus(uint8_t version, ByteView key, std::string_view label, ByteView seed,
                                  size_t length) {
    if (length == 0 || length > 255 * kSha1Length)
        return make_error(ErrorCode::kInternal, "PEAP PRF+ length out of range");
    SecretBytes out;
    Bytes previous;
    uint8_t counter = 0;
    while (out.size() < length) {
        ++counter;
        auto h = crypto::Hmac::begin(crypto::HashAlg::kSha1, key);
        if (!h) return h.error();
        h->update(previous).update(as_bytes(label)).update(seed);
        if (version == 0) {
            const uint8_t tail[3] = {counter, 0, 0};
            h->update(tail);
        } else {
            const uint8_t tail[2] = {static_cast<uint8_t>(length & 0xff), counter};
            h->update(tail);
        }
        auto t = h->finish();
        if (!t) return t.error();
        const size_t take = std::min(kSha1Length, length - out.size());
        out.append(ByteView(*t).first(take));
        previous = std::move(*t);
    }
    secure_wipe(previous.data(), previous.size());
    return out;
}

SecretBytes peap_isk(ByteView inner_key) {
    SecretBytes isk(kPeapIskLength);
    std::copy_n(inner_key.begin(), std::min(inner_key.size(), kPeapIskLength), isk.data());
    return isk;
}

Result<CompoundKeys> peap_compound_keys(uint8_t version, ByteView tk, ByteView isk, bool fast_reconnect) {
    if (tk.size() < kPeapTkLength) return make_error(ErrorCode::kInternal, "PEAP TK shorter than 60 octets");
    CompoundKeys keys;
    if (fast_reconnect) {
        keys.ipmk.assign(tk.first(kPeapIpmkLength));
        keys.cmk.assign(tk.subspan(kPeapIpmkLength, kPeapCmkLength));
        return keys;
    }
    auto imck = peap_prf_plus(version, tk.first(kPeapIpmkLength), kImckLabel, isk, kPeapIpmkLength + kPeapCmkLength);
    if (!imck) return imck.error();
    keys.ipmk.assign(imck->first(kPeapIpmkLength));
    keys.cmk.assign(imck->subspan(kPeapIpmkLength, kPeapCmkLength));
    return keys;
}

Result<Bytes> peap_compound_mac(ByteView cmk, ByteView tlv) {
    if (tlv.size() != kCryptoBindingTlvLength)
        return make_error(ErrorCode::kInternal, "Crypto-Binding TLV is not 60 octets");
    Bytes buffer(tlv.begin(), tlv.end());
    std::fill_n(buffer.begin() + kCompoundMacOffset, kCompoundMacLength, 0);
    buffer.push_back(static_cast<uint8_t>(Type::kPeap));
    return crypto::hmac(crypto::HashAlg::kSha1, cmk, buffer);
}

Status peap_sign_crypto_binding(ByteView cmk, Bytes& message, size_t offset) {
    if (offset + kCryptoBindingTlvLength > message.size())
        return make_error(ErrorCode::kInternal, "Crypto-Binding TLV outside the message");
    auto mac = peap_compound_mac(cmk, ByteView(message).subspan(offset, kCryptoBindingTlvLength));
    if (!mac) return mac.error();
    std::copy(mac->begin(), mac->end(), message.begin() + static_cast<std::ptrdiff_t>(offset + kCompoundMacOffset));
    return ok_status();
}

bool peap_verify_crypto_binding(ByteView cmk, const CryptoBindingTlv& tlv) {
    auto mac = peap_compound_mac(cmk, tlv.raw);
    if (!mac) return false;
    return constant_time_equal(*mac, tlv.compound_mac);
}

Result<SecretBytes> peap_binding_msk(uint8_t version, ByteView ipmk) {
    static constexpr uint8_t kNul[1] = {0};
    auto csk = peap_prf_plus(version, ipmk, kCskLabel, kNul, 128);
    if (!csk) return csk.error();
    return SecretBytes(csk->first(64));
}

}  // namespace lanyard::eap

namespace lanyard::eap {

Result<Keys> peap_method_keys(const Keys& phase1, uint8_t version, const SecretBytes* binding_ipmk) {
    Keys keys;
    keys.session_id = phase1.session_id;
    if (binding_ipmk != nullptr) {
        auto msk = peap_binding_msk(version, binding_ipmk->view());
        if (!msk) return msk.error();
        keys.msk = std::move(*msk);
        return keys;
    }
    keys.msk = phase1.msk;
    keys.emsk = phase1.emsk;
    return keys;
}

SecretBytes peap_tk(const Keys& phase1) {
    SecretBytes tk(phase1.msk.view());
    tk.append(phase1.emsk.view());
    tk.resize(kPeapTkLength);
    return tk;
}

}  // namespace lanyard::eap
