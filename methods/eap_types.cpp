#include "methods/eap_types.h"

#include <cctype>

namespace lanyard::eap {

namespace {

struct TypeName {
    Type type;
    const char* name;  // hostapd/wpa_supplicant spelling (eap_user file, eap=)
};

// IANA "Method Types" that Lanyard names (RFC 3748 §5, §6.2).
constexpr TypeName kNames[] = {
    {Type::kIdentity, "IDENTITY"},   {Type::kNotification, "NOTIFICATION"},
    {Type::kNak, "NAK"},             {Type::kMd5Challenge, "MD5"},
    {Type::kOtp, "OTP"},             {Type::kGtc, "GTC"},
    {Type::kTls, "TLS"},             {Type::kTtls, "TTLS"},
    {Type::kPeap, "PEAP"},           {Type::kMschapV2, "MSCHAPV2"},
    {Type::kTlvExtensions, "TLV"},   {Type::kExpanded, "EXPANDED"},
};

}  // namespace

const char* type_name(uint8_t type) {
    for (const TypeName& n : kNames) {
        if (static_cast<uint8_t>(n.type) == type) return n.name;
    }
    return "unknown";
}

bool type_from_name(const std::string& name, Type* out) {
    std::string upper;
    upper.reserve(name.size());
    for (char c : name) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    for (const TypeName& n : kNames) {
        if (upper == n.name) {
            if (out != nullptr) *out = n.type;
            return true;
        }
    }
    return false;
}

}  // namespace lanyard::eap
