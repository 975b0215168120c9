// hostapd radius_server_clients file reader and client lookup.
#include "radius/client_table.h"

#include <arpa/inet.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace lanyard::radius {

Result<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > 45) return make_error(ErrorCode::kMalformed, "bad IP address '" + std::string(text) + "'");
    const std::string s(text);
    IpAddress a;
    if (s.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, s.c_str(), a.octets.data()) != 1)
            return make_error(ErrorCode::kMalformed, "bad IPv4 address '" + s + "'");
        a.family = Family::kIpv4;
        return a;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.octets.data()) != 1)
        return make_error(ErrorCode::kMalformed, "bad IPv6 address '" + s + "'");
    a.family = Family::kIpv6;
    return a;
}

IpAddress IpAddress::v4(const std::array<uint8_t, 4>& in) {
    IpAddress a;
    a.family = Family::kIpv4;
    std::copy(in.begin(), in.end(), a.octets.begin());
    return a;
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& in) {
    IpAddress a;
    a.family = Family::kIpv6;
    a.octets = in;
    return a;
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family == Family::kIpv4 ? AF_INET : AF_INET6, octets.data(), buf, sizeof buf);
    return buf;
}

namespace {

constexpr size_t kMaxLine = 1023;

bool prefix_matches(ByteView network, ByteView address, unsigned prefix) {
    const unsigned full = prefix / 8, bits = prefix % 8;
    for (unsigned i = 0; i < full; ++i)
        if (network[i] != address[i]) return false;
    if (bits == 0) return true;
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
    return (network[full] & mask) == (address[full] & mask);
}

// ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
bool is_v4_mapped(const IpAddress& a) {
    if (a.family != IpAddress::Family::kIpv6) return false;
    for (int i = 0; i < 10; ++i)
        if (a.octets[i] != 0) return false;
    return a.octets[10] == 0xff && a.octets[11] == 0xff;
}

IpAddress unmap(const IpAddress& a) { return IpAddress::v4({a.octets[12], a.octets[13], a.octets[14], a.octets[15]}); }

Error line_error(std::string_view origin, size_t line, const std::string& what) {
    return make_error(ErrorCode::kConfig, std::string(origin) + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

Result<ClientTable> ClientTable::parse(std::string_view text, std::string_view origin) {
    ClientTable table;
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() > kMaxLine) return line_error(origin, line_no, "line longer than 1023 characters");
        if (line.empty() || line.front() == '#') continue;

        size_t i = 0;
        auto is_addr_char = [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
        };
        while (i < line.size() && is_addr_char(line[i])) ++i;
        auto address = IpAddress::parse(line.substr(0, i));
        if (!address) return line_error(origin, line_no, address.error().detail);
        const unsigned max_prefix = address->family == IpAddress::Family::kIpv4 ? 32 : 128;
        unsigned prefix = max_prefix;
        if (i < line.size() && line[i] == '/') {
            ++i;
            const size_t start = i;
            while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
            const auto digits = line.substr(start, i - start);
            unsigned value = 0;
            auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || value > max_prefix)
                return line_error(origin, line_no, "bad prefix length '" + std::string(digits) + "' (0.." +
                                                       std::to_string(max_prefix) + ")");
            prefix = value;
        }
        if (i >= line.size() || (line[i] != ' ' && line[i] != '\t'))
            return line_error(origin, line_no, "expected '<address>[/<prefix>] <secret>'");
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) return line_error(origin, line_no, "missing shared secret");
        NasClient c;
        c.network = *address;
        c.prefix = prefix;
        c.secret = SecretBytes(as_bytes(line.substr(i)));
        c.line = line_no;
        table.clients_.push_back(std::move(c));
    }
    return table;
}

Result<ClientTable> ClientTable::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::kConfig, path + ": cannot open RADIUS client file");
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto table = parse(text, path);
    secure_wipe(text.data(), text.size());
    return table;
}

const NasClient* ClientTable::find(const IpAddress& address) const {
    const IpAddress plain = is_v4_mapped(address) ? unmap(address) : address;
    for (const auto& c : clients_) {
        if (c.network.family == plain.family) {
            if (prefix_matches(c.network.view(), plain.view(), c.prefix)) return &c;
        } else if (c.network.family == IpAddress::Family::kIpv6 && plain.family == IpAddress::Family::kIpv4) {
            // An IPv6 line may name the IPv4-mapped range.
            IpAddress mapped = IpAddress::v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, plain.octets[0], plain.octets[1],
                                              plain.octets[2], plain.octets[3]});
            if (prefix_matches(c.network.view(), mapped.view(), c.prefix)) return &c;
        }
    }
    return nullptr;
}

}  // namespace lanyard::radius
