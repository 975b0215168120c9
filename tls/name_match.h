// Server name policy for TLS clients (wpa_supplicant's domain_match and
// domain_suffix_match). Pure string logic with no TLS library types, so it
// can be tested on its own and shared by every backend.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace lanyard::tls::names {

// "a.example; b.example" -> {"a.example", "b.example"}: split at ';', spaces
// trimmed, empty entries dropped.
std::vector<std::string> split_name_list(std::string_view list);

// DNS names compare case-insensitively (RFC 4343 §3) and a single trailing
// dot is ignored on either side.
bool exact_match(std::string_view configured, std::string_view cert_name);

// The certificate name equals the suffix or is a subdomain of it, on a label
// boundary: "lanyard.test" matches "lanyard.test" and "radius.lanyard.test",
// never "nyard.test" for "lanyard.test". A leading '.' on the suffix is
// ignored.
bool suffix_match(std::string_view suffix, std::string_view cert_name);

// The names a server certificate is checked against: its subjectAltName
// dNSName entries, or, only when it has none, its subject CN values
// (RFC 6125 §6.4.4).
std::vector<std::string> names_to_check(const std::vector<std::string>& dns_names,
                                        const std::vector<std::string>& common_names);

// Applies both policies; each one that is configured (non-empty) must be met
// by at least one certificate name and one configured entry. The error is
// kAuthFailed and its detail starts with "server name mismatch".
Status check_server_names(const std::vector<std::string>& cert_names, std::string_view domain_match,
                          std::string_view domain_suffix_match);

}  // namespace lanyard::tls::names
