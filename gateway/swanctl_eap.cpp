#include "gateway/swanctl_eap.h"

#include <algorithm>

#include "ike/authenticator_eap.h"
#include "methods/eap_config.h"
#include "tls/tls_engine.h"

namespace lanyard::gateway {
namespace {

// The file in `dir` holding the certificate with this public key.
std::string cert_file_for(const std::string& dir, ByteView spki) {
    for (const auto& f : credential_files(dir)) {
        auto c = crypto::Certificate::load_file(f);
        if (c && c->spki_der() == Bytes(spki.begin(), spki.end())) return f;
    }
    return {};
}

std::string key_file_for(const std::string& dir, ByteView spki) {
    for (const auto& f : credential_files(dir)) {
        auto k = crypto::PrivateKey::load_file(f);
        if (!k) continue;
        auto pub = k->public_spki();
        if (pub && *pub == Bytes(spki.begin(), spki.end())) return f;
    }
    return {};
}

Result<std::shared_ptr<tls::Context>> tls_server_for(const ike::PeerConfig& conn, const EapBackendDirs& dirs) {
    const ike::AuthRoundConfig* mine = nullptr;
    for (const auto& l : conn.local) {
        if (!l.cert_chain.empty()) mine = &l;
    }
    if (mine == nullptr) {
        return make_error(ErrorCode::kConfig, "connection " + conn.name + ": EAP-TLS/PEAP need a local certificate");
    }
    const Bytes spki = mine->cert_chain.front()->spki_der();
    tls::Config tc;
    tc.role = tls::Role::kServer;
    tc.cert_file = cert_file_for(dirs.x509_dir, spki);
    tc.key_file = key_file_for(dirs.private_dir, spki);
    const auto cas = credential_files(dirs.x509ca_dir);
    if (!cas.empty()) {
        tc.ca_file = cas.front();
        tc.extra_ca_files.assign(cas.begin() + 1, cas.end());
    }
    tc.min_version = tls::Version::kTls12;
    tc.max_version = tls::Version::kTls12;  // charon 5.9's eap-tls default
    if (tc.cert_file.empty() || tc.key_file.empty() || tc.ca_file.empty()) {
        return make_error(ErrorCode::kConfig, "connection " + conn.name +
                                                  ": EAP-TLS/PEAP need the certificate in x509/, its key in private/ and a CA in x509ca/");
    }
    auto ctx = tls::make_context(tc);
    if (!ctx) return ctx.error();
    return std::shared_ptr<tls::Context>(std::move(*ctx));
}

// Initiator: the EAP credentials of a local round (lanyard-gateway as EAP
// peer). The EAP identity is eap_id, else the round's id; the secret the
// eap-* section naming it; TLS methods use the round's certificate and
// check the gateway's TLS certificate against x509ca/ and the remote id.
Status attach_eap_peer(const std::vector<EapSecret>& secrets, const EapBackendDirs& dirs, ike::PeerConfig& conn,
                       size_t index) {
    ike::AuthRoundConfig& round = conn.local[index];
    auto methods = ike::eap_methods_for(round.eap_method);
    if (!methods) return make_error(ErrorCode::kConfig, "connection " + conn.name + ": " + methods.error().detail);
    auto creds = std::make_shared<eap::PeerCredentials>();
    const ike::Identity& who = round.eap_id && !round.eap_id->any ? *round.eap_id : round.id;
    if (who.any) {
        return make_error(ErrorCode::kConfig, "connection " + conn.name + ": auth = eap-* needs id or eap_id");
    }
    creds->identity = ike::eap_identity_of(who);
    for (const auto& sct : secrets) {
        for (const auto& id : sct.ids) {
            if (creds->password.empty() && ike::eap_identity_of(id) == creds->identity) creds->password = sct.secret;
        }
    }
    creds->methods = *methods;
    creds->phase2 = "auth=MSCHAPV2";
    const bool wants_tls = std::any_of(methods->begin(), methods->end(), [](eap::Type t) {
        return t == eap::Type::kTls || t == eap::Type::kPeap;
    });
    if (wants_tls) {
        tls::Config tc;
        tc.role = tls::Role::kClient;
        const auto cas = credential_files(dirs.x509ca_dir);
        if (cas.empty()) return make_error(ErrorCode::kConfig, "connection " + conn.name + ": EAP-TLS/PEAP need a CA in x509ca/");
        tc.ca_file = cas.front();
        tc.extra_ca_files.assign(cas.begin() + 1, cas.end());
        if (!round.cert_chain.empty()) {
            const Bytes spki = round.cert_chain.front()->spki_der();
            tc.cert_file = cert_file_for(dirs.x509_dir, spki);
            tc.key_file = key_file_for(dirs.private_dir, spki);
        }
        for (const auto& r : conn.remote) {
            if (!r.id.any && r.id.type == ike::IdType::kFqdn) tc.domain_match = std::string(r.id.data.begin(), r.id.data.end());
        }
        tc.min_version = tls::Version::kTls12;
        tc.max_version = tls::Version::kTls12;
        creds->ca_cert = tc.ca_file;
        creds->client_cert = tc.cert_file;
        creds->private_key = tc.key_file;
        creds->domain_match = tc.domain_match;
        auto ctx = tls::make_context(tc);
        if (!ctx) return make_error(ErrorCode::kConfig, "connection " + conn.name + ": TLS: " + ctx.error().detail);
        round.eap_tls = std::shared_ptr<tls::Context>(std::move(*ctx));
    }
    round.eap_peer = std::move(creds);
    return ok_status();
}

}  // namespace

Status attach_eap_backends(const std::vector<EapSecret>& secrets, const EapBackendDirs& dirs,
                           const std::vector<std::shared_ptr<ike::PeerConfig>>& connections) {
    for (const auto& conn : connections) {
        for (size_t i = 0; i < conn->local.size(); ++i) {
            if (conn->local[i].auth == ike::AuthClass::kEap) LANYARD_TRY(attach_eap_peer(secrets, dirs, *conn, i));
        }
        for (auto& round : conn->remote) {
            // eap-radius: a RADIUS server holds the users (gateway.cpp).
            if (round.auth != ike::AuthClass::kEap || round.eap_method == "radius") continue;
            auto methods = ike::eap_methods_for(round.eap_method);
            if (!methods) return make_error(ErrorCode::kConfig, "connection " + conn->name + ": " + methods.error().detail);
            const bool wants_tls = std::any_of(methods->begin(), methods->end(), [](eap::Type t) {
                return t == eap::Type::kTls || t == eap::Type::kPeap;
            });
            if (wants_tls) {
                auto tls = tls_server_for(*conn, dirs);
                if (tls) {
                    round.eap_tls = *tls;
                } else if (methods->size() == 1) {
                    return tls.error();
                } else {  // eap-dynamic without a certificate: the other methods
                    std::erase_if(*methods, [](eap::Type t) { return t == eap::Type::kTls || t == eap::Type::kPeap; });
                }
            }
            auto db = std::make_shared<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{});
            for (const auto& s : secrets) {
                for (const auto& id : s.ids) {
                    eap::UserRecord r;
                    r.identity = ike::eap_identity_of(id);
                    r.methods = *methods;
                    r.password = s.secret;
                    db->add(r);
                    // PEAP's phase 2 (MSCHAPv2, GTC or MD5 inside the tunnel).
                    r.phase2 = true;
                    r.methods = {eap::Type::kMschapV2, eap::Type::kGtc, eap::Type::kMd5Challenge};
                    db->add(std::move(r));
                }
            }
            // EAP-TLS authenticates by certificate: an unknown identity may
            // still present one (hostapd's "*" TLS record).
            if (std::find(methods->begin(), methods->end(), eap::Type::kTls) != methods->end()) {
                eap::UserRecord any;
                any.wildcard = true;
                any.methods = {eap::Type::kTls};
                db->add(std::move(any));
            }
            round.eap_users = std::move(db);
        }
    }
    return ok_status();
}

}  // namespace lanyard::gateway
