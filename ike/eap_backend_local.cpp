// The integrated EAP server as the back-end of an IKEv2 EAP round
// (ike/eap_backend.h): eap::EapAuthenticator over the round's user
// database (swanctl secrets eap-*) and TLS server context.
#include <memory>

#include "common/log.h"
#include "crypto/x509_chain.h"
#include "ike/authenticator.h"
#include "ike/eap_backend.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_config.h"
#include "methods/eap_tls_server.h"

namespace lanyard::ike {
namespace {

class LocalEapBackend final : public EapBackend {
public:
    LocalEapBackend(const AuthRoundConfig& config, RandomSource& random) {
        env_.users = config.eap_users.get();
        env_.random = &random;
        env_.tls = config.eap_tls.get();
        users_ = config.eap_users;  // keeps the database alive with the round
        tls_ = config.eap_tls;
        eap::AuthenticatorConfig ac;
        ac.retransmit = false;  // IKE retransmits (RFC 7296 §2.1); the EAP engine must not
        eap_ = std::make_unique<eap::EapAuthenticator>(env_, ac);
    }

    EapStep start(const std::string& identity, TimePoint now) override {
        if (identity.empty()) return step(eap_->start(now));  // EAP-Identity first
        return step(eap_->start_with_identity(identity, now));
    }

    EapStep handle(ByteView eap_response, TimePoint now) override { return step(eap_->handle(eap_response, now)); }
    std::string identity() const override { return eap_->identity(); }
    const char* name() const override { return "integrated EAP server"; }

private:
    EapStep step(eap::AuthAction a) {
        EapStep s;
        s.packet = std::move(a.packet);
        s.reason = std::move(a.reason);
        if (eap_->current_method()) s.method = static_cast<uint8_t>(*eap_->current_method());
        switch (a.kind) {
            case eap::AuthActionKind::kSend: s.kind = EapStep::Kind::kRequest; return s;
            case eap::AuthActionKind::kFailure: s.kind = EapStep::Kind::kFailure; return s;
            case eap::AuthActionKind::kTimeout:
                s.kind = EapStep::Kind::kError;
                s.reason = "EAP timed out";
                return s;
            case eap::AuthActionKind::kNone:
                s.kind = EapStep::Kind::kError;
                s.reason = "EAP message discarded: " + s.reason;
                return s;
            case eap::AuthActionKind::kSuccess: break;
        }
        // The CVE-2021-45079 class: EAP-Success counts only after a method
        // finished (the MSK check is the round's, authenticator_eap.cpp).
        const eap::ServerMethod* m = eap_->method();
        if (m == nullptr || !m->is_done() || !m->is_success() || !eap_->current_method()) {
            s.kind = EapStep::Kind::kError;
            s.reason = "EAP-Success without a finished method";
            return s;
        }
        if (auto bound = certificate_bound(*m); !bound) {
            s.kind = EapStep::Kind::kError;
            s.reason = bound.error().detail;
            return s;
        }
        s.kind = EapStep::Kind::kSuccess;
        if (a.keys_available) s.msk = std::move(a.keys.msk);
        return s;
    }

    // The CVE-2022-4967 class: an EAP-TLS client certificate proves only
    // the identity it names. It must confirm the EAP identity, the one the
    // user database was asked about (IDi unless eap_id asked for another).
    Status certificate_bound(const eap::ServerMethod& m) const {
        const auto* tls_method = dynamic_cast<const eap::EapTlsServer*>(&m);
        if (tls_method == nullptr) return ok_status();
        const auto certs = tls_method->peer_certificates();
        if (certs.empty()) return make_error(ErrorCode::kAuthFailed, "EAP-TLS succeeded without a client certificate");
        auto leaf = crypto::Certificate::from_der(certs.front().der);
        if (!leaf) return make_error(ErrorCode::kAuthFailed, "EAP-TLS client certificate: " + leaf.error().detail);
        auto eap_id = parse_identity(eap_->identity());
        if (eap_id && identity_matches_certificate(*eap_id, *leaf)) return ok_status();
        return make_error(ErrorCode::kAuthFailed, "EAP-TLS certificate '" + leaf->subject_text() +
                                                      "' does not confirm the identity '" + eap_->identity() + "'");
    }

    eap::ServerEnvironment env_;
    std::shared_ptr<const eap::UserDatabase> users_;
    std::shared_ptr<tls::Context> tls_;
    std::unique_ptr<eap::EapAuthenticator> eap_;
};

}  // namespace

Result<std::unique_ptr<EapBackend>> make_local_eap_backend(const AuthRoundConfig& config, RandomSource& random) {
    if (!config.eap_users) {
        return make_error(ErrorCode::kConfig, "EAP round without a user database (secrets eap-*)");
    }
    return std::unique_ptr<EapBackend>(new LocalEapBackend(config, random));
}

}  // namespace lanyard::ike
