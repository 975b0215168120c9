// IEEE 802.11-2020 §12.7.2 Key Data, Figure 12-34 KDEs, Table 12-10.
#include "eapol/key_data.h"

#include <string>

namespace lanyard::eapol {

namespace {

constexpr uint8_t kOui[3] = {0x00, 0x0f, 0xac};

Status parse_kde(uint8_t type, ByteView data, KeyData& out) {
    switch (type) {
        case kKdeGtk: {
            if (out.gtk) return make_error(ErrorCode::kMalformed, "key data: two GTK KDEs");
            if (data.size() < 2 + 5 || data.size() > 2 + 32)
                return make_error(ErrorCode::kMalformed, "key data: GTK KDE length " + std::to_string(data.size()));
            GtkKde gtk;
            gtk.key_id = data[0] & 0x03;
            gtk.tx = (data[0] & 0x04) != 0;
            gtk.key = SecretBytes(data.subspan(2));
            out.gtk = std::move(gtk);
            return ok_status();
        }
        case kKdeIgtk: {
            if (out.igtk) return make_error(ErrorCode::kMalformed, "key data: two IGTK KDEs");
            if (data.size() != 8 + 16 && data.size() != 8 + 32)
                return make_error(ErrorCode::kMalformed, "key data: IGTK KDE length " + std::to_string(data.size()));
            IgtkKde igtk;
            igtk.key_id = static_cast<uint16_t>(data[0] | (data[1] << 8));
            std::copy(data.begin() + 2, data.begin() + 8, igtk.ipn.begin());
            igtk.key = SecretBytes(data.subspan(8));
            out.igtk = std::move(igtk);
            return ok_status();
        }
        case kKdePmkid: {
            if (out.pmkid) return make_error(ErrorCode::kMalformed, "key data: two PMKID KDEs");
            if (data.size() != kPmkidLength) return make_error(ErrorCode::kMalformed, "key data: PMKID KDE length");
            Pmkid p{};
            std::copy(data.begin(), data.end(), p.begin());
            out.pmkid = p;
            return ok_status();
        }
        case kKdeMacAddress: {
            if (out.mac_address) return make_error(ErrorCode::kMalformed, "key data: two MAC address KDEs");
            auto mac = MacAddress::from_bytes(data);
            if (!mac) return make_error(ErrorCode::kMalformed, "key data: MAC address KDE length");
            out.mac_address = *mac;
            return ok_status();
        }
        default:
            ++out.ignored_elements;
            return ok_status();
    }
}

bool all_zero(ByteView v) {
    for (uint8_t b : v)
        if (b != 0) return false;
    return true;
}

}  // namespace

Result<KeyData> parse_key_data(ByteView data) {
    KeyData out;
    ByteReader r(data);
    // Every element consumes at least one octet: bounded by data.size().
    while (!r.empty()) {
        const size_t start = r.position();
        const uint8_t type = *r.u8();
        // Padding: 0xdd then zeros to the end (a lone 0xdd, or 0xdd 0x00 ...).
        if (type == kKdeType && all_zero(r.peek_rest())) break;
        auto length = r.u8();
        if (!length) return make_error(ErrorCode::kTruncated, "key data: element header truncated");
        auto body = r.bytes(*length);
        if (!body) return make_error(ErrorCode::kTruncated, "key data: element overruns the field");
        if (type == kRsnElementId) {
            if (out.rsn_element) return make_error(ErrorCode::kMalformed, "key data: two RSN elements");
            auto element = data.subspan(start, 2 + static_cast<size_t>(*length));
            if (auto parsed = parse_rsn_element(element); !parsed) return parsed.error();
            out.rsn_element = Bytes(element.begin(), element.end());
            continue;
        }
        if (type == kKdeType && body->size() >= 4 && equal_bytes(body->first(3), ByteView(kOui, 3))) {
            LANYARD_TRY(parse_kde((*body)[3], body->subspan(4), out));
            continue;
        }
        ++out.ignored_elements;  // other elements, vendor-specific elements of other OUIs
    }
    return out;
}

SecretBytes build_key_data(const KeyData& data) {
    SecretBytes out;
    auto kde_header = [&out](uint8_t data_type, size_t data_length) {
        const uint8_t header[6] = {kKdeType, static_cast<uint8_t>(4 + data_length), kOui[0], kOui[1], kOui[2],
                                   data_type};
        out.append(ByteView(header, 6));
    };
    if (data.rsn_element) out.append(*data.rsn_element);
    if (data.gtk) {
        kde_header(kKdeGtk, 2 + data.gtk->key.size());
        const uint8_t flags[2] = {static_cast<uint8_t>((data.gtk->key_id & 0x03) | (data.gtk->tx ? 0x04 : 0)), 0};
        out.append(ByteView(flags, 2));
        out.append(data.gtk->key.view());
    }
    if (data.igtk) {
        kde_header(kKdeIgtk, 8 + data.igtk->key.size());
        const uint8_t id[2] = {static_cast<uint8_t>(data.igtk->key_id & 0xff),
                               static_cast<uint8_t>(data.igtk->key_id >> 8)};
        out.append(ByteView(id, 2));
        out.append(data.igtk->ipn);
        out.append(data.igtk->key.view());
    }
    if (data.pmkid) {
        kde_header(kKdePmkid, kPmkidLength);
        out.append(*data.pmkid);
    }
    if (data.mac_address) {
        kde_header(kKdeMacAddress, MacAddress::kSize);
        out.append(data.mac_address->view());
    }
    return out;
}

SecretBytes pad_key_data(ByteView data) {
    SecretBytes out(data);
    if (out.size() >= 16 && out.size() % 8 == 0) return out;
    const uint8_t pad = kKdeType;
    out.append(ByteView(&pad, 1));
    size_t target = std::max<size_t>(16, (out.size() + 7) / 8 * 8);
    out.resize(target);  // resize zero-fills
    return out;
}

}  // namespace lanyard::eapol
