// The RADIUS server's client table in hostapd's radius_server_clients file
// format: one client per line, "<address>[/<prefix>] <secret>", IPv4 or
// IPv6; empty lines and lines starting with '#' are skipped; the secret is
// the rest of the line after the spaces or tabs following the address
// (so it may contain spaces). Lookup returns the first matching line, as
// hostapd does. Differences from hostapd, on purpose: a trailing '\r' is
// stripped (CRLF files), and IPv4 and IPv6 lines may be mixed (hostapd
// reads only one family, per its radius_server_ipv6 switch); an IPv4 line
// also matches the IPv4-mapped IPv6 address (::ffff:a.b.c.d).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::radius {

struct IpAddress {
    enum class Family { kIpv4, kIpv6 };
    Family family = Family::kIpv4;
    std::array<uint8_t, 16> octets{};  // IPv4 uses the first 4

    // Dotted quad or RFC 4291 §2.2 text; nothing else (no scope ids).
    static Result<IpAddress> parse(std::string_view text);
    static IpAddress v4(const std::array<uint8_t, 4>& a);
    static IpAddress v6(const std::array<uint8_t, 16>& a);
    size_t size() const { return family == Family::kIpv4 ? 4 : 16; }
    ByteView view() const { return ByteView(octets.data(), size()); }
    std::string to_string() const;

    friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct NasClient {
    IpAddress network;
    unsigned prefix = 32;
    SecretBytes secret;
    size_t line = 0;  // where it was read, for logs
};

class ClientTable {
public:
    // Parses the file's text; `origin` names it in errors ("file:line: ...").
    // Any bad line fails the whole table (as hostapd does): a bad address,
    // a prefix outside 0..32 / 0..128, a missing secret, a line over 1023
    // characters (hostapd's read buffer).
    static Result<ClientTable> parse(std::string_view text, std::string_view origin);
    // Reads and parses a file (kConfig when it cannot be read).
    static Result<ClientTable> load(const std::string& path);

    // The first client whose network contains the address, or nullptr.
    const NasClient* find(const IpAddress& address) const;

    size_t size() const { return clients_.size(); }
    const std::vector<NasClient>& clients() const { return clients_; }

private:
    std::vector<NasClient> clients_;
};

}  // namespace lanyard::radius
