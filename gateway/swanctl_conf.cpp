#include "gateway/swanctl_conf.h"

#include <arpa/inet.h>

#include <algorithm>

#include <filesystem>
#include <map>
#include <set>

#include "common/hex.h"
#include "gateway/settings_tree.h"
#include "gateway/swanctl_eap.h"
#include "ike/authenticator.h"
#include "ike/transforms.h"

namespace lanyard::gateway {
namespace {

using ike::PeerConfig;

using CertPtr = std::shared_ptr<const crypto::Certificate>;

// Files beside swanctl.conf, loaded once.
struct CredentialFiles {
    std::map<std::string, CertPtr> certs;  // path -> certificate
    std::vector<std::shared_ptr<const crypto::PrivateKey>> keys;
    bool keys_loaded = false;
};

struct Ctx {
    const std::string& file;
    SwanctlConfig& out;
    CredentialFiles* creds = nullptr;
    std::vector<std::shared_ptr<PeerConfig>> connections;  // for attach_eap_backends
    Error error(size_t line, const std::string& key, const std::string& msg) const {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, line, key, msg));
    }
    Error unknown(const SettingsKey& k) const {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, k.line, "", "unknown key '" + k.name + "'"));
    }
    Error unknown_section(const SettingsSection& s) const {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, s.line, "", "unknown section '" + s.name + "'"));
    }
    void ignored(const SettingsKey& k) {
        out.warnings.push_back(config::Warning{file, k.line, k.name, "accepted but not acted on by lanyard-gateway"});
    }
};

