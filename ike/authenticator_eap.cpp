// The IKEv2 responder as EAP authenticator (RFC 7296 §2.16); see
// authenticator_eap.h for the message flow.
#include "ike/authenticator_eap.h"

#include <algorithm>

#include "common/log.h"
#include "methods/eap_authenticator.h"
#include "methods/eap_config.h"
#include "methods/eap_peer.h"
#include "methods/eap_tls_server.h"

namespace lanyard::ike {

std::string eap_identity_of(const Identity& id) {
    switch (id.type) {
        case IdType::kFqdn:
        case IdType::kRfc822Addr:
        case IdType::kKeyId: return std::string(id.data.begin(), id.data.end());
        case IdType::kIpv4Addr:
        case IdType::kIpv6Addr:
        case IdType::kDerAsn1Dn:
        case IdType::kDerAsn1Gn: return id.to_string();
    }
    return id.to_string();
}

bool eap_method_generates_keys(eap::Type type) {
    switch (type) {
        case eap::Type::kTls:
        case eap::Type::kTtls:
        case eap::Type::kPeap:
        case eap::Type::kMschapV2: return true;
        case eap::Type::kIdentity:
        case eap::Type::kNotification:
        case eap::Type::kNak:
        case eap::Type::kMd5Challenge:
        case eap::Type::kOtp:
        case eap::Type::kGtc:
        case eap::Type::kTlvExtensions:
        case eap::Type::kExpanded: return false;
    }
    return false;
}

Result<std::vector<eap::Type>> eap_methods_for(const std::string& name) {
    if (name.empty() || name == "dynamic") {
        return std::vector<eap::Type>{eap::Type::kMschapV2, eap::Type::kTls, eap::Type::kPeap, eap::Type::kMd5Challenge,
                                      eap::Type::kGtc};
    }
    eap::Type t{};
    if (!eap::type_from_name(name, &t) || t == eap::Type::kIdentity || t == eap::Type::kNak ||
        t == eap::Type::kNotification || !eap::MethodRegistry::builtin().has_server(t)) {
        return make_error(ErrorCode::kUnsupported, "EAP method '" + name + "' is not supported");
    }
    return std::vector<eap::Type>{t};
}

namespace {
constexpr const char* kLog = "ike";

const AuthPayload* find_auth(const std::vector<Payload>& in) {
    for (const auto& p : in) {
        if (const AuthPayload* a = p.get<AuthPayload>(); a != nullptr) return a;
    }
    return nullptr;
}

const EapPayload* find_eap(const std::vector<Payload>& in) {
    for (const auto& p : in) {
        if (const EapPayload* e = p.get<EapPayload>(); e != nullptr) return e;
    }
    return nullptr;
}

// §2.16: AUTH of the signer in ctx.octets with the MSK as the shared secret
// of §2.15, or SK_pi / SK_pr (ctx.octets.sk_p) when the method made none.
Result<Bytes> eap_auth_value(const AuthRoundContext& ctx, const SecretBytes& msk) {
    auto octets = auth_signed_octets(ctx.octets);
    if (!octets) return octets.error();
    return psk_auth_value(ctx.octets.prf, msk.empty() ? ctx.octets.sk_p : msk.view(), *octets);
}

// RFC 5998 §4: methods that authenticate the server and derive an MSK.
bool is_mutual(eap::Type t) { return t == eap::Type::kTls || t == eap::Type::kPeap; }

std::string method_name(eap::Type t) { return std::string("EAP-") + eap::type_name(static_cast<uint8_t>(t)); }

Status check_eap_auth(const AuthRoundContext& ctx, const std::vector<Payload>& in, const SecretBytes& msk,
                      eap::Type method) {
    const AuthPayload* auth = find_auth(in);
    if (auth == nullptr) return make_error(ErrorCode::kProtocol, "AUTH payload missing after EAP-Success");
    if (auth->method != AuthMethod::kSharedKeyMic) {
        return make_error(ErrorCode::kAuthFailed, "AUTH after EAP must be method 2 (shared key MIC)");
    }
    auto expected = eap_auth_value(ctx, msk);
    if (!expected) return expected.error();
    if (!constant_time_equal(*expected, auth->data)) {
        return make_error(ErrorCode::kAuthFailed, std::string("AUTH from the ") + (msk.empty() ? "SK_p" : "MSK") +
                                                      " of " + method_name(method) + " is wrong");
    }
    return ok_status();
}

class EapRemote final : public RemoteAuthenticator {
public:
    explicit EapRemote(const AuthRoundConfig& config) : config_(config) {}

