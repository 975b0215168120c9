// The IKEv2 responder as EAP authenticator (RFC 7296 §2.16); see
// authenticator_eap.h for the message flow.
#include "ike/authenticator_eap.h"

#include <algorithm>

#include "common/log.h"
#include "methods/eap_config.h"
#include "methods/eap_packet.h"
#include "methods/eap_peer.h"

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
            case Phase::kWaitBackend: return make_error(ErrorCode::kInternal, "IKE_AUTH request while the EAP back-end works");
            case Phase::kAwaitAuth: return check_auth(ctx, in);
            case Phase::kDone: return AuthStatus::kSuccess;
            case Phase::kFailed: return AuthStatus::kFailed;
        }
        return make_error(ErrorCode::kInternal, "bad EAP round phase");
    }

    Result<AuthStatus> resume(const AuthRoundContext&) override {
        if (phase_ != Phase::kWaitBackend) return make_error(ErrorCode::kInternal, "EAP round is not waiting");
        auto delivered = backend_->take_delivered();
        if (!delivered) return AuthStatus::kPending;  // a spurious wake-up
        phase_ = Phase::kEap;
        return act(std::move(*delivered));
    }

    Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) override {
        if (!pending_eap_.empty()) out.push_back(make_payload(EapPayload{std::exchange(pending_eap_, {})}));
        switch (phase_) {
            case Phase::kStart:
            case Phase::kEap:
            case Phase::kAwaitAuth: return AuthStatus::kNeedMore;
            case Phase::kWaitBackend: return AuthStatus::kPending;
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
    enum class Phase { kStart, kEap, kWaitBackend, kAwaitAuth, kDone, kFailed };

    Result<AuthStatus> begin(const AuthRoundContext& ctx, const std::vector<Payload>& in) {
        if (find_auth(in) != nullptr) {
            // §2.16: an initiator that wants EAP leaves AUTH out.
            return make_error(ErrorCode::kAuthFailed, "peer sent AUTH, but this round is configured for EAP");
        }
        if (ctx.random == nullptr) return make_error(ErrorCode::kInternal, "EAP round without a random source");
        auto backend = make_backend(ctx);
        if (!backend) return backend.error();
        backend_ = std::move(*backend);
        phase_ = Phase::kEap;
        if (config_.eap_id) return act(backend_->start({}, ctx.now));  // EAP-Identity first
        const std::string identity = eap_identity_of(ctx.peer);
        LOG_INFO(kLog, "EAP round: '%s' from IDi is the EAP identity (%s)", identity.c_str(), backend_->name());
        return act(backend_->start(identity, ctx.now));
    }

    Result<std::unique_ptr<EapBackend>> make_backend(const AuthRoundContext& ctx) const {
        if (config_.eap_method != "radius") return make_local_eap_backend(config_, *ctx.random);
        if (ctx.external_eap == nullptr || !*ctx.external_eap) {
            return make_error(ErrorCode::kConfig, "auth = eap-radius, but no RADIUS server is configured");
        }
        return (*ctx.external_eap)(EapBackendPeer{ctx.peer, ctx.local, ctx.remote, ctx.ike_sa_id, ctx.wake});
    }

    Result<AuthStatus> continue_eap(const AuthRoundContext& ctx, const std::vector<Payload>& in) {
        if (find_auth(in) != nullptr) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, "AUTH before the EAP method finished");
        }
        const EapPayload* e = find_eap(in);
        if (e == nullptr) return make_error(ErrorCode::kProtocol, "IKE_AUTH request without EAP payload during EAP");
        if (auto st = check_eap_identity(e->message); !st) {
            phase_ = Phase::kFailed;
            return st.error();
        }
        return act(backend_->handle(e->message, ctx.now));
    }

    // eap_id (other than %any): the identity the peer gives in its
    // EAP-Response/Identity must match, whichever back-end runs the round.
    Status check_eap_identity(ByteView response) {
        if (!config_.eap_id || config_.eap_id->any || identity_checked_) return ok_status();
        auto parsed = eap::parse_packet(response);
        if (!parsed || !parsed->is_response() || !parsed->type_is(eap::Type::kIdentity)) return ok_status();
        identity_checked_ = true;
        const std::string given(parsed->type_data.begin(), parsed->type_data.end());
        auto got = parse_identity(given);
        if (!got || match_identity(*config_.eap_id, *got) == 0) {
            return make_error(ErrorCode::kAuthFailed, "EAP identity '" + given + "' does not match eap_id");
        }
        return ok_status();
    }

    Result<AuthStatus> act(EapStep step) {
        if (step.method != 0) method_ = static_cast<eap::Type>(step.method);
        switch (step.kind) {
            case EapStep::Kind::kRequest:
                pending_eap_ = std::move(step.packet);
                return AuthStatus::kNeedMore;
            case EapStep::Kind::kPending:
                phase_ = Phase::kWaitBackend;
                return AuthStatus::kPending;
            case EapStep::Kind::kSuccess: return method_succeeded(std::move(step));
            case EapStep::Kind::kFailure:
                pending_eap_ = std::move(step.packet);
                phase_ = Phase::kFailed;
                LOG_INFO(kLog, "EAP method %s failed for '%s': %s", method_name(method_).c_str(),
                         backend_->identity().c_str(), step.reason.c_str());
                return AuthStatus::kFailed;
            case EapStep::Kind::kError: break;
        }
        phase_ = Phase::kFailed;
        return make_error(ErrorCode::kAuthFailed, step.reason);
    }

    // The CVE-2021-45079 class, for every back-end: a key-generating
    // method must have produced its MSK.
    Result<AuthStatus> method_succeeded(EapStep step) {
        if (!step.msk.empty()) {
            msk_ = std::move(step.msk);
        } else if (method_ == eap::Type::kIdentity || eap_method_generates_keys(method_)) {
            phase_ = Phase::kFailed;
            return make_error(ErrorCode::kAuthFailed, method_ == eap::Type::kIdentity
                                                          ? std::string("EAP-Success without a method and without an MSK")
                                                          : method_name(method_) + " finished without an MSK");
        }
        LOG_INFO(kLog, "EAP method %s succeeded for '%s' (%s), %s", method_name(method_).c_str(),
                 backend_->identity().c_str(), backend_->name(), msk_.empty() ? "no MSK established" : "MSK established");
        pending_eap_ = std::move(step.packet);
        phase_ = Phase::kAwaitAuth;
        return AuthStatus::kNeedMore;
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
    std::unique_ptr<EapBackend> backend_;
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
    if (!config.eap_users && config.eap_method != "radius") {
        return make_error(ErrorCode::kConfig, "auth = eap-" + config.eap_method + " but no secrets eap-* were loaded");
    }
    return std::unique_ptr<RemoteAuthenticator>(new EapRemote(config));
}

}  // namespace lanyard::ike
