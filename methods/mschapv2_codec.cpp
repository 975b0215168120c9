#include "methods/mschapv2_codec.h"

#include <algorithm>

#include "common/hex.h"

namespace lanyard::eap::mschapv2 {

namespace {

bool known_opcode(uint8_t op) {
    switch (static_cast<OpCode>(op)) {
        case OpCode::kChallenge:
        case OpCode::kResponse:
        case OpCode::kSuccess:
        case OpCode::kFailure:
        case OpCode::kChangePassword: return true;
    }
    return false;
}

Bytes build_with_header(OpCode op, uint8_t ms_id, ByteView data) {
    ByteWriter w(kHeaderSize + data.size());
    w.u8(static_cast<uint8_t>(op)).u8(ms_id).u16(static_cast<uint16_t>(kHeaderSize + data.size())).bytes(data);
    return w.take();
}

// Decimal, 1..10 digits, fits 32 bits.
bool parse_decimal(std::string_view s, uint32_t* out) {
    if (s.empty() || s.size() > 10) return false;
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (v > 0xFFFFFFFFu) return false;
    *out = static_cast<uint32_t>(v);
    return true;
}

}  // namespace

const char* opcode_name(uint8_t op) {
    if (!known_opcode(op)) return "unknown";
    switch (static_cast<OpCode>(op)) {
        case OpCode::kChallenge: return "Challenge";
        case OpCode::kResponse: return "Response";
        case OpCode::kSuccess: return "Success";
        case OpCode::kFailure: return "Failure";
        case OpCode::kChangePassword: return "Change-Password";
    }
    return "unknown";
}

Result<OpCode> peek_opcode(ByteView type_data) {
    if (type_data.empty()) return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2: empty packet (no OpCode)");
    const uint8_t op = type_data[0];
    if (!known_opcode(op)) return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2: unknown OpCode " + std::to_string(op));
    return static_cast<OpCode>(op);
}

// draft-kamath-pppext-eap-mschapv2-02 §2: MS-Length covers OpCode to end.
Result<Header> parse_header(ByteView type_data) {
    auto op = peek_opcode(type_data);
    if (!op) return op.error();
    if (*op == OpCode::kChangePassword) {
        return make_error(ErrorCode::kUnsupported, "EAP-MSCHAPv2 Change-Password (OpCode 7) is not supported");
    }
    ByteReader r(type_data);
    (void)r.u8();
    auto ms_id = r.u8();
    auto ms_len = r.u16();
    if (!ms_id || !ms_len) return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2: header shorter than 4 octets");
    if (*ms_len != type_data.size()) {
        return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2: MS-Length " + std::to_string(*ms_len) +
                                                     " does not match the packet's " +
                                                     std::to_string(type_data.size()) + " octets");
    }
    return Header{*op, *ms_id, r.rest()};
}

// draft-kamath §2.1: Value-Size(1)=16, Challenge(16), Name.
Result<Challenge> parse_challenge(const Header& header) {
    if (header.op != OpCode::kChallenge) return make_error(ErrorCode::kInternal, "not a Challenge");
    ByteReader r(header.data);
    auto size = r.u8();
    if (!size) return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2 Challenge without Value-Size");
    if (*size != kChallengeSize) {
        return make_error(ErrorCode::kMalformed,
                          "EAP-MSCHAPv2 Challenge Value-Size " + std::to_string(*size) + " (must be 16)");
    }
    Challenge c;
    c.ms_id = header.ms_id;
    if (!r.copy_to(c.challenge)) return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2 Challenge shorter than 16 octets");
    c.name = to_string(r.rest());
    return c;
}

Bytes build_challenge(uint8_t ms_id, ByteView challenge16, std::string_view name) {
    ByteWriter w;
    w.u8(static_cast<uint8_t>(challenge16.size())).bytes(challenge16).str(name);
    return build_with_header(OpCode::kChallenge, ms_id, w.view());
}

// draft-kamath §2.2: Value-Size(1)=49, Peer-Challenge, Reserved, NT-Response, Flags, Name.
Result<Response> parse_response(const Header& header) {
    if (header.op != OpCode::kResponse) return make_error(ErrorCode::kInternal, "not a Response");
    ByteReader r(header.data);
    auto size = r.u8();
    if (!size) return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2 Response without Value-Size");
    if (*size != kResponseValueSize) {
        return make_error(ErrorCode::kMalformed,
                          "EAP-MSCHAPv2 Response Value-Size " + std::to_string(*size) + " (must be 49)");
    }
    Response resp;
    resp.ms_id = header.ms_id;
    if (!r.copy_to(resp.peer_challenge) || !r.skip(8) || !r.copy_to(resp.nt_response)) {
        return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2 Response shorter than its 49-octet value");
    }
    auto flags = r.u8();
    if (!flags) return make_error(ErrorCode::kTruncated, "EAP-MSCHAPv2 Response without Flags");
    resp.flags = *flags;
    resp.name = to_string(r.rest());
    return resp;
}