    Result<AuthStatus> process(const AuthRoundContext& ctx, const std::vector<Payload>& in) override {
        if (++messages_ > kMaxEapMessagesPerRound) {
            return make_error(ErrorCode::kLimit, "more than " + std::to_string(kMaxEapMessagesPerRound) +
                                                     " IKE_AUTH messages in one EAP round");
        }
        switch (phase_) {
            case Phase::kStart: return begin(ctx, in);
            case Phase::kEap: return continue_eap(ctx, in);
            case Phase::kAwaitAuth: return check_auth(ctx, in);
            case Phase::kDone: return AuthStatus::kSuccess;
            case Phase::kFailed: return AuthStatus::kFailed;
        }
        return make_error(ErrorCode::kInternal, "bad EAP round phase");
    }

    Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) override {
        if (!pending_eap_.empty()) out.push_back(make_payload(EapPayload{std::exchange(pending_eap_, {})}));
        switch (phase_) {
            case Phase::kStart:
            case Phase::kEap:
            case Phase::kAwaitAuth: return AuthStatus::kNeedMore;
            case Phase::kFailed: return AuthStatus::kFailed;
            case Phase::kDone: break;
        }
        if (our_auth_sent_) return AuthStatus::kSuccess;
        // §2.16: the responder's AUTH over its own signed octets, with the
        // MSK (or SK_pr) as the shared secret.
        auto value = eap_auth_value(ctx, msk_);
        if (!value) return value.error();
        out.push_back(make_payload(AuthPayload{AuthMethod::kSharedKeyMic, std::move(*value)}));
        our_auth_sent_ = true;
        return AuthStatus::kSuccess;
    }

    const char* name() const override { return "EAP"; }

private:
    enum class Phase { kStart, kEap, kAwaitAuth, kDone, kFailed };

    Result<AuthStatus> begin(const AuthRoundContext& ctx, const std::vector<Payload>& in) {
        if (find_auth(in) != nullptr) {
            // §2.16: an initiator that wants EAP leaves AUTH out.
            return make_error(ErrorCode::kAuthFailed, "peer sent AUTH, but this round is configured for EAP");
        }
        if (!config_.eap_users || ctx.random == nullptr) {
            return make_error(ErrorCode::kConfig, "EAP round without a user database (secrets eap-*)");
        }
        env_.users = config_.eap_users.get();
        env_.random = ctx.random;
        env_.tls = config_.eap_tls.get();
        eap::AuthenticatorConfig ac;
        ac.retransmit = false;  // IKE retransmits (§2.1); the EAP engine must not
        eap_ = std::make_unique<eap::EapAuthenticator>(env_, ac);
        phase_ = Phase::kEap;
        if (config_.eap_id) {
            return act(eap_->start(ctx.now));  // EAP-Identity first
        }
        const std::string identity = eap_identity_of(ctx.peer);
        LOG_INFO(kLog, "EAP round: '%s' from IDi is the EAP identity", identity.c_str());
        return act(eap_->start_with_identity(identity, ctx.now));
    }

