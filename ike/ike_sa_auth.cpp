// IKE_AUTH, both roles (RFC 7296 §1.2, §2.15): identities, the
// authentication rounds through the pluggable authenticators (several
// messages for EAP, §2.16; several rounds, RFC 4739; EAP-only, RFC 5998),
// the configuration payload (§2.19, §3.15) and the first CHILD_SA, or none
// (RFC 6023 childless IKE_SA).
#include <algorithm>

#include "common/log.h"
#include "ike/ike_sa.h"

namespace lanyard::ike {
namespace {
constexpr const char* kLog = "ike";

Payload notify(NotifyType type, Bytes data = {}) {
    return make_payload(NotifyPayload{ProtocolId::kNone, static_cast<uint16_t>(type), {}, std::move(data)});
}

// Our identity for a round: the configured one; with none, the subject DN
// of our certificate (pubkey) or our IP address, as charon does.
Identity local_identity(const AuthRoundConfig& round, const SocketAddress& local);

Identity address_identity(const SocketAddress& a) {
    Identity id;
    const ByteView o = a.address_octets();
    id.type = o.size() == 4 ? IdType::kIpv4Addr : IdType::kIpv6Addr;
    id.data.assign(o.begin(), o.end());
    return id;
}

bool has_notify(const std::vector<Payload>& p, NotifyType type) {
    return std::any_of(p.begin(), p.end(), [type](const Payload& x) {
        const NotifyPayload* n = x.get<NotifyPayload>();
        return n != nullptr && n->is(type);
    });
}

bool has_payload(const std::vector<Payload>& p, PayloadType type) {
    return std::any_of(p.begin(), p.end(), [type](const Payload& x) { return x.payload_type() == type; });
}

// RFC 4739 §3.2: ANOTHER_AUTH_FOLLOWS beside our AUTH when a further
// local round is configured (never in a message without AUTH).
void mark_another_round(std::vector<Payload>& p, size_t round, size_t rounds) {
    const bool has_auth = std::any_of(p.begin(), p.end(), [](const Payload& x) { return x.payload_type() == PayloadType::kAuth; });
    if (has_auth && round + 1 < rounds) p.push_back(notify(NotifyType::kAnotherAuthFollows));
}

Identity local_identity(const AuthRoundConfig& round, const SocketAddress& local) {
    if (!round.id.any) return round.id;
    if (round.auth == AuthClass::kPubkey && !round.cert_chain.empty()) {
        Identity id;
        id.type = IdType::kDerAsn1Dn;
        id.data = round.cert_chain.front()->subject_der();
        return id;
    }
    return address_identity(local);
}

}  // namespace

AuthRoundContext IkeSa::auth_context(bool we_sign) const {
    AuthRoundContext ctx;
    ctx.me = my_id_;
    ctx.peer = peer_id_;
    ctx.configs = &env_.configs;
    ctx.octets.prf = suite_.prf;
    // The signer is the original initiator when (we sign) == (we are it).
    const bool signer_is_initiator = we_sign == original_initiator_;
    ctx.octets.sa_init_message = signer_is_initiator ? ByteView(init_request_) : ByteView(init_response_);
    ctx.octets.peer_nonce = signer_is_initiator ? ByteView(nr_) : ByteView(ni_);
    ctx.octets.sk_p = signer_is_initiator ? keys_.sk_pi.view() : keys_.sk_pr.view();
    ctx.octets.signer = we_sign ? my_id_ : peer_id_;
    ctx.peer_hash_algorithms = peer_hash_algorithms_;
    ctx.random = &env_.random;
    ctx.now = env_.clock.now();
    ctx.local = path_.local;
    ctx.remote = path_.remote;
    ctx.ike_sa_id = unique_id_;
    ctx.external_eap = &env_.external_eap;
    // The back-end belongs to this SA's round, so it cannot outlive `this`.
    ctx.wake = [this] {
        if (env_.auth_ready) env_.auth_ready(local_spi());
    };
    return ctx;
}

// ---- initiator ----

void IkeSa::send_auth_request() {
    if (config_->local.empty() || config_->remote.empty()) return fail("connection has no local/remote auth round");
    if (config_->local.size() > 1) {
        // RFC 4739 §3.1: more than one round only when the responder
        // announced MULTIPLE_AUTH_SUPPORTED in its IKE_SA_INIT response.
        auto init = parse_message(init_response_);
        if (!init || init->find_notify(NotifyType::kMultipleAuthSupported) == nullptr) {
            return fail("connection " + config_->name + " has " + std::to_string(config_->local.size()) +
                        " authentication rounds, the responder did not announce MULTIPLE_AUTH_SUPPORTED (RFC 4739)");
        }
    }
    my_id_ = local_identity(config_->local[0], path_.local);
    // RFC 5998: remote auth = eap-* on the initiator means the responder
    // proves itself through the EAP method only (no AUTH of its own).
    const bool eap_only = config_->local[0].auth == AuthClass::kEap && config_->remote[0].auth == AuthClass::kEap;
    auto local = eap_only ? make_eap_local(config_->local[0], true) : make_local_authenticator(config_->local[0]);
    if (!local) return fail(local.error().to_string());
    if (eap_only) {
        remote_auth_ = make_eap_only_remote();
    } else {
        auto remote = make_remote_authenticator(config_->remote[0]);
        if (!remote) return fail(remote.error().to_string());
        remote_auth_ = std::move(*remote);
    }
    local_auth_ = std::move(*local);

    std::vector<Payload> p;
    p.push_back(make_id_payload(true, my_id_.to_payload()));
    if (send_initial_contact_) p.push_back(notify(NotifyType::kInitialContact));  // §2.4
    p.push_back(notify(NotifyType::kMultipleAuthSupported));  // RFC 4739 §3.1
    if (config_->local[0].auth == AuthClass::kEap) p.push_back(notify(NotifyType::kEapOnlyAuthentication));  // RFC 5998 §4
    if (config_->remote[0].auth == AuthClass::kPubkey && config_->send_certreq) {
        auto cr = certreq_payload(config_->remote[0].trust.empty() ? env_.configs.trusted_cas() : config_->remote[0].trust);
        if (cr) p.push_back(std::move(*cr));
    }
    if (!config_->remote[0].id.any) p.push_back(make_id_payload(false, config_->remote[0].id.to_payload()));
    std::vector<Payload> auth;
    auto st = local_auth_->build(auth_context(true), auth);
    if (!st) return fail("building AUTH: " + st.error().to_string());
    // EAP (§2.16) builds nothing here: IDi without AUTH asks for EAP.
    if (*st == AuthStatus::kFailed) return fail("local authentication refused to start");
    mark_another_round(auth, 0, config_->local.size());
    for (auto& a : auth) p.push_back(std::move(a));
    if (!config_->vips.empty()) {
        ConfigPayload cp;
        cp.cfg_type = CfgType::kRequest;
        cp.attributes.push_back(ConfigAttribute{static_cast<uint16_t>(CfgAttribute::kInternalIp4Address), {}});
        cp.attributes.push_back(ConfigAttribute{static_cast<uint16_t>(CfgAttribute::kInternalIp4Dns), {}});
        p.push_back(make_payload(std::move(cp)));
    }
    if (initial_child_) {
        const ChildConfig* child = config_->child(*initial_child_);
        if (child == nullptr) return fail("no child config '" + *initial_child_ + "'");
        auto offer = make_child_offer(*child);
        if (!offer) return fail("CHILD_SA offer: " + offer.error().to_string());
        auth_child_offer_ = std::move(*offer);
        auth_child_config_ = child;
        // §1.2: no DH in SAi2 of IKE_AUTH.
        std::vector<Proposal> props = auth_child_offer_.proposals;
        for (auto& pr : props) {
            std::erase_if(pr.transforms, [](const Transform& t) { return t.type == static_cast<uint8_t>(TransformType::kDh); });
        }
        auth_child_offer_.proposals = props;
        if (child->transport_mode) p.push_back(notify(NotifyType::kUseTransportMode));
        p.push_back(make_payload(SaPayload{props}));
        p.push_back(make_ts_payload(true, TsPayload{auth_child_offer_.tsi}));
        p.push_back(make_ts_payload(false, TsPayload{auth_child_offer_.tsr}));
    } else if (!peer_supports_childless_) {
        LOG_WARN(kLog, "IKE_SA #%u: peer did not announce RFC 6023 childless support; trying anyway", unique_id_);
    }
    Outstanding o;
    send_request(Task{RequestKind::kIkeAuth, 0, {}}, ExchangeType::kIkeAuth, p, std::move(o));
}

void IkeSa::handle_auth_response(const std::vector<Payload>& inner) {
    for (const auto& p : inner) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        if (n != nullptr && (n->is(NotifyType::kAuthenticationFailed) || n->is(NotifyType::kInvalidSyntax))) {
            peer_refused_auth_ = true;
            return fail("peer refused IKE_AUTH with notify " + std::to_string(n->type));
        }
    }
    if (awaiting_peer_round_) {
        // RFC 4739 §2: the responder's next round, asked for with an
        // empty request.
        awaiting_peer_round_ = false;
        if (!verify_peer_round(inner, remote_round_ + 1)) return;
        return finish_initiator_rounds(inner);
    }
    // The next message of our multi-message round (EAP, §2.16), or the
    // request it needs after the responder proved itself.
    auto continue_local = [&]() -> std::optional<bool> {
        auto lst = local_auth_->process(auth_context(false), inner);
        if (!lst || *lst == AuthStatus::kFailed) {
            fail(std::string("our ") + local_auth_->name() + " authentication failed: " +
                 (lst ? std::string("refused") : lst.error().detail));
            return std::nullopt;
        }
        if (*lst == AuthStatus::kSuccess) return true;
        std::vector<Payload> next;
        auto bst = local_auth_->build(auth_context(true), next);
        if (!bst) {
            fail(std::string("building the next ") + local_auth_->name() + " message: " + bst.error().detail);
            return std::nullopt;
        }
        mark_another_round(next, local_auth_->round_index, config_->local.size());
        send_request(Task{RequestKind::kIkeAuth, 0, {}}, ExchangeType::kIkeAuth, next, Outstanding{});
        return false;
    };
    if (local_auth_->in_conversation() || local_auth_->round_index > 0) {
        // A running multi-message round, or a later RFC 4739 round (the
        // responder proved itself in the first response).
        auto done = continue_local();
        if (!done || !*done) return;
        LOG_INFO(kLog, "IKE_SA #%u: %s authentication of '%s' (round %zu) done", unique_id_, local_auth_->name(),
                 my_id_.to_string().c_str(), local_auth_->round_index + 1);
    } else {
        const Payload* idr = nullptr;
        for (const auto& p : inner) if (p.payload_type() == PayloadType::kIdr) idr = &p;
        if (idr == nullptr || idr->get<IdPayload>() == nullptr) return fail("IKE_AUTH response without IDr");
        peer_id_ = Identity::from_payload(*idr->get<IdPayload>());
        if (match_identity(config_->remote[0].id, peer_id_) == 0) {
            return fail("responder identity '" + peer_id_.to_string() + "' does not match the configured one");
        }
        // The responder's identity and AUTH are checked before we answer
        // any EAP request (issue 8: the initiator checks the gateway first).
        auto st = remote_auth_->process(auth_context(false), inner);
        if (!st) return fail("authentication of '" + peer_id_.to_string() + "' failed: " + st.error().detail);
        if (*st != AuthStatus::kSuccess) return fail("multi-message remote authentication is not implemented yet");
        LOG_INFO(kLog, "authentication of '%s' with %s successful", peer_id_.to_string().c_str(), remote_auth_->name());
        peer_more_rounds_ = has_notify(inner, NotifyType::kAnotherAuthFollows);
        auto done = continue_local();
        if (!done || !*done) return;
    }
    // RFC 4739 §2: the next configured round, under its own identity (IDi').
    if (const size_t next_round = local_auth_->round_index + 1; next_round < config_->local.size()) {
        auto next = make_local_authenticator(config_->local[next_round]);
        if (!next) return fail("authentication round " + std::to_string(next_round + 1) + ": " + next.error().detail);
        local_auth_ = std::move(*next);
        local_auth_->round_index = next_round;
        my_id_ = local_identity(config_->local[next_round], path_.local);
        std::vector<Payload> p;
        p.push_back(make_id_payload(true, my_id_.to_payload()));
        std::vector<Payload> auth;
        auto st = local_auth_->build(auth_context(true), auth);
        if (!st || *st == AuthStatus::kFailed) {
            return fail("building round " + std::to_string(next_round + 1) + ": " + (st ? std::string("refused") : st.error().detail));
        }
        mark_another_round(auth, next_round, config_->local.size());
        for (auto& a : auth) p.push_back(std::move(a));
        LOG_INFO(kLog, "IKE_SA #%u: authentication round %zu of %zu as '%s' (RFC 4739)", unique_id_, next_round + 1,
                 config_->local.size(), my_id_.to_string().c_str());
        send_request(Task{RequestKind::kIkeAuth, 0, {}}, ExchangeType::kIkeAuth, p, Outstanding{});
        return;
    }
    finish_initiator_rounds(inner);
}

