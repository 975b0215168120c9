#include "ike/child_sa.h"

#include <arpa/inet.h>

#include <algorithm>

#include "common/log.h"
#include "common/random.h"

namespace lanyard::ike {
namespace {

bool less_bytes(ByteView a, ByteView b) { return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()); }

Result<Bytes> parse_address(const std::string& s, TsType* type) {
    uint8_t buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
        *type = TsType::kIpv4AddrRange;
        return Bytes(buf, buf + 4);
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
        *type = TsType::kIpv6AddrRange;
        return Bytes(buf, buf + 16);
    }
    return make_error(ErrorCode::kConfig, "bad address '" + s + "' in traffic selector");
}

Result<uint8_t> parse_proto(const std::string& p) {
    if (p.empty() || p == "%any") return uint8_t{0};
    if (p == "tcp") return uint8_t{6};
    if (p == "udp") return uint8_t{17};
    if (p == "icmp") return uint8_t{1};
    if (p == "icmp6" || p == "ipv6-icmp") return uint8_t{58};
    if (p.find_first_not_of("0123456789") == std::string::npos && p.size() <= 3) {
        const int v = std::stoi(p);
        if (v <= 255) return static_cast<uint8_t>(v);
    }
    return make_error(ErrorCode::kConfig, "unknown protocol '" + p + "' in traffic selector");
}

Result<TsConfig> parse_one_ts(std::string item) {
    TsConfig c;
    std::string proto_port;
    if (const size_t lb = item.find('['); lb != std::string::npos) {
        if (item.back() != ']') return make_error(ErrorCode::kConfig, "traffic selector '" + item + "': missing ']'");
        proto_port = item.substr(lb + 1, item.size() - lb - 2);
        item = item.substr(0, lb);
    }
    if (item == "dynamic") {
        c.dynamic = true;
    } else {
        TsType type = TsType::kIpv4AddrRange;
        if (const size_t slash = item.find('/'); slash != std::string::npos) {
            auto addr = parse_address(item.substr(0, slash), &type);
            if (!addr) return addr.error();
            const std::string len_text = item.substr(slash + 1);
            if (len_text.empty() || len_text.size() > 3 || len_text.find_first_not_of("0123456789") != std::string::npos) {
                return make_error(ErrorCode::kConfig, "bad prefix length in '" + item + "'");
            }
            const size_t bits = std::stoul(len_text);
            if (bits > addr->size() * 8) return make_error(ErrorCode::kConfig, "prefix too long in '" + item + "'");
            Bytes start = *addr, end = *addr;
            for (size_t i = 0; i < addr->size() * 8; ++i) {
                if (i < bits) continue;
                const uint8_t bit = static_cast<uint8_t>(0x80 >> (i % 8));
                start[i / 8] &= static_cast<uint8_t>(~bit);
                end[i / 8] |= bit;
            }
            c.ts.start_address = std::move(start);
            c.ts.end_address = std::move(end);
        } else if (const size_t dash = item.find('-'); dash != std::string::npos) {
            TsType t2 = type;
            auto a = parse_address(item.substr(0, dash), &type);
            if (!a) return a.error();
            auto b = parse_address(item.substr(dash + 1), &t2);
            if (!b) return b.error();
            if (type != t2 || less_bytes(*b, *a)) return make_error(ErrorCode::kConfig, "bad range '" + item + "'");
            c.ts.start_address = *a;
            c.ts.end_address = *b;
        } else {
            auto a = parse_address(item, &type);
            if (!a) return a.error();
            c.ts.start_address = *a;
            c.ts.end_address = *a;
        }
        c.ts.type = type;
    }
    if (!proto_port.empty()) {
        const size_t slash = proto_port.find('/');
        auto proto = parse_proto(proto_port.substr(0, slash));
        if (!proto) return proto.error();
        c.ts.ip_protocol = *proto;
        if (slash != std::string::npos) {
            const std::string port = proto_port.substr(slash + 1);
            if (port != "%any" && !port.empty()) {
                if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535) {
                    return make_error(ErrorCode::kConfig, "bad port '" + port + "'");
                }
                c.ts.start_port = c.ts.end_port = static_cast<uint16_t>(std::stoul(port));
            }
        }
    }
    return c;
}

}  // namespace

Result<std::vector<TsConfig>> parse_ts_list(std::string_view text) {
    std::vector<TsConfig> out;
    std::string s(text);
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t comma = s.find(',', pos);
        if (comma == std::string::npos) comma = s.size();
        std::string item = s.substr(pos, comma - pos);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) {
            auto c = parse_one_ts(item);
            if (!c) return c.error();
            out.push_back(std::move(*c));
            if (out.size() > 16) return make_error(ErrorCode::kConfig, "more than 16 traffic selectors");
        }
        pos = comma + 1;
    }
    if (out.empty()) return make_error(ErrorCode::kConfig, "empty traffic selector list");
    return out;
}