    Result<AuthStatus> continue_eap(const AuthRoundContext& ctx, const std::vector<Payload>& in) {
        if (find_auth(in) != nullptr) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, "AUTH before the EAP method finished");
        }
        const EapPayload* e = find_eap(in);
        if (e == nullptr) return make_error(ErrorCode::kProtocol, "IKE_AUTH request without EAP payload during EAP");
        return act(eap_->handle(e->message, ctx.now));
    }

    Result<AuthStatus> act(eap::AuthAction a) {
        switch (a.kind) {
            case eap::AuthActionKind::kSend:
                if (config_.eap_id && !config_.eap_id->any && eap_->state() == eap::AuthState::kMethod &&
                    !identity_checked_) {
                    identity_checked_ = true;
                    auto got = parse_identity(eap_->identity());
                    if (!got || match_identity(*config_.eap_id, *got) == 0) {
                        phase_ = Phase::kFailed;
                        return make_error(ErrorCode::kAuthFailed,
                                          "EAP identity '" + eap_->identity() + "' does not match eap_id");
                    }
                }
                pending_eap_ = std::move(a.packet);
                return AuthStatus::kNeedMore;
            case eap::AuthActionKind::kSuccess: return method_succeeded(std::move(a));
            case eap::AuthActionKind::kFailure:
                pending_eap_ = std::move(a.packet);
                phase_ = Phase::kFailed;
                LOG_INFO(kLog, "EAP method %s failed for '%s': %s",
                         eap_->current_method() ? eap::type_name(static_cast<uint8_t>(*eap_->current_method())) : "-",
                         eap_->identity().c_str(), a.reason.c_str());
                return AuthStatus::kFailed;
            case eap::AuthActionKind::kTimeout:
                phase_ = Phase::kFailed;
                return make_error(ErrorCode::kAuthFailed, "EAP timed out");
            case eap::AuthActionKind::kNone: break;
        }
        // A discarded EAP packet: the IKE request still needs an answer, and
        // no EAP request is pending; the peer is broken.
        phase_ = Phase::kFailed;
        return make_error(ErrorCode::kProtocol, "EAP message discarded: " + a.reason);
    }

    Result<AuthStatus> method_succeeded(eap::AuthAction a) {
        const eap::ServerMethod* m = eap_->method();
        if (m == nullptr || !m->is_done() || !m->is_success() || !eap_->current_method()) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, "EAP-Success without a finished method");
        }
        method_ = *eap_->current_method();
        if (auto bound = certificate_bound(*m); !bound) {
            phase_ = Phase::kFailed;
            return bound.error();
        }
        if (a.keys_available && !a.keys.msk.empty()) {
            msk_ = std::move(a.keys.msk);
        } else if (eap_method_generates_keys(method_)) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, method_name(method_) + " finished without an MSK");
        }
        LOG_INFO(kLog, "EAP method EAP-%s succeeded for '%s', %s", eap::type_name(static_cast<uint8_t>(method_)),
                 eap_->identity().c_str(), msk_.empty() ? "no MSK established" : "MSK established");
        pending_eap_ = std::move(a.packet);
        phase_ = Phase::kAwaitAuth;
        return AuthStatus::kNeedMore;
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

    Result<AuthStatus> check_auth(const AuthRoundContext& ctx, const std::vector<Payload>& in) {
        if (auto st = check_eap_auth(ctx, in, msk_, method_); !st) {
            phase_ = Phase::kFailed;
            return st.error();
        }
        phase_ = Phase::kDone;
        return AuthStatus::kSuccess;
    }

    AuthRoundConfig config_;
    eap::ServerEnvironment env_;
    std::unique_ptr<eap::EapAuthenticator> eap_;
    Phase phase_ = Phase::kStart;
    Bytes pending_eap_;
    SecretBytes msk_;
    eap::Type method_ = eap::Type::kIdentity;
    unsigned messages_ = 0;
    bool identity_checked_ = false;
    bool our_auth_sent_ = false;
};

