#include "common/hex.h"

namespace lanyard {

std::string to_hex(ByteView data) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (uint8_t b : data) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0f]);
    }
    return out;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<Bytes> from_hex(std::string_view text) {
    Bytes out;
    out.reserve(text.size() / 2);
    int high = -1;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == ':' || c == ' ') {
            if (high >= 0) return make_error(ErrorCode::kMalformed, "hex: separator splits a byte at " + std::to_string(i));
            continue;
        }
        int v = hex_value(c);
        if (v < 0) return make_error(ErrorCode::kMalformed, "hex: bad character at " + std::to_string(i));
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<uint8_t>((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0) return make_error(ErrorCode::kMalformed, "hex: odd number of digits");
    return out;
}

}  // namespace lanyard
