// The Key Data field of EAPOL-Key frames (IEEE 802.11-2020 §12.7.2,
// Figure 12-34 KDE format, Table 12-10 KDE selectors): a sequence of
// elements and KDEs, then padding. Parsing validates every length, keeps
// the RSN element's raw octets (the handshakes compare them bit for bit)
// and refuses duplicates; building writes the KDEs in a fixed order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "common/secret.h"
#include "eapol/rsn_element.h"

namespace lanyard::eapol {

// Figure 12-34: Type 0xdd | Length | OUI 00-0F-AC | Data Type | Data.
inline constexpr uint8_t kKdeType = 0xdd;
// Table 12-10 data types.
inline constexpr uint8_t kKdeGtk = 1;
inline constexpr uint8_t kKdeMacAddress = 3;
inline constexpr uint8_t kKdePmkid = 4;
inline constexpr uint8_t kKdeIgtk = 9;

// Figure 12-35: Key ID (bits 0-1), Tx (bit 2), a reserved octet, the GTK.
struct GtkKde {
    uint8_t key_id = 1;  // 1 or 2 in practice (0-3 on the wire)
    bool tx = false;
    SecretBytes key;
    bool operator==(const GtkKde& o) const {
        return key_id == o.key_id && tx == o.tx && equal_bytes(key.view(), o.key.view());
    }
};

// Figure 12-42: Key ID (LE16, 4 or 5), IPN (6 octets, little-endian), IGTK.
struct IgtkKde {
    uint16_t key_id = 4;
    std::array<uint8_t, 6> ipn{};
    SecretBytes key;
    bool operator==(const IgtkKde& o) const {
        return key_id == o.key_id && ipn == o.ipn && equal_bytes(key.view(), o.key.view());
    }
};

struct KeyData {
    // The RSN element's octets (ID and Length included), as received.
    std::optional<Bytes> rsn_element;
    std::optional<GtkKde> gtk;
    std::optional<IgtkKde> igtk;
    std::optional<Pmkid> pmkid;
    std::optional<MacAddress> mac_address;
    // Other elements and KDEs (vendor, unknown types), skipped.
    size_t ignored_elements = 0;
};

// GTK lengths: 5..32 octets (WEP-40 to GCMP-256/TKIP); IGTK: 16 or 32.
// Errors: kTruncated for an element running past the data; kMalformed for a
// KDE shorter than its type needs, a duplicate RSN element or KDE, or a bad
// GTK/IGTK length, an RSN element that does not parse. Padding (§12.7.2: 0xdd
// followed by zero or more 0x00 up to the end) ends the parse.
Result<KeyData> parse_key_data(ByteView data);

// RSN element (as given), GTK KDE, IGTK KDE, PMKID KDE, MAC address KDE,
// whichever are set. Secret, since it may carry a GTK/IGTK.
SecretBytes build_key_data(const KeyData& data);

// §12.7.2 b.12: before AES key wrap, Key Data shorter than 16 octets or not
// a multiple of 8 gets 0xdd and then 0x00 octets up to the next multiple of 8
// (at least 16).
SecretBytes pad_key_data(ByteView data);

}  // namespace lanyard::eapol