// The initiator as EAP peer (§2.16): IDi without AUTH, then one EAP
// Response per IKE_AUTH request, then AUTH from the MSK; the responder's
// last AUTH is checked with the same key. The IKE_SA has verified the
// responder's certificate AUTH before the first EAP message reaches us.
class EapLocal final : public LocalAuthenticator {
public:
    EapLocal(const AuthRoundConfig& config, bool eap_only) : config_(config), eap_only_(eap_only) {}

    Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) override {
        switch (phase_) {
            case Phase::kStart: phase_ = Phase::kWaitFirst; return AuthStatus::kNeedMore;  // §2.16: no AUTH yet
            case Phase::kWaitFirst:
            case Phase::kEap:
                if (!pending_eap_.empty()) out.push_back(make_payload(EapPayload{std::exchange(pending_eap_, {})}));
                return AuthStatus::kNeedMore;
            case Phase::kSendAuth: {
                auto value = eap_auth_value(ctx, msk_);
                if (!value) return value.error();
                out.push_back(make_payload(AuthPayload{AuthMethod::kSharedKeyMic, std::move(*value)}));
                phase_ = Phase::kAwaitAuth;
                return AuthStatus::kNeedMore;
            }
            case Phase::kAwaitAuth: return AuthStatus::kNeedMore;
            case Phase::kDone: return AuthStatus::kSuccess;
            case Phase::kFailed: return AuthStatus::kFailed;
        }
        return make_error(ErrorCode::kInternal, "bad EAP round phase");
    }

    Result<AuthStatus> process(const AuthRoundContext& ctx, const std::vector<Payload>& in) override {
        if (++messages_ > kMaxEapMessagesPerRound) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kLimit, "more than " + std::to_string(kMaxEapMessagesPerRound) +
                                                     " IKE_AUTH messages in one EAP round");
        }
        switch (phase_) {
            case Phase::kStart:
            case Phase::kWaitFirst:
            case Phase::kEap: return on_eap(ctx, in);
            case Phase::kSendAuth:
                phase_ = Phase::kFailed;
                return make_error(ErrorCode::kInternal, "EAP round: response before our AUTH was sent");
            case Phase::kAwaitAuth:
                if (auto st = check_eap_auth(ctx, in, msk_, method_); !st) {
                    phase_ = Phase::kFailed;
                    return st.error();
                }
                phase_ = Phase::kDone;
                return AuthStatus::kSuccess;
            case Phase::kDone: return AuthStatus::kSuccess;
            case Phase::kFailed: return AuthStatus::kFailed;
        }
        return make_error(ErrorCode::kInternal, "bad EAP round phase");
    }

    bool in_conversation() const override { return phase_ != Phase::kStart && phase_ != Phase::kWaitFirst; }
    const char* name() const override { return "EAP"; }

private:
    enum class Phase { kStart, kWaitFirst, kEap, kSendAuth, kAwaitAuth, kDone, kFailed };

    Result<AuthStatus> on_eap(const AuthRoundContext& ctx, const std::vector<Payload>& in) {
        if (find_auth(in) != nullptr && phase_ == Phase::kEap) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, "AUTH before the EAP method finished");
        }
        const EapPayload* e = find_eap(in);
        if (e == nullptr) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kProtocol, "IKE_AUTH response without EAP payload during EAP");
        }
        if (!peer_) {
            if (!config_.eap_peer || ctx.random == nullptr) {
                phase_ = Phase::kFailed;
                return make_error(ErrorCode::kConfig, "EAP round without credentials (secrets eap-*)");
            }
            env_.credentials = config_.eap_peer.get();
            env_.random = ctx.random;
            env_.tls = config_.eap_tls.get();
            eap::PeerConfig pc;
            pc.use_idle_timer = false;  // IKE retransmits and times out (§2.1)
            peer_ = std::make_unique<eap::EapPeer>(env_, pc);
            peer_->start(ctx.now);
        }
        phase_ = Phase::kEap;
        eap::PeerAction a = peer_->handle(e->message, ctx.now);
        switch (a.kind) {
            case eap::PeerActionKind::kSend:
                pending_eap_ = std::move(a.packet);
                return AuthStatus::kNeedMore;
            case eap::PeerActionKind::kSuccess: return method_succeeded(std::move(a));
            case eap::PeerActionKind::kFailure:
                phase_ = Phase::kFailed;
                return make_error(ErrorCode::kAuthFailed, "EAP failed: " + a.reason);
            case eap::PeerActionKind::kNone: break;
        }
        phase_ = Phase::kFailed;
        return make_error(ErrorCode::kProtocol, "EAP message discarded: " + a.reason);
    }

    // The CVE-2021-45079 class: EAP-Success counts only after a method
    // finished, and a key-generating method must have produced its MSK.
    Result<AuthStatus> method_succeeded(eap::PeerAction a) {
        const auto ms = peer_->method_state();
        if (!peer_->selected_method() || peer_->method() == nullptr || !ms || *ms != eap::MethodState::kDone) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, "EAP-Success without a finished method");
        }
        method_ = *peer_->selected_method();
        if (eap_only_ && !is_mutual(method_)) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, "EAP-only authentication (RFC 5998) with " + method_name(method_) +
                                                          ", which does not authenticate the server");
        }
        if (a.keys_available && !a.keys.msk.empty()) {
            msk_ = std::move(a.keys.msk);
        } else if (eap_method_generates_keys(method_)) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, method_name(method_) + " succeeded without an MSK");
        }
        LOG_INFO(kLog, "EAP method %s succeeded, %s", method_name(method_).c_str(),
                 msk_.empty() ? "no MSK established" : "MSK established");
        phase_ = Phase::kSendAuth;
        return AuthStatus::kNeedMore;
    }

    AuthRoundConfig config_;
    bool eap_only_ = false;
    eap::PeerEnvironment env_;
    std::unique_ptr<eap::EapPeer> peer_;
    Phase phase_ = Phase::kStart;
    Bytes pending_eap_;
    SecretBytes msk_;
    eap::Type method_ = eap::Type::kIdentity;
    unsigned messages_ = 0;
};

}  // namespace

