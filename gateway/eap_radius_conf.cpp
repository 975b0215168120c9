// strongswan.conf's charon.plugins.eap-radius section (see the header).
#include "gateway/eap_radius_conf.h"

#include <algorithm>
#include <cmath>

#include "gateway/settings_tree.h"

namespace lanyard::gateway {
namespace {

// charon's eap-radius keys that Lanyard accepts but does not act on.
constexpr std::string_view kKnownIgnored[] = {
    "load", "accounting", "accounting_requires_vip", "accounting_close_on_timeout", "accounting_interval",
    "class_group", "close_all_on_timeout", "dae", "eap_start", "filter_id", "forward", "id_prefix", "nas_port_type",
    "source", "station_id_with_port", "xauth", "sockets", "acct_port", "port_acct"};

struct Reader {
    const std::string& file;
    EapRadiusSettings out;

    Error error(const SettingsKey& k, const std::string& what) const {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, k.line, k.name, what));
    }
    void ignored(const SettingsKey& k) {
        out.warnings.push_back(config::Warning{file, k.line, k.name, "accepted, not acted on by lanyard-gateway"});
    }
    bool is_ignored(const std::string& name) const {
        return std::find(std::begin(kKnownIgnored), std::end(kKnownIgnored), name) != std::end(kKnownIgnored);
    }

    Result<uint16_t> port(const SettingsKey& k) const {
        const std::string& v = k.value;
        if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) == 0 ||
            std::stoul(v) > 65535) {
            return error(k, "bad port '" + v + "'");
        }
        return static_cast<uint16_t>(std::stoul(v));
    }

    Result<double> number(const SettingsKey& k, double max) const {
        char* end = nullptr;
        const double d = std::strtod(k.value.c_str(), &end);
        if (k.value.empty() || end == nullptr || *end != '\0' || !std::isfinite(d) || d <= 0 || d > max) {
            return error(k, "bad value '" + k.value + "'");
        }
        return d;
    }

    Status server(const SettingsSection& s, authenticator::RadiusServerConfig& srv, int& preference) {
        for (const auto& k : s.keys) {
            if (k.name == "address") {
                srv.address = k.value;
                srv.line = k.line;
            } else if (k.name == "secret") {
                srv.shared_secret = SecretBytes(as_bytes(k.value));
            } else if (k.name == "auth_port" || k.name == "port") {
                auto p = port(k);
                if (!p) return p.error();
                srv.port = *p;
            } else if (k.name == "preference") {
                auto n = number(k, 1e6);
                if (!n) return n.error();
                preference = static_cast<int>(*n);
            } else if (k.name == "nas_identifier") {
                out.nas_identifier = k.value;
            } else if (is_ignored(k.name)) {
                ignored(k);
            } else {
                return error(k, "unknown key");
            }
        }
        if (srv.address.empty()) {
            return make_error(ErrorCode::kConfig, config::format_diagnostic(file, s.line, s.name, "server without address"));
        }
        if (srv.shared_secret.empty()) {
            return make_error(ErrorCode::kConfig, config::format_diagnostic(file, s.line, s.name, "server without secret"));
        }
        return ok_status();
    }

    Status plugin(const SettingsSection& s) {
        authenticator::RadiusServerConfig single;
        single.port = 1812;
        for (const auto& k : s.keys) {
            if (k.name == "server") {
                single.address = k.value;
                single.line = k.line;
            } else if (k.name == "secret") {
                single.shared_secret = SecretBytes(as_bytes(k.value));
            } else if (k.name == "port") {
                auto p = port(k);
                if (!p) return p.error();
                single.port = *p;
            } else if (k.name == "nas_identifier") {
                out.nas_identifier = k.value;
            } else if (k.name == "retransmit_tries") {
                auto n = number(k, 100);
                if (!n) return n.error();
                out.retransmit.attempts_per_server = static_cast<unsigned>(*n);
            } else if (k.name == "retransmit_timeout") {
                auto n = number(k, 3600);
                if (!n) return n.error();
                out.retransmit.initial_timeout = Duration(static_cast<int64_t>(*n * 1000));
            } else if (k.name == "retransmit_base") {
                auto n = number(k, 10);  // charon's exponential base; Lanyard doubles (RFC 5080 §2.2.1)
                if (!n) return n.error();
                ignored(k);
            } else if (is_ignored(k.name)) {
                ignored(k);
            } else {
                return error(k, "unknown key");
            }
        }
        std::vector<std::pair<int, authenticator::RadiusServerConfig>> ranked;
        for (const auto& sub : s.sections) {
            if (sub.name != "servers") {
                out.warnings.push_back(config::Warning{file, sub.line, sub.name, "section not acted on by lanyard-gateway"});
                continue;
            }
            for (const auto& one : sub.sections) {
                authenticator::RadiusServerConfig srv;
                srv.port = 1812;
                int preference = 0;
                LANYARD_TRY(server(one, srv, preference));
                ranked.emplace_back(preference, std::move(srv));
            }
        }
        // charon tries servers of higher preference first.
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (!single.address.empty()) {
            if (single.shared_secret.empty()) {
                return make_error(ErrorCode::kConfig, config::format_diagnostic(file, single.line, "server", "server without secret"));
            }
            out.servers.push_back(std::move(single));
        }
        for (auto& r : ranked) out.servers.push_back(std::move(r.second));
        out.retransmit.max_attempts = out.retransmit.attempts_per_server * static_cast<unsigned>(std::max<size_t>(1, out.servers.size()));
        return ok_status();
    }
};

}  // namespace

Result<EapRadiusSettings> parse_eap_radius_settings(std::string_view text, const std::string& file) {
    auto root = parse_settings(text, file);
    if (!root) return root.error();
    Reader r{file, {}};
    const SettingsSection* charon = root->section("charon");
    const SettingsSection* plugins = charon != nullptr ? charon->section("plugins") : nullptr;
    const SettingsSection* radius = plugins != nullptr ? plugins->section("eap-radius") : nullptr;
    if (radius == nullptr) {
        return make_error(ErrorCode::kConfig, file + ": no charon.plugins.eap-radius section");
    }
    LANYARD_TRY(r.plugin(*radius));
    if (r.out.servers.empty()) {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, radius->line, "eap-radius",
                                                                        "no RADIUS server (server = or servers { })"));
    }
    return std::move(r.out);
}

Result<EapRadiusSettings> load_eap_radius_settings(const std::string& path) {
    auto text = config::read_config_file(path);
    if (!text) return text.error();
    return parse_eap_radius_settings(*text, path);
}

}  // namespace lanyard::gateway
