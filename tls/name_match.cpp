#include "tls/name_match.h"

#include <cctype>

namespace lanyard::tls::names {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string_view strip_trailing_dot(std::string_view s) {
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out.empty() ? std::string("(none)") : out;
}

template <typename Pred>
bool any_match(const std::vector<std::string>& configured, const std::vector<std::string>& cert_names, Pred pred) {
    for (const auto& want : configured) {
        for (const auto& have : cert_names) {
            if (pred(want, have)) return true;
        }
    }
    return false;
}

}  // namespace

std::vector<std::string> split_name_list(std::string_view list) {
    std::vector<std::string> out;
    while (true) {
        const size_t semi = list.find(';');
        std::string_view item = trim(list.substr(0, semi));
        if (!item.empty()) out.emplace_back(item);
        if (semi == std::string_view::npos) break;
        list.remove_prefix(semi + 1);
    }
    return out;
}

bool exact_match(std::string_view configured, std::string_view cert_name) {
    configured = strip_trailing_dot(configured);
    cert_name = strip_trailing_dot(cert_name);
    return !configured.empty() && iequals(configured, cert_name);
}

bool suffix_match(std::string_view suffix, std::string_view cert_name) {
    suffix = strip_trailing_dot(suffix);
    if (!suffix.empty() && suffix.front() == '.') suffix.remove_prefix(1);
    cert_name = strip_trailing_dot(cert_name);
    if (suffix.empty() || cert_name.size() < suffix.size()) return false;
    if (cert_name.size() == suffix.size()) return iequals(suffix, cert_name);
    const size_t boundary = cert_name.size() - suffix.size();
    return cert_name[boundary - 1] == '.' && iequals(suffix, cert_name.substr(boundary));
}

std::vector<std::string> names_to_check(const std::vector<std::string>& dns_names,
                                        const std::vector<std::string>& common_names) {
    return dns_names.empty() ? common_names : dns_names;
}

Status check_server_names(const std::vector<std::string>& cert_names, std::string_view domain_match,
                          std::string_view domain_suffix_match) {
    const auto exact = split_name_list(domain_match);
    if (!exact.empty() && !any_match(exact, cert_names, exact_match)) {
        return make_error(ErrorCode::kAuthFailed, "server name mismatch: certificate names [" + join(cert_names) +
                                                      "] do not match domain_match \"" +
                                                      std::string(domain_match) + "\"");
    }
    const auto suffixes = split_name_list(domain_suffix_match);
    if (!suffixes.empty() && !any_match(suffixes, cert_names, suffix_match)) {
        return make_error(ErrorCode::kAuthFailed, "server name mismatch: certificate names [" + join(cert_names) +
                                                      "] do not match domain_suffix_match \"" +
                                                      std::string(domain_suffix_match) + "\"");
    }
    return ok_status();
}

}  // namespace lanyard::tls::names