std::vector<std::string> split_list(std::string_view v) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : v) {
        if (c == ',' || c == ' ' || c == '\t') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

Result<bool> yes_no(const Ctx& c, const SettingsKey& k) {
    if (k.value == "yes" || k.value == "true" || k.value == "1") return true;
    if (k.value == "no" || k.value == "false" || k.value == "0") return false;
    return c.error(k.line, k.name, "expected yes or no, got '" + k.value + "'");
}

Result<uint16_t> port(const Ctx& c, const SettingsKey& k) {
    if (k.value.empty() || k.value.size() > 5 || k.value.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(k.value) > 65535) {
        return c.error(k.line, k.name, "bad port '" + k.value + "'");
    }
    return static_cast<uint16_t>(std::stoul(k.value));
}

const std::set<std::string> kIgnoredConnectionKeys = {
    "reauth_time", "unique", "mobike", "keyingtries", "dpd_timeout",
    "aggressive", "pull", "dscp", "reauth", "childless", "if_id_in", "if_id_out", "mediation", "ppk_id", "ppk_required",
    "close_action"};
const std::set<std::string> kIgnoredChildKeys = {
    "rekey_bytes", "life_bytes", "rand_bytes", "rekey_packets",
    "life_packets", "rand_packets", "updown", "hostaccess", "policies", "policies_fwd_out", "dpd_action",
    "close_action", "ipcomp", "inactivity", "reqid", "priority", "interface", "mark_in", "mark_out", "set_mark_in",
    "set_mark_out", "tfc_padding", "copy_df", "copy_ecn", "copy_dscp", "sha256_96", "hw_offload", "replay_window",
    "label", "if_id_in", "if_id_out"};

std::string beside(const std::string& dir, const std::string& name) {
    return !name.empty() && name.front() == '/' ? name : dir + "/" + name;
}

Result<CertPtr> load_cert(Ctx& c, const std::string& path) {
    if (auto it = c.creds->certs.find(path); it != c.creds->certs.end()) return it->second;
    auto cert = crypto::Certificate::load_file(path);
    if (!cert) return cert.error();
    auto ptr = std::make_shared<const crypto::Certificate>(std::move(*cert));
    c.creds->certs[path] = ptr;
    return ptr;
}

// swanctl loads every key in private/ (and rsa/, ecdsa/); a certificate
// uses the one whose public key it carries.
Status attach_private_key(Ctx& c, ike::AuthRoundConfig& a, size_t line) {
    if (!c.creds->keys_loaded) {
        c.creds->keys_loaded = true;
        const std::string dir = c.out.private_dir.substr(0, c.out.private_dir.rfind('/'));
        for (const char* sub : {"/private", "/rsa", "/ecdsa", "/pkcs8"}) {
            for (const auto& f : credential_files(dir + sub)) {
                auto k = crypto::PrivateKey::load_file(f);
                if (!k) {
                    c.out.warnings.push_back(config::Warning{f, 0, "", k.error().detail});
                    continue;
                }
                c.creds->keys.push_back(std::make_shared<const crypto::PrivateKey>(std::move(*k)));
            }
        }
    }
    const Bytes spki = a.cert_chain.front()->spki_der();
    for (const auto& k : c.creds->keys) {
        auto pub = k->public_spki();
        if (pub && *pub == spki) {
            a.private_key = k;
            return ok_status();
        }
    }
    return c.error(line, "certs", "no private key in " + c.out.private_dir + " for certificate '" +
                                     a.cert_chain.front()->subject_text() + "'");
}

Status parse_auth(Ctx& c, const SettingsSection& s, bool local, ike::AuthRoundConfig& a) {
    for (const auto& k : s.keys) {
        if (k.name == "auth") {
            if (k.value == "psk") a.auth = ike::AuthClass::kPsk;
            else if (k.value == "pubkey" || k.value == "rsa" || k.value == "ecdsa") a.auth = ike::AuthClass::kPubkey;
            else if (k.value.rfind("eap", 0) == 0) {
                a.auth = ike::AuthClass::kEap;
                a.eap_method = k.value.size() > 4 ? k.value.substr(4) : "";
            } else {
                return c.error(k.line, k.name, "unknown authentication '" + k.value + "'");
            }
        } else if (k.name == "id") {
            auto id = ike::parse_identity(k.value);
            if (!id) return c.error(k.line, k.name, id.error().detail);
            a.id = *id;
        } else if (k.name == "certs" && local) {
            a.certs = split_list(k.value);
            for (const auto& name : a.certs) {
                auto cert = load_cert(c, beside(c.out.x509_dir, name));
                if (!cert) return c.error(k.line, k.name, cert.error().detail);
                a.cert_chain.push_back(*cert);
            }
            if (!a.cert_chain.empty()) LANYARD_TRY(attach_private_key(c, a, k.line));
        } else if (k.name == "cacerts" && !local) {
            a.cacerts = split_list(k.value);
            for (const auto& name : a.cacerts) {
                auto cert = load_cert(c, beside(c.out.x509ca_dir, name));
                if (!cert) return c.error(k.line, k.name, cert.error().detail);
                a.trust.push_back(*cert);
            }
        } else if (k.name == "eap_id") {
            auto id = ike::parse_identity(k.value);
            if (!id) return c.error(k.line, k.name, id.error().detail);
            a.eap_id = *id;
        } else if (k.name == "eap_id" || k.name == "aaa_id" || k.name == "xauth_id" || k.name == "revocation" ||
                   k.name == "cert_policy" || k.name == "groups" || k.name == "pubkeys" || k.name == "ca_id" ||
                   (k.name == "cacerts" && local) || (k.name == "certs" && !local)) {
            c.ignored(k);
        } else {
            return c.unknown(k);
        }
    }
    for (const auto& sub : s.sections) return c.unknown_section(sub);
    // auth = pubkey without certs: charon picks the certificate in x509/
    // that confirms the local identity.
    if (local && a.auth == ike::AuthClass::kPubkey && a.cert_chain.empty()) {
        for (const auto& f : credential_files(c.out.x509_dir)) {
            auto cert = load_cert(c, f);
            if (!cert) continue;
            if (a.id.data.empty() || ike::identity_matches_certificate(a.id, **cert)) {
                a.cert_chain.push_back(*cert);
                break;
            }
        }
        if (a.cert_chain.empty()) return c.error(s.line, "certs", "auth = pubkey but no certificate in " + c.out.x509_dir + " fits");
        LANYARD_TRY(attach_private_key(c, a, s.line));
    }
    return ok_status();
}

Status parse_child(Ctx& c, const SettingsSection& s, ike::ChildConfig& child) {
    child.name = s.name;
    child.esp_proposals = ike::parse_proposal_string("default", ike::ProtocolId::kEsp).value();
    child.local_ts = ike::parse_ts_list("dynamic").value();
    child.remote_ts = ike::parse_ts_list("dynamic").value();
    for (const auto& k : s.keys) {
        if (k.name == "local_ts" || k.name == "remote_ts") {
            auto ts = ike::parse_ts_list(k.value);
            if (!ts) return c.error(k.line, k.name, ts.error().detail);
            (k.name == "local_ts" ? child.local_ts : child.remote_ts) = *ts;
        } else if (k.name == "esp_proposals") {
            auto p = ike::parse_proposal_string(k.value, ike::ProtocolId::kEsp);
            if (!p) return c.error(k.line, k.name, p.error().detail);
            child.esp_proposals = *p;
        } else if (k.name == "ah_proposals") {
            return c.error(k.line, k.name, "AH is not supported");
        } else if (k.name == "start_action") {
            if (k.value == "none") child.start_action = ike::StartAction::kNone;
            else if (k.value == "trap") child.start_action = ike::StartAction::kTrap;
            else if (k.value == "start") child.start_action = ike::StartAction::kStart;
            else return c.error(k.line, k.name, "unknown start_action '" + k.value + "'");
        } else if (k.name == "rekey_time" || k.name == "life_time" || k.name == "rand_time") {
            auto d = parse_swanctl_duration(k.value);
            if (!d) return c.error(k.line, k.name, d.error().detail);
            if (k.name == "rekey_time") child.rekey_time = *d;
            else if (k.name == "life_time") child.life_time = *d;
            else child.rand_time = *d;
        } else if (k.name == "mode") {
            if (k.value == "tunnel") child.transport_mode = false;
            else if (k.value == "transport") child.transport_mode = true;
            else return c.error(k.line, k.name, "mode '" + k.value + "' not supported (tunnel, transport)");
        } else if (kIgnoredChildKeys.count(k.name)) {
            c.ignored(k);
        } else {
            return c.unknown(k);
        }
    }
    for (const auto& sub : s.sections) return c.unknown_section(sub);
    return ok_status();
}

Status parse_connection(Ctx& c, const SettingsSection& s) {
    auto conn = std::make_shared<PeerConfig>();
    conn->name = s.name;
    conn->ike_proposals = ike::parse_proposal_string("default", ike::ProtocolId::kIke).value();
    for (const auto& k : s.keys) {
        if (k.name == "local_addrs") conn->local_addrs = split_list(k.value);
        else if (k.name == "remote_addrs") conn->remote_addrs = split_list(k.value);
        else if (k.name == "local_port") { auto p = port(c, k); if (!p) return p.error(); conn->local_port = *p; }
        else if (k.name == "remote_port") { auto p = port(c, k); if (!p) return p.error(); conn->remote_port = *p; }
        else if (k.name == "proposals") {
            auto p = ike::parse_proposal_string(k.value, ike::ProtocolId::kIke);
            if (!p) return c.error(k.line, k.name, p.error().detail);
            conn->ike_proposals = *p;
        } else if (k.name == "fragmentation") {
            if (k.value == "yes") conn->fragmentation = ike::FragmentationPolicy::kYes;
            else if (k.value == "no") conn->fragmentation = ike::FragmentationPolicy::kNo;
            else if (k.value == "accept") conn->fragmentation = ike::FragmentationPolicy::kAccept;
            else if (k.value == "force") conn->fragmentation = ike::FragmentationPolicy::kForce;
            else return c.error(k.line, k.name, "expected yes, accept, force or no");
        } else if (k.name == "send_certreq") {
            auto b = yes_no(c, k); if (!b) return b.error(); conn->send_certreq = *b;
        } else if (k.name == "send_cert") {
            c.ignored(k);
        } else if (k.name == "encap") {
            auto b = yes_no(c, k); if (!b) return b.error(); conn->encap = *b;
        } else if (k.name == "version") {
            if (k.value != "2" && k.value != "0") return c.error(k.line, k.name, "only IKEv2 (version = 2) is supported");
        } else if (k.name == "dpd_delay") {
            auto d = parse_swanctl_duration(k.value);
            if (!d) return c.error(k.line, k.name, d.error().detail);
            conn->dpd_delay = *d;
        } else if (k.name == "rekey_time" || k.name == "over_time" || k.name == "rand_time") {
            auto d = parse_swanctl_duration(k.value);
            if (!d) return c.error(k.line, k.name, d.error().detail);
            if (k.name == "rekey_time") conn->rekey_time = *d;
            else if (k.name == "over_time") conn->over_time = *d;
            else conn->rand_time = *d;
        } else if (k.name == "pools") {
            conn->pools = split_list(k.value);
        } else if (k.name == "vips") {
            conn->vips = split_list(k.value);
        } else if (k.name == "fragment_size") {  // Lanyard extension (charon: charon.fragment_size)
            if (k.value.empty() || k.value.size() > 5 || k.value.find_first_not_of("0123456789") != std::string::npos) {
                return c.error(k.line, k.name, "bad size");
            }
            conn->fragment_size = std::stoul(k.value);
            if (conn->fragment_size < 128) return c.error(k.line, k.name, "fragment_size below 128");
        } else if (kIgnoredConnectionKeys.count(k.name)) {
            c.ignored(k);
        } else {
            return c.unknown(k);
        }
    }
    std::vector<std::pair<std::string, const SettingsSection*>> locals, remotes;
    for (const auto& sub : s.sections) {
        if (sub.name == "local" || sub.name.rfind("local-", 0) == 0) locals.emplace_back(sub.name, &sub);
        else if (sub.name == "remote" || sub.name.rfind("remote-", 0) == 0) remotes.emplace_back(sub.name, &sub);
        else if (sub.name == "children") {
            for (const auto& ch : sub.sections) {
                ike::ChildConfig child;
                LANYARD_TRY(parse_child(c, ch, child));
                conn->children.push_back(std::move(child));
            }
            for (const auto& k : sub.keys) return c.unknown(k);
        } else {
            return c.unknown_section(sub);
        }
    }
    // Rounds in name order ("local" sorts before "local-1"? charon sorts by name).
    std::sort(locals.begin(), locals.end());
    std::sort(remotes.begin(), remotes.end());
    for (auto& [n, sec] : locals) {
        ike::AuthRoundConfig a;
        LANYARD_TRY(parse_auth(c, *sec, true, a));
        conn->local.push_back(std::move(a));
    }
    for (auto& [n, sec] : remotes) {
        ike::AuthRoundConfig a;
        LANYARD_TRY(parse_auth(c, *sec, false, a));
        conn->remote.push_back(std::move(a));
    }
    if (conn->local.empty()) conn->local.push_back({});
    if (conn->remote.empty()) conn->remote.push_back({});
    for (auto& r : conn->remote) if (r.id.data.empty() && r.id.type == ike::IdType::kFqdn) r.id.any = true;
    for (auto& l : conn->local) if (l.id.data.empty() && l.id.type == ike::IdType::kFqdn) l.id.any = true;
    c.connections.push_back(conn);
    c.out.store->add_connection(std::move(conn));
    return ok_status();
}

Result<SecretBytes> secret_value(const Ctx& c, const SettingsKey& k) {
    if (k.value.rfind("0x", 0) == 0) {
        auto h = from_hex(std::string_view(k.value).substr(2));
        if (!h) return c.error(k.line, k.name, "bad hex secret");
        return SecretBytes(*h);
    }
    if (k.value.rfind("0s", 0) == 0) return c.error(k.line, k.name, "base64 secrets (0s...) are not supported");
    return SecretBytes(as_bytes(k.value));
}

Status parse_secrets(Ctx& c, const SettingsSection& s) {
    for (const auto& sub : s.sections) {
        const bool ike = sub.name.rfind("ike", 0) == 0;
        const bool eap = sub.name.rfind("eap", 0) == 0 || sub.name.rfind("xauth", 0) == 0;
        const bool keyfile = sub.name.rfind("private", 0) == 0 || sub.name.rfind("rsa", 0) == 0 ||
                             sub.name.rfind("ecdsa", 0) == 0 || sub.name.rfind("pkcs", 0) == 0;
        if (!ike && !eap && !keyfile) return c.unknown_section(sub);
        std::vector<ike::Identity> ids;
        SecretBytes secret;
        bool have_secret = false;
        for (const auto& k : sub.keys) {
            if (k.name == "id" || k.name.rfind("id-", 0) == 0) {
                auto id = ike::parse_identity(k.value);
                if (!id) return c.error(k.line, k.name, id.error().detail);
                ids.push_back(*id);
            } else if (k.name == "secret") {
                auto v = secret_value(c, k);
                if (!v) return v.error();
                secret = std::move(*v);
                have_secret = true;
            } else if (keyfile && (k.name == "file" || k.name == "handle" || k.name == "slot" || k.name == "module")) {
                c.ignored(k);
            } else {
                return c.unknown(k);
            }
        }
        if (keyfile) continue;
        if (!have_secret) return c.error(sub.line, "", "secret section '" + sub.name + "' has no secret");
        if (ike) c.out.store->add_secret(ike::SharedSecret{ids, std::move(secret)});
        else c.out.eap_secrets.push_back(EapSecret{ids, std::move(secret)});
    }
    for (const auto& k : s.keys) return c.unknown(k);
    return ok_status();
}

Status parse_pools(Ctx& c, const SettingsSection& s) {
    for (const auto& sub : s.sections) {
        ike::AddressPool pool;
        bool have = false;
        std::vector<Bytes> dns;
        for (const auto& k : sub.keys) {
            if (k.name == "addrs") {
                auto p = ike::parse_pool_addrs(sub.name, k.value);
                if (!p) return c.error(k.line, k.name, p.error().detail);
                pool = *p;
                have = true;
            } else if (k.name == "dns") {
                for (const auto& a : split_list(k.value)) {
                    uint8_t b[4];
                    if (inet_pton(AF_INET, a.c_str(), b) != 1) return c.error(k.line, k.name, "only IPv4 DNS servers are supported: '" + a + "'");
                    dns.emplace_back(b, b + 4);
                }
            } else if (k.name == "nbns" || k.name == "split_include" || k.name == "split_exclude") {
                c.ignored(k);
            } else {
                return c.unknown(k);
            }
        }
        if (!have) return c.error(sub.line, "", "pool '" + sub.name + "' has no addrs");
        pool.dns = std::move(dns);
        c.out.store->add_pool(std::move(pool));
    }
    for (const auto& k : s.keys) return c.unknown(k);
    return ok_status();
}

}  // namespace

