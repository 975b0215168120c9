#include "common/ctrl_request.h"

#include <algorithm>

namespace lanyard {

Result<CtrlLevel> parse_ctrl_level(std::string_view text) {
    if (text.empty() || text.size() > 2) {
        return make_error(ErrorCode::kMalformed, "level must be a small decimal number");
    }
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return make_error(ErrorCode::kMalformed, "level is not a number");
        value = value * 10 + (c - '0');
    }
    if (value > static_cast<int>(CtrlLevel::kError)) {
        return make_error(ErrorCode::kMalformed, "level out of range 0..5");
    }
    return static_cast<CtrlLevel>(value);
}

Result<CtrlRequest> parse_ctrl_request(ByteView datagram) {
    if (datagram.size() > kCtrlMaxRequest) {
        return make_error(ErrorCode::kLimit, "request of " + std::to_string(datagram.size()) +
                                                 " bytes exceeds " + std::to_string(kCtrlMaxRequest));
    }
    std::string_view line(reinterpret_cast<const char*>(datagram.data()), datagram.size());
    if (line.find('\0') != std::string_view::npos) {
        return make_error(ErrorCode::kMalformed, "request contains a NUL byte");
    }
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    CtrlRequest request;
    size_t space = line.find(' ');
    if (space == std::string_view::npos) {
        request.name = line;
    } else {
        request.name = line.substr(0, space);
        request.args = line.substr(space + 1);
    }
    return request;
}

std::string format_ctrl_event(CtrlLevel level, std::string_view text) {
    std::string out;
    out.reserve(std::min(kCtrlMaxReply, text.size() + 3));
    out += '<';
    out += std::to_string(static_cast<int>(level));
    out += '>';
    out.append(text.substr(0, kCtrlMaxReply - std::min(kCtrlMaxReply, out.size())));
    return out;
}

}  // namespace lanyard