bool IkeSa::verify_peer_round(const std::vector<Payload>& inner, size_t round) {
    if (round >= config_->remote.size()) {
        fail("responder announced authentication round " + std::to_string(round + 1) + ", connection " + config_->name +
             " has " + std::to_string(config_->remote.size()) + " (RFC 4739)");
        return false;
    }
    const Payload* idr = nullptr;
    for (const auto& p : inner) if (p.payload_type() == PayloadType::kIdr) idr = &p;
    if (idr == nullptr || idr->get<IdPayload>() == nullptr || !has_payload(inner, PayloadType::kAuth)) {
        fail("responder round " + std::to_string(round + 1) + " without IDr' and AUTH (RFC 4739)");
        return false;
    }
    peer_id_ = Identity::from_payload(*idr->get<IdPayload>());  // §2: IDr' is the latest ID for this AUTH
    if (match_identity(config_->remote[round].id, peer_id_) == 0) {
        fail("responder identity '" + peer_id_.to_string() + "' of round " + std::to_string(round + 1) +
             " does not match the configured one");
        return false;
    }
    auto remote = make_remote_authenticator(config_->remote[round]);
    if (!remote) {
        fail("responder round " + std::to_string(round + 1) + ": " + remote.error().detail);
        return false;
    }
    auto st = (*remote)->process(auth_context(false), inner);
    if (!st || *st != AuthStatus::kSuccess) {
        fail("authentication of '" + peer_id_.to_string() + "' (responder round " + std::to_string(round + 1) +
             ") failed: " + (st ? std::string("not a single-message method") : st.error().detail));
        return false;
    }
    LOG_INFO(kLog, "authentication of '%s' with %s successful (responder round %zu, RFC 4739)", peer_id_.to_string().c_str(),
             (*remote)->name(), round + 1);
    remote_round_ = round;
    peer_more_rounds_ = has_notify(inner, NotifyType::kAnotherAuthFollows);
    return true;
}