Bytes build_response(uint8_t ms_id, ByteView peer_challenge16, ByteView nt_response24, std::string_view name) {
    ByteWriter w;
    w.u8(static_cast<uint8_t>(kResponseValueSize)).bytes(peer_challenge16).zeros(8).bytes(nt_response24).u8(0).str(name);
    return build_with_header(OpCode::kResponse, ms_id, w.view());
}

// RFC 2759 §5: "S=<auth_string> M=<message>".
SuccessMessage parse_success_message(std::string_view text) {
    SuccessMessage out;
    if (text.size() > kMaxMessageSize) text = text.substr(0, kMaxMessageSize);
    const size_t kHexLen = 2 * kAuthResponseSize;
    if (text.size() >= 2 + kHexLen && text.substr(0, 2) == "S=") {
        const std::string_view hex = text.substr(2, kHexLen);
        // Only hex digits (from_hex would also skip separators).
        bool all_hex = true;
        for (char c : hex) {
            all_hex = all_hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        }
        std::string_view rest = text.substr(2 + kHexLen);
        const bool rest_ok = rest.empty() || rest[0] == ' ';
        if (all_hex && rest_ok) {
            auto bytes = from_hex(hex);
            if (bytes && bytes->size() == kAuthResponseSize) {
                std::array<uint8_t, kAuthResponseSize> a{};
                std::copy(bytes->begin(), bytes->end(), a.begin());
                out.auth_response = a;
            }
            text = rest;
        }
    }
    while (!text.empty() && text[0] == ' ') text.remove_prefix(1);
    if (text.substr(0, 2) == "M=") text.remove_prefix(2);
    out.message = std::string(text);
    return out;
}

Bytes build_success_request(uint8_t ms_id, ByteView auth_response20, std::string_view message) {
    std::string text = format_authenticator_response(auth_response20);
    text += " M=";
    text += message;
    return build_with_header(OpCode::kSuccess, ms_id, as_bytes(text));
}

// RFC 2759 §6.
Result<FailureMessage> parse_failure_message(std::string_view text) {
    if (text.size() > kMaxMessageSize) {
        return make_error(ErrorCode::kLimit, "EAP-MSCHAPv2 Failure message longer than " +
                                                 std::to_string(kMaxMessageSize) + " octets");
    }
    FailureMessage f;
    bool have_e = false, have_r = false;
    // At most five fields (E, R, C, V, M): the loop is bounded by the text
    // length and by the duplicate checks.
    while (!text.empty()) {
        while (!text.empty() && text[0] == ' ') text.remove_prefix(1);
        if (text.empty()) break;
        if (text.size() < 2 || text[1] != '=') {
            return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2 Failure message: field without '='");
        }
        const char key = text[0];
        if (key == 'M') {
            f.message = std::string(text.substr(2));
            break;
        }
        const size_t end = text.find(' ');
        const std::string_view value = text.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end);
        switch (key) {
            case 'E':
                if (have_e || !parse_decimal(value, &f.error)) {
                    return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2 Failure message: bad or repeated E=");
                }
                have_e = true;
                break;
            case 'R':
                if (have_r || (value != "0" && value != "1")) {
                    return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2 Failure message: bad or repeated R=");
                }
                f.retry = value == "1";
                have_r = true;
                break;
            case 'C': {
                bool ok = !f.challenge && value.size() == 2 * kChallengeSize;
                for (char c : value) {
                    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
                }
                auto bytes = ok ? from_hex(value) : Result<Bytes>(make_error(ErrorCode::kMalformed, ""));
                if (!bytes || bytes->size() != kChallengeSize) {
                    return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2 Failure message: bad or repeated C=");
                }
                std::array<uint8_t, kChallengeSize> c{};
                std::copy(bytes->begin(), bytes->end(), c.begin());
                f.challenge = c;
                break;
            }
            case 'V': {
                uint32_t v = 0;
                if (f.version || !parse_decimal(value, &v)) {
                    return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2 Failure message: bad or repeated V=");
                }
                f.version = v;
                break;
            }
            default:
                return make_error(ErrorCode::kMalformed,
                                  std::string("EAP-MSCHAPv2 Failure message: unknown field '") + key + "='");
        }
    }
    if (!have_e) return make_error(ErrorCode::kMalformed, "EAP-MSCHAPv2 Failure message without E=");
    return f;
}

std::string format_failure_message(const FailureMessage& failure) {
    std::string text = "E=" + std::to_string(failure.error) + " R=" + (failure.retry ? "1" : "0");
    if (failure.challenge) {
        std::string hex = to_hex(*failure.challenge);
        for (char& c : hex) {
            if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        }
        text += " C=" + hex;
    }
    if (failure.version) text += " V=" + std::to_string(*failure.version);
    text += " M=" + failure.message;
    return text;
}

Bytes build_failure_request(uint8_t ms_id, const FailureMessage& failure) {
    return build_with_header(OpCode::kFailure, ms_id, as_bytes(format_failure_message(failure)));
}

Bytes build_opcode_only(OpCode op) { return Bytes{static_cast<uint8_t>(op)}; }

}  // namespace lanyard::eap::mschapv2