Result<Duration> parse_swanctl_duration(std::string_view text) {
    if (text.empty()) return make_error(ErrorCode::kConfig, "empty duration");
    int64_t mult = 1000;
    std::string_view num = text;
    switch (text.back()) {
        case 's': mult = 1000; num.remove_suffix(1); break;
        case 'm': mult = 60000; num.remove_suffix(1); break;
        case 'h': mult = 3600000; num.remove_suffix(1); break;
        case 'd': mult = 86400000; num.remove_suffix(1); break;
        default: break;
    }
    if (num.empty() || num.size() > 9 || num.find_first_not_of("0123456789") != std::string_view::npos) {
        return make_error(ErrorCode::kConfig, "bad duration '" + std::string(text) + "'");
    }
    return Duration(std::stoll(std::string(num)) * mult);
}

Result<SwanctlConfig> parse_swanctl_conf(std::string_view text, const std::string& file) {
    auto tree = parse_settings(text, file);
    if (!tree) return tree.error();
    SwanctlConfig out;
    const size_t slash = file.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : file.substr(0, slash);
    out.x509_dir = dir + "/x509";
    out.x509ca_dir = dir + "/x509ca";
    out.private_dir = dir + "/private";
    CredentialFiles creds;
    Ctx c{file, out, &creds, {}};
    // Trust anchors: every certificate in x509ca/.
    for (const auto& f : credential_files(out.x509ca_dir)) {
        auto cert = load_cert(c, f);
        if (!cert) {
            out.warnings.push_back(config::Warning{f, 0, "", cert.error().detail});
            continue;
        }
        out.store->add_ca(*cert);
    }
    for (const auto& k : tree->keys) return c.unknown(k);
    for (const auto& s : tree->sections) {
        if (s.name == "connections") {
            for (const auto& conn : s.sections) LANYARD_TRY(parse_connection(c, conn));
            for (const auto& k : s.keys) return c.unknown(k);
        } else if (s.name == "secrets") {
            LANYARD_TRY(parse_secrets(c, s));
        } else if (s.name == "pools") {
            LANYARD_TRY(parse_pools(c, s));
        } else if (s.name == "authorities") {
            out.warnings.push_back(config::Warning{file, s.line, "authorities", "accepted but not acted on"});
        } else {
            return c.unknown_section(s);
        }
    }
    LANYARD_TRY(attach_eap_backends(out.eap_secrets, EapBackendDirs{out.x509_dir, out.x509ca_dir, out.private_dir},
                                    c.connections));
    return out;
}

std::vector<std::string> credential_files(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec) && out.size() < 256) out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<SwanctlConfig> load_swanctl_conf(const std::string& path) {
    auto text = config::read_config_file(path);
    if (!text) return text.error();
    return parse_swanctl_conf(*text, path);
}

}  // namespace lanyard::gateway