void IkeSa::finish_initiator_rounds(const std::vector<Payload>& inner) {
    if (peer_more_rounds_) {
        // RFC 4739 §2: our rounds are done; an empty request lets the
        // responder send its next one.
        awaiting_peer_round_ = true;
        send_request(Task{RequestKind::kIkeAuth, 0, {}}, ExchangeType::kIkeAuth, {}, Outstanding{});
        return;
    }
    if (remote_round_ + 1 < config_->remote.size()) {
        return fail("connection " + config_->name + " requires " + std::to_string(config_->remote.size()) +
                    " responder authentication rounds, the responder completed " + std::to_string(remote_round_ + 1));
    }
    for (const auto& p : inner) {
        const ConfigPayload* cp = p.get<ConfigPayload>();
        if (cp == nullptr || cp->cfg_type != CfgType::kReply) continue;
        for (const auto& a : cp->attributes) {
            if (a.type == static_cast<uint16_t>(CfgAttribute::kInternalIp4Address) && a.value.size() == 4) vip_ = a.value;
        }
    }
    if (vip_) {
        LOG_INFO(kLog, "IKE_SA #%u: virtual IP %u.%u.%u.%u assigned by the peer", unique_id_, (*vip_)[0], (*vip_)[1],
                 (*vip_)[2], (*vip_)[3]);
    }
    become_established();
    if (auth_child_config_ != nullptr) {
        if (inner.end() == std::find_if(inner.begin(), inner.end(), [](const Payload& p) {
                return p.payload_type() == PayloadType::kSa;
            })) {
            std::string why = "no SA";
            for (const auto& p : inner)
                if (const NotifyPayload* n = p.get<NotifyPayload>(); n != nullptr && is_error_notify(n->type))
                    why = "notify " + std::to_string(n->type);
            LOG_INFO(kLog, "CHILD_SA %s not established: %s", auth_child_config_->name.c_str(), why.c_str());
            return;
        }
        auto c = complete_child(*auth_child_config_, auth_child_offer_.proposals, auth_child_offer_.spi, inner, ni_, nr_, nullptr);
        if (!c) LOG_INFO(kLog, "CHILD_SA %s failed: %s", auth_child_config_->name.c_str(), c.error().to_string().c_str());
    }
}