TrafficSelector host_selector(ByteView address) {
    TrafficSelector ts;
    ts.type = address.size() == 16 ? TsType::kIpv6AddrRange : TsType::kIpv4AddrRange;
    ts.start_address.assign(address.begin(), address.end());
    ts.end_address = ts.start_address;
    return ts;
}

std::string ts_to_string(const TrafficSelector& ts) {
    const int af = ts.type == TsType::kIpv4AddrRange ? AF_INET : AF_INET6;
    char a[INET6_ADDRSTRLEN] = "?", b[INET6_ADDRSTRLEN] = "?";
    const size_t n = af == AF_INET ? 4 : 16;
    if (ts.start_address.size() == n) inet_ntop(af, ts.start_address.data(), a, sizeof(a));
    if (ts.end_address.size() == n) inet_ntop(af, ts.end_address.data(), b, sizeof(b));
    std::string out = ts.start_address == ts.end_address ? std::string(a) + (af == AF_INET ? "/32" : "/128")
                                                         : std::string(a) + "-" + b;
    // A prefix prints as a/len when the range is one.
    if (ts.start_address != ts.end_address && ts.start_address.size() == n && ts.end_address.size() == n) {
        size_t len = 0;
        bool prefix = true, in_host = false;
        for (size_t i = 0; i < n * 8; ++i) {
            const uint8_t bit = static_cast<uint8_t>(0x80 >> (i % 8));
            const bool s = ts.start_address[i / 8] & bit, e = ts.end_address[i / 8] & bit;
            if (!in_host && s == e) { ++len; continue; }
            in_host = true;
            if (s || !e) { prefix = false; break; }
        }
        if (prefix) out = std::string(a) + "/" + std::to_string(len);
    }
    if (ts.ip_protocol != 0 || ts.start_port != 0 || ts.end_port != 65535) {
        out += "[" + std::to_string(ts.ip_protocol);
        if (ts.start_port != 0 || ts.end_port != 65535) out += "/" + std::to_string(ts.start_port);
        out += "]";
    }
    return out;
}

std::optional<TrafficSelector> intersect_ts(const TrafficSelector& a, const TrafficSelector& b) {
    if (a.type != b.type || a.start_address.size() != b.start_address.size()) return std::nullopt;
    TrafficSelector r;
    r.type = a.type;
    if (a.ip_protocol != 0 && b.ip_protocol != 0 && a.ip_protocol != b.ip_protocol) return std::nullopt;
    r.ip_protocol = a.ip_protocol != 0 ? a.ip_protocol : b.ip_protocol;
    r.start_port = std::max(a.start_port, b.start_port);
    r.end_port = std::min(a.end_port, b.end_port);
    if (r.start_port > r.end_port) return std::nullopt;
    r.start_address = less_bytes(a.start_address, b.start_address) ? b.start_address : a.start_address;
    r.end_address = less_bytes(a.end_address, b.end_address) ? a.end_address : b.end_address;
    if (less_bytes(r.end_address, r.start_address)) return std::nullopt;
    return r;
}

std::vector<TrafficSelector> narrow_ts(const std::vector<TrafficSelector>& proposed,
                                       const std::vector<TrafficSelector>& allowed) {
    std::vector<TrafficSelector> out;
    for (const auto& p : proposed) {
        for (const auto& a : allowed) {
            auto r = intersect_ts(p, a);
            if (r && std::find(out.begin(), out.end(), *r) == out.end()) out.push_back(std::move(*r));
            if (out.size() >= 16) return out;
        }
    }
    return out;
}

std::vector<TrafficSelector> resolve_ts(const std::vector<TsConfig>& config, ByteView dynamic_address) {
    std::vector<TrafficSelector> out;
    for (const auto& c : config) {
        if (!c.dynamic) {
            out.push_back(c.ts);
        } else if (!dynamic_address.empty()) {
            TrafficSelector ts = host_selector(dynamic_address);
            ts.ip_protocol = c.ts.ip_protocol;
            ts.start_port = c.ts.start_port;
            ts.end_port = c.ts.end_port;
            out.push_back(std::move(ts));
        }
    }
    return out;
}

Result<uint32_t> RecordingChildSaInstaller::allocate_spi() {
    uint32_t spi = 0;
    // SPIs 1..255 are reserved by IANA (RFC 4303 §2.1).
    for (int i = 0; i < 8 && spi < 256; ++i) spi = random_.u32() | 0xc0000000u;
    return spi;
}

void RecordingChildSaInstaller::trim() {
    // Bounded record: a long-running gateway keeps only the latest events.
    if (events_.size() >= 4096) events_.erase(events_.begin(), events_.begin() + 2048);
}

Status RecordingChildSaInstaller::install(const ChildSa& child) {
    trim();
    events_.push_back(Event{true, child.spi_in, child.spi_out, child.config_name});
    ++installed_;
    return ok_status();
}

void RecordingChildSaInstaller::remove(const ChildSa& child) {
    trim();
    events_.push_back(Event{false, child.spi_in, child.spi_out, child.config_name});
    if (installed_ > 0) --installed_;
}

}  // namespace lanyard::ike