Result<std::unique_ptr<LocalAuthenticator>> make_eap_local(const AuthRoundConfig& config, bool eap_only) {
    if (!config.eap_peer) {
        return make_error(ErrorCode::kConfig, "auth = eap-" + config.eap_method + " but no EAP credentials were loaded");
    }
    return std::unique_ptr<LocalAuthenticator>(new EapLocal(config, eap_only));
}

namespace {

class EapOnlyLocal final : public LocalAuthenticator {
public:
    Result<AuthStatus> build(const AuthRoundContext&, std::vector<Payload>&) override { return AuthStatus::kSuccess; }
    Result<AuthStatus> process(const AuthRoundContext&, const std::vector<Payload>&) override { return AuthStatus::kSuccess; }
    const char* name() const override { return "EAP-only (RFC 5998)"; }
};

class EapOnlyRemote final : public RemoteAuthenticator {
public:
    Result<AuthStatus> process(const AuthRoundContext&, const std::vector<Payload>& in) override {
        // §4 of RFC 5998: no AUTH from the responder now; the EAP method
        // authenticates it and its MSK AUTH closes the round.
        if (find_auth(in) != nullptr) return make_error(ErrorCode::kProtocol, "AUTH in an EAP-only first response");
        return AuthStatus::kSuccess;
    }
    Result<AuthStatus> build(const AuthRoundContext&, std::vector<Payload>&) override { return AuthStatus::kSuccess; }
    const char* name() const override { return "EAP-only (RFC 5998), verified by the EAP method and its MSK"; }
};

}  // namespace

std::unique_ptr<LocalAuthenticator> make_eap_only_local() { return std::make_unique<EapOnlyLocal>(); }
std::unique_ptr<RemoteAuthenticator> make_eap_only_remote() { return std::make_unique<EapOnlyRemote>(); }

bool eap_only_allowed(const AuthRoundConfig& eap_round) {
    if (eap_round.auth != AuthClass::kEap) return false;
    auto methods = eap_methods_for(eap_round.eap_method);
    if (!methods || methods->empty()) return false;
    return std::all_of(methods->begin(), methods->end(), is_mutual);
}

Result<std::unique_ptr<RemoteAuthenticator>> make_eap_remote(const AuthRoundConfig& config) {
    if (!config.eap_users) {
        return make_error(ErrorCode::kConfig, "auth = eap-" + config.eap_method + " but no secrets eap-* were loaded");
    }
    return std::unique_ptr<RemoteAuthenticator>(new EapRemote(config));
}

}  // namespace lanyard::ike