void IkeSa::become_established() {
    state_ = IkeSaState::kEstablished;
    // The rounds are over: their EAP and TLS state (tens of KB for
    // EAP-TLS) is not kept for the life of the IKE_SA.
    local_auth_.reset();
    remote_auth_.reset();
    pending_auth_.reset();
    responder_final_request_.reset();
    schedule_ike();
    LOG_INFO(kLog, "IKE_SA %s[%u] established between %s[%s]...%s[%s]", config_->name.c_str(), unique_id_,
             path_.local.host_string().c_str(), my_id_.to_string().c_str(), path_.remote.host_string().c_str(),
             peer_id_.to_string().c_str());
}

// ---- responder ----

void IkeSa::handle_config_request(const ConfigPayload& cp, std::vector<Payload>& out) {
    if (cp.cfg_type != CfgType::kRequest || config_->pools.empty()) return;
    bool wants_v4 = false;
    for (const auto& a : cp.attributes) wants_v4 = wants_v4 || a.type == static_cast<uint16_t>(CfgAttribute::kInternalIp4Address);
    if (!wants_v4) return;
    if (!vip_) {
        auto lease = env_.configs.acquire_lease(config_->pools, peer_id_);
        if (!lease) {
            LOG_INFO(kLog, "IKE_SA #%u: no virtual IP left in the pools", unique_id_);
            out.push_back(notify(NotifyType::kInternalAddressFailure));
            return;
        }
        vip_ = lease->address;
        vip_pools_ = config_->pools;
        LOG_INFO(kLog, "IKE_SA #%u: assigning virtual IP %u.%u.%u.%u to '%s'", unique_id_, (*vip_)[0], (*vip_)[1],
                 (*vip_)[2], (*vip_)[3], peer_id_.to_string().c_str());
        ConfigPayload reply;
        reply.cfg_type = CfgType::kReply;
        reply.attributes.push_back(ConfigAttribute{static_cast<uint16_t>(CfgAttribute::kInternalIp4Address), *vip_});
        for (const auto& d : lease->dns) {
            if (d.size() == 4) reply.attributes.push_back(ConfigAttribute{static_cast<uint16_t>(CfgAttribute::kInternalIp4Dns), d});
        }
        out.push_back(make_payload(std::move(reply)));
    }
}

void IkeSa::refuse_auth(const IkeHeader& header, NotifyType n, const std::string& why) {
    send_response(header, {notify(n)});
    fail(why);
}

void IkeSa::handle_auth_request(const IkeHeader& header, const std::vector<Payload>& inner) {
    auto refuse = [&](NotifyType n, const std::string& why) { refuse_auth(header, n, why); };
    if (responder_final_request_) return continue_responder_rounds(header, inner);
    // A multi-message round (EAP, RFC 7296 §2.16) already runs: this
    // request continues it.
    const bool first = remote_auth_ == nullptr;
    if (first) {
        const IdPayload* idi = nullptr;
        const IdPayload* idr = nullptr;
        for (const auto& p : inner) {
            if (p.payload_type() == PayloadType::kIdi) idi = p.get<IdPayload>();
            if (p.payload_type() == PayloadType::kIdr) idr = p.get<IdPayload>();
        }
        if (idi == nullptr) return refuse(NotifyType::kInvalidSyntax, "IKE_AUTH request without IDi");
        initial_contact_ = has_notify(inner, NotifyType::kInitialContact);
        peer_id_ = Identity::from_payload(*idi);
        std::optional<Identity> wanted;
        if (idr != nullptr) wanted = Identity::from_payload(*idr);
        auto cfg = env_.configs.match_identities(path_.local, path_.remote, peer_id_, wanted ? &*wanted : nullptr);
        if (!cfg) return refuse(NotifyType::kAuthenticationFailed, "no connection matches '" + peer_id_.to_string() + "'");
        config_ = cfg;
        if (config_->local.empty() || config_->remote.empty()) {
            return refuse(NotifyType::kAuthenticationFailed, "connection " + config_->name + " has no auth rounds");
        }
        my_id_ = local_identity(config_->local[0], path_.local);
        // RFC 5998: local auth = eap-* on the responder means EAP-only
        // authentication; the initiator must have offered it and the
        // round's methods must be mutual and key-generating.
        Result<std::unique_ptr<LocalAuthenticator>> local = make_error(ErrorCode::kInternal, "unset");
        if (config_->local[0].auth == AuthClass::kEap) {
            const bool offered = std::any_of(inner.begin(), inner.end(), [](const Payload& p) {
                const NotifyPayload* n = p.get<NotifyPayload>();
                return n != nullptr && n->is(NotifyType::kEapOnlyAuthentication);
            });
            if (!offered) {
                return refuse(NotifyType::kAuthenticationFailed, "connection " + config_->name +
                                                                     " uses EAP-only authentication, the initiator did not offer it (RFC 5998)");
            }
            if (!eap_only_allowed(config_->remote[0])) {
                return refuse(NotifyType::kAuthenticationFailed, "connection " + config_->name +
                                                                     ": EAP-only authentication needs EAP-TLS or PEAP (RFC 5998 §4)");
            }
            local = make_eap_only_local();
        } else {
            local = make_local_authenticator(config_->local[0]);
        }
        auto remote = make_remote_authenticator(config_->remote[0]);
        if (!local || !remote) {
            return refuse(NotifyType::kAuthenticationFailed,
                          "connection " + config_->name + ": " + (!local ? local.error().detail : remote.error().detail));
        }
        local_auth_ = std::move(*local);
        remote_auth_ = std::move(*remote);
    } else if (!remote_auth_->round_opened) {
        // RFC 4739 §2: a further round starts with the identity it proves (IDi').
        const IdPayload* idi = nullptr;
        for (const auto& p : inner) {
            if (p.payload_type() == PayloadType::kIdi) idi = p.get<IdPayload>();
        }
        const size_t n = remote_auth_->round_index;
        if (idi == nullptr) {
            return refuse(NotifyType::kInvalidSyntax, "authentication round " + std::to_string(n + 1) + " without IDi");
        }
        peer_id_ = Identity::from_payload(*idi);
        if (match_identity(config_->remote[n].id, peer_id_) == 0) {
            return refuse(NotifyType::kAuthenticationFailed, "identity '" + peer_id_.to_string() + "' of round " +
                                                                 std::to_string(n + 1) + " does not match the configured one");
        }
    }
    remote_auth_->round_opened = true;
    auto st = remote_auth_->process(auth_context(false), inner);
    if (st && *st == AuthStatus::kPending) {
        // An external back-end (RADIUS) answers later: the request stays
        // unanswered until resume_auth(); retransmissions are dropped.
        pending_auth_ = PendingAuth{header, inner, first};
        return;
    }
    answer_auth_request(header, inner, first, std::move(st));
}

void IkeSa::resume_auth() {
    if (!pending_auth_ || remote_auth_ == nullptr || state_ != IkeSaState::kAuthenticating) return;
    auto st = remote_auth_->resume(auth_context(false));
    if (st && *st == AuthStatus::kPending) return;  // woken without an answer
    PendingAuth p = std::exchange(pending_auth_, std::nullopt).value();
    answer_auth_request(p.header, p.inner, p.first, std::move(st));
}

void IkeSa::answer_auth_request(const IkeHeader& header, const std::vector<Payload>& inner, bool first,
                                Result<AuthStatus> st) {
    auto refuse = [&](NotifyType n, const std::string& why) { refuse_auth(header, n, why); };
    if (!st) return refuse(NotifyType::kAuthenticationFailed, "authentication of '" + peer_id_.to_string() + "' failed: " + st.error().detail);
    if (*st == AuthStatus::kPending) return refuse(NotifyType::kAuthenticationFailed, "authentication round waits twice");

    std::vector<Payload> out;
    if (*st == AuthStatus::kFailed) {
        // EAP-Failure goes back in the response (§2.16), then the SA ends.
        auto bst = remote_auth_->build(auth_context(true), out);
        (void)bst;
        if (out.empty()) out.push_back(notify(NotifyType::kAuthenticationFailed));
        send_response(header, out);
        return fail("authentication of '" + peer_id_.to_string() + "' with " + remote_auth_->name() + " failed");
    }
    if (first) {
        // RFC 4739 §3.1: our own further rounds only for an initiator that
        // announced MULTIPLE_AUTH_SUPPORTED.
        if (config_->local.size() > 1 && !has_notify(inner, NotifyType::kMultipleAuthSupported)) {
            return refuse(NotifyType::kAuthenticationFailed,
                          "connection " + config_->name + " has " + std::to_string(config_->local.size()) +
                              " local authentication rounds, the initiator did not announce MULTIPLE_AUTH_SUPPORTED (RFC 4739)");
        }
        // §2.16: the responder proves itself in its first response, before
        // the EAP conversation.
        out.push_back(make_id_payload(false, my_id_.to_payload()));
        std::vector<Payload> auth;
        auto lst = local_auth_->build(auth_context(true), auth);
        if (!lst) return refuse(NotifyType::kAuthenticationFailed, "building our AUTH: " + lst.error().detail);
        mark_another_round(auth, 0, config_->local.size());
        for (auto& a : auth) out.push_back(std::move(a));
    }
    if (*st == AuthStatus::kNeedMore) {
        if (first) remote_auth_->opening_request = inner;
        auto bst = remote_auth_->build(auth_context(true), out);
        if (!bst) return refuse(NotifyType::kAuthenticationFailed, "continuing " + std::string(remote_auth_->name()) + ": " + bst.error().detail);
        send_response(header, out);
        return;
    }
    LOG_INFO(kLog, "authentication of '%s' with %s successful", peer_id_.to_string().c_str(), remote_auth_->name());
    // A multi-message round adds its last payloads (EAP: our AUTH from the MSK).
    auto bst = remote_auth_->build(auth_context(true), out);
    if (!bst) return refuse(NotifyType::kAuthenticationFailed, "finishing " + std::string(remote_auth_->name()) + ": " + bst.error().detail);
    // RFC 4739 §3.2: ANOTHER_AUTH_FOLLOWS (only valid beside AUTH) asks
    // for the next configured round; IKE_AUTH succeeds only when every
    // configured round has.
    const size_t round = remote_auth_->round_index;
    const bool another = std::any_of(inner.begin(), inner.end(), [](const Payload& p) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        return n != nullptr && n->is(NotifyType::kAnotherAuthFollows);
    });
    const bool had_auth = std::any_of(inner.begin(), inner.end(), [](const Payload& p) {
        return p.payload_type() == PayloadType::kAuth;
    });
    if (another && !had_auth) return refuse(NotifyType::kInvalidSyntax, "ANOTHER_AUTH_FOLLOWS without AUTH");
    // §3.1: only after the initiator announced MULTIPLE_AUTH_SUPPORTED in
    // its first IKE_AUTH request.
    const std::vector<Payload>& opening = first ? inner : remote_auth_->opening_request;
    const bool announced = std::any_of(opening.begin(), opening.end(), [](const Payload& p) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        return n != nullptr && n->is(NotifyType::kMultipleAuthSupported);
    });
    if (another && !announced) {
        return refuse(NotifyType::kInvalidSyntax, "ANOTHER_AUTH_FOLLOWS without MULTIPLE_AUTH_SUPPORTED (RFC 4739 §3.1)");
    }
    if (another) {
        if (round + 1 >= config_->remote.size()) {
            return refuse(NotifyType::kAuthenticationFailed, "peer announced authentication round " + std::to_string(round + 2) +
                                                                 ", connection " + config_->name + " has " +
                                                                 std::to_string(config_->remote.size()));
        }
        auto next = make_remote_authenticator(config_->remote[round + 1]);
        if (!next) return refuse(NotifyType::kAuthenticationFailed, "round " + std::to_string(round + 2) + ": " + next.error().detail);
        (*next)->opening_request = first ? inner : std::move(remote_auth_->opening_request);
        (*next)->round_index = round + 1;
        remote_auth_ = std::move(*next);
        LOG_INFO(kLog, "IKE_SA #%u: authentication round %zu of %zu done, waiting for round %zu (RFC 4739)", unique_id_,
                 round + 1, config_->remote.size(), round + 2);
        send_response(header, out);
        return;
    }
    if (round + 1 < config_->remote.size()) {
        return refuse(NotifyType::kAuthenticationFailed, "connection " + config_->name + " requires " +
                                                             std::to_string(config_->remote.size()) + " authentication rounds, peer completed " +
                                                             std::to_string(round + 1));
    }
    // SA, TS and CP: from the first request, or from this one when the
    // initiator sent them with its last round.
    const bool sa_here = has_payload(inner, PayloadType::kSa);
    std::vector<Payload> request = first || sa_here ? inner : std::move(remote_auth_->opening_request);
    if (config_->local.size() > 1) {
        // RFC 4739 §2: the initiator is authenticated; each of our further
        // rounds answers an empty request, SA and TS come with the last.
        LOG_INFO(kLog, "IKE_SA #%u: peer authenticated, our round 2 of %zu follows (RFC 4739)", unique_id_, config_->local.size());
        responder_final_request_ = std::move(request);
        send_response(header, out);
        return;
    }
    establish_responder(header, request, out);
}

void IkeSa::continue_responder_rounds(const IkeHeader& header, const std::vector<Payload>& inner) {
    auto refuse = [&](NotifyType n, const std::string& why) { refuse_auth(header, n, why); };
    if (has_payload(inner, PayloadType::kIdi) || has_payload(inner, PayloadType::kAuth) || has_payload(inner, PayloadType::kEap)) {
        return refuse(NotifyType::kInvalidSyntax, "expected an empty IKE_AUTH request for our next round (RFC 4739 §2)");
    }
    const size_t round = ++local_round_;
    if (round >= config_->local.size()) return refuse(NotifyType::kInvalidSyntax, "no further authentication round");
    auto local = make_local_authenticator(config_->local[round]);
    if (!local) return refuse(NotifyType::kAuthenticationFailed, "our round " + std::to_string(round + 1) + ": " + local.error().detail);
    my_id_ = local_identity(config_->local[round], path_.local);  // IDr' signs this round's AUTH
    std::vector<Payload> out;
    out.push_back(make_id_payload(false, my_id_.to_payload()));
    std::vector<Payload> auth;
    auto st = (*local)->build(auth_context(true), auth);
    if (!st || *st != AuthStatus::kSuccess) {
        return refuse(NotifyType::kAuthenticationFailed, "our round " + std::to_string(round + 1) + ": " +
                                                             (st ? std::string("not a single-message method") : st.error().detail));
    }
    mark_another_round(auth, round, config_->local.size());
    for (auto& a : auth) out.push_back(std::move(a));
    LOG_INFO(kLog, "IKE_SA #%u: our authentication round %zu of %zu as '%s' (RFC 4739)", unique_id_, round + 1,
             config_->local.size(), my_id_.to_string().c_str());
    if (round + 1 < config_->local.size()) {
        send_response(header, out);
        return;
    }
    const std::vector<Payload> request = std::exchange(responder_final_request_, std::nullopt).value();
    establish_responder(header, request, out);
}

void IkeSa::establish_responder(const IkeHeader& header, const std::vector<Payload>& request, std::vector<Payload>& out) {
    for (const auto& p : request) {
        if (const ConfigPayload* cp = p.get<ConfigPayload>(); cp != nullptr) handle_config_request(*cp, out);
    }
    become_established();
    if (has_payload(request, PayloadType::kSa)) {
        respond_child(request, ni_, nr_, false, nullptr, out, std::nullopt, {});
    } else {
        LOG_INFO(kLog, "IKE_SA %s[%u] is childless (RFC 6023)", config_->name.c_str(), unique_id_);
    }
    send_response(header, out);
}

}  // namespace lanyard::ike
