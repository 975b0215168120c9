// CHILD_SA negotiation shared by IKE_AUTH and CREATE_CHILD_SA (RFC 7296
// §1.3, §2.9, §2.17), CHILD_SA rekeying (§1.3.3) and IKE_SA rekeying
// (§1.3.2, §2.18).
#include <algorithm>

#include "common/log.h"
#include "ike/ike_sa.h"
#include "ike/proposal_select.h"

namespace lanyard::ike {
namespace {
constexpr const char* kLog = "ike";
constexpr size_t kNonceSize = 32;

Payload notify(NotifyType type, Bytes data = {}) {
    return make_payload(NotifyPayload{ProtocolId::kNone, static_cast<uint16_t>(type), {}, std::move(data)});
}

Bytes u32_bytes(uint32_t v) {
    ByteWriter w;
    w.u32(v);
    return w.take();
}

uint32_t bytes_u32(ByteView b) {
    return b.size() == 4 ? (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3] : 0;
}

std::optional<uint16_t> dh_of(const Proposal& p) {
    for (const auto& t : p.transforms)
        if (t.type == static_cast<uint8_t>(TransformType::kDh)) return t.id;
    return std::nullopt;
}

std::vector<Proposal> without_dh(std::vector<Proposal> props) {
    for (auto& p : props) {
        std::erase_if(p.transforms, [](const Transform& t) { return t.type == static_cast<uint8_t>(TransformType::kDh); });
    }
    return props;
}

std::vector<Proposal> only_dh(const std::vector<Proposal>& props, uint16_t group) {
    std::vector<Proposal> out;
    for (const auto& p : props) {
        Proposal q = p;
        std::erase_if(q.transforms, [&](const Transform& t) {
            return t.type == static_cast<uint8_t>(TransformType::kDh) && t.id != group;
        });
        if (dh_of(q) == group) out.push_back(std::move(q));
    }
    return out;
}

template <typename T>
const T* find_inner(const std::vector<Payload>& in, PayloadType type) {
    for (const auto& p : in)
        if (p.payload_type() == type) return p.get<T>();
    return nullptr;
}

const NotifyPayload* find_inner_notify(const std::vector<Payload>& in, uint16_t type) {
    for (const auto& p : in)
        if (const NotifyPayload* n = p.get<NotifyPayload>(); n != nullptr && n->type == type) return n;
    return nullptr;
}

std::string ts_list(const std::vector<TrafficSelector>& v) {
    std::string s;
    for (const auto& t : v) s += (s.empty() ? "" : " ") + ts_to_string(t);
    return s;
}

}  // namespace

void IkeSa::fill_endpoints(ChildSa& child) const {
    child.local_address.assign(path_.local.address_octets().begin(), path_.local.address_octets().end());
    child.remote_address.assign(path_.remote.address_octets().begin(), path_.remote.address_octets().end());
    // RFC 7296 §2.23 / RFC 3948: ESP goes in UDP only when a NAT was
    // detected (or faked, "encap = yes"); charon floats IKE to port 4500
    // without a NAT and then expects plain ESP.
    if (nat_detected()) {
        child.encap_local_port = path_.local.port();
        child.encap_remote_port = path_.remote.port();
    }
}

Result<IkeSa::ChildOffer> IkeSa::make_child_offer(const ChildConfig& child) {
    ChildOffer o;
    auto spi = env_.installer.allocate_spi();
    if (!spi) return spi.error();
    o.spi = *spi;
    o.proposals = child.esp_proposals;
    for (auto& p : o.proposals) p.spi = u32_bytes(o.spi);
    Bytes local(path_.local.address_octets().begin(), path_.local.address_octets().end());
    if (vip_) local = *vip_;
    o.tsi = resolve_ts(child.local_ts, local);
    if (!vip_ && config_ && !config_->vips.empty()) {
        // Asking for a virtual IP: propose any address (charon does the same).
        TrafficSelector any = host_selector(Bytes{0, 0, 0, 0});
        any.end_address = Bytes{255, 255, 255, 255};
        o.tsi = {any};
    }
    Bytes remote(path_.remote.address_octets().begin(), path_.remote.address_octets().end());
    o.tsr = resolve_ts(child.remote_ts, remote);
    if (o.tsi.empty() || o.tsr.empty()) return make_error(ErrorCode::kConfig, "child " + child.name + ": empty traffic selectors");
    return o;
}

void IkeSa::respond_child(const std::vector<Payload>& request, ByteView ni, ByteView nr, bool allow_ke,
                          const ChildConfig* forced, std::vector<Payload>& out, std::optional<uint32_t> replaces,
                          ByteView nonce_to_send) {
    const SaPayload* sa = find_inner<SaPayload>(request, PayloadType::kSa);
    const TsPayload* tsi = find_inner<TsPayload>(request, PayloadType::kTsi);
    const TsPayload* tsr = find_inner<TsPayload>(request, PayloadType::kTsr);
    if (sa == nullptr || tsi == nullptr || tsr == nullptr) {
        out.push_back(notify(NotifyType::kInvalidSyntax));
        return;
    }
    const bool transport = find_inner_notify(request, static_cast<uint16_t>(NotifyType::kUseTransportMode)) != nullptr;
    // §2.9: the first child config whose selectors overlap the proposal.
    Bytes my_addr(path_.local.address_octets().begin(), path_.local.address_octets().end());
    Bytes peer_addr = vip_ ? *vip_ : Bytes(path_.remote.address_octets().begin(), path_.remote.address_octets().end());
    const ChildConfig* chosen = nullptr;
    std::vector<TrafficSelector> n_tsi, n_tsr;
    std::vector<const ChildConfig*> candidates;
    if (forced != nullptr) {
        candidates.push_back(forced);
    } else {
        for (const auto& c : config_->children) candidates.push_back(&c);
    }
    for (const ChildConfig* c : candidates) {
        auto a = narrow_ts(tsi->selectors, resolve_ts(c->remote_ts, peer_addr));
        auto b = narrow_ts(tsr->selectors, resolve_ts(c->local_ts, my_addr));
        if (!a.empty() && !b.empty()) {
            chosen = c;
            n_tsi = std::move(a);
            n_tsr = std::move(b);
            break;
        }
    }
    if (chosen == nullptr) {
        LOG_INFO(kLog, "IKE_SA #%u: traffic selectors %s === %s unacceptable", unique_id_,
                 ts_list(tsi->selectors).c_str(), ts_list(tsr->selectors).c_str());
        out.push_back(notify(NotifyType::kTsUnacceptable));
        return;
    }
    const KePayload* ke = allow_ke ? find_inner<KePayload>(request, PayloadType::kKe) : nullptr;
    Result<Proposal> sel = make_error(ErrorCode::kProtocol, "NO_PROPOSAL_CHOSEN");
    if (ke != nullptr) {
        sel = select_proposal(only_dh(chosen->esp_proposals, ke->dh_group), sa->proposals);
        if (!sel) {
            auto any = select_proposal(chosen->esp_proposals, sa->proposals);
            if (any && dh_of(*any)) {
                const uint16_t g = *dh_of(*any);
                out.push_back(notify(NotifyType::kInvalidKePayload, Bytes{uint8_t(g >> 8), uint8_t(g)}));
                return;
            }
        }
    } else {
        sel = select_proposal(without_dh(chosen->esp_proposals), without_dh(sa->proposals));
    }
    if (!sel || sel->protocol != ProtocolId::kEsp || sel->spi.size() != 4) {
        LOG_INFO(kLog, "IKE_SA #%u: no acceptable ESP proposal for CHILD_SA %s", unique_id_, chosen->name.c_str());
        out.push_back(notify(NotifyType::kNoProposalChosen));
        return;
    }
    auto alg = sk_algorithms_from_proposal(*sel);
    if (!alg) {
        out.push_back(notify(NotifyType::kNoProposalChosen));
        return;
    }
    std::optional<crypto::DhKeyPair> dh;
    SecretBytes g_ir;
    if (ke != nullptr && dh_of(*sel)) {
        auto kp = crypto::DhKeyPair::generate(static_cast<crypto::DhGroup>(ke->dh_group), env_.random);
        if (!kp) { out.push_back(notify(NotifyType::kNoProposalChosen)); return; }
        auto s = kp->shared_secret(ke->key_data);
        if (!s) { out.push_back(notify(NotifyType::kInvalidSyntax)); return; }
        g_ir = std::move(*s);
        dh = std::move(*kp);
    }
    auto spi = env_.installer.allocate_spi();
    if (!spi) {
        out.push_back(notify(NotifyType::kNoAdditionalSas));
        return;
    }
    auto keys = derive_child_sa_keys(suite_.prf, *alg, keys_.sk_d.view(), g_ir.view(), ni, nr);
    if (!keys) {
        out.push_back(notify(NotifyType::kNoProposalChosen));
        return;
    }
    ChildSa child;
    child.config_name = chosen->name;
    child.unique_id = next_child_id_++;
    child.spi_in = *spi;
    child.spi_out = bytes_u32(sel->spi);
    child.proposal = *sel;
    child.ts_local = n_tsr;
    child.ts_remote = n_tsi;
    child.keys = std::move(*keys);
    child.we_initiated_exchange = false;
    child.transport_mode = transport && chosen->transport_mode;
    fill_endpoints(child);
    if (auto st = env_.installer.install(child); !st) {
        LOG_INFO(kLog, "CHILD_SA %s: install failed: %s", chosen->name.c_str(), st.error().to_string().c_str());
        out.push_back(notify(NotifyType::kNoProposalChosen));
        return;
    }
    LOG_INFO(kLog, "CHILD_SA %s{%u} %s with SPIs %08x_i %08x_o and TS %s === %s (kernel: %s)", chosen->name.c_str(),
             child.unique_id, replaces ? "rekeyed" : "established", child.spi_in, child.spi_out,
             ts_list(child.ts_local).c_str(), ts_list(child.ts_remote).c_str(), env_.installer.name());
    Proposal reply = *sel;
    reply.spi = u32_bytes(child.spi_in);
    out.push_back(make_payload(SaPayload{{reply}}));
    if (!nonce_to_send.empty()) out.push_back(make_payload(NoncePayload{Bytes(nonce_to_send.begin(), nonce_to_send.end())}));
    if (dh) out.push_back(make_payload(KePayload{ke->dh_group, dh->public_value()}));
    out.push_back(make_ts_payload(true, TsPayload{n_tsi}));
    out.push_back(make_ts_payload(false, TsPayload{n_tsr}));
    if (child.transport_mode) out.push_back(notify(NotifyType::kUseTransportMode));
    schedule_child(child, *chosen);
    children_.push_back(std::move(child));
}

Status IkeSa::complete_child(const ChildConfig& config, const std::vector<Proposal>& offered, uint32_t our_spi,
                             const std::vector<Payload>& response, ByteView ni, ByteView nr,
                             const crypto::DhKeyPair* dh) {
    const SaPayload* sa = find_inner<SaPayload>(response, PayloadType::kSa);
    const TsPayload* tsi = find_inner<TsPayload>(response, PayloadType::kTsi);
    const TsPayload* tsr = find_inner<TsPayload>(response, PayloadType::kTsr);
    if (sa == nullptr || tsi == nullptr || tsr == nullptr) return make_error(ErrorCode::kProtocol, "response without SA/TSi/TSr");
    if (sa->proposals.size() != 1 || sa->proposals[0].spi.size() != 4) return make_error(ErrorCode::kProtocol, "bad ESP SA in response");
    std::vector<Proposal> check = offered;
    for (auto& p : check) p.spi = sa->proposals[0].spi;
    if (!proposal_was_offered(check, sa->proposals[0])) return make_error(ErrorCode::kProtocol, "responder chose an ESP proposal we did not offer");
    if (tsi->selectors.empty() || tsr->selectors.empty() || tsi->selectors.size() > 16 || tsr->selectors.size() > 16) {
        return make_error(ErrorCode::kProtocol, "bad traffic selectors in response");
    }
    auto alg = sk_algorithms_from_proposal(sa->proposals[0]);
    if (!alg) return alg.error();
    SecretBytes g_ir;
    if (dh != nullptr && dh_of(sa->proposals[0])) {
        const KePayload* ke = find_inner<KePayload>(response, PayloadType::kKe);
        if (ke == nullptr || ke->dh_group != static_cast<uint16_t>(dh->group())) return make_error(ErrorCode::kProtocol, "KEr missing or wrong group");
        auto s = dh->shared_secret(ke->key_data);
        if (!s) return s.error();
        g_ir = std::move(*s);
    }
    auto keys = derive_child_sa_keys(suite_.prf, *alg, keys_.sk_d.view(), g_ir.view(), ni, nr);
    if (!keys) return keys.error();
    ChildSa child;
    child.config_name = config.name;
    child.unique_id = next_child_id_++;
    child.spi_in = our_spi;
    child.spi_out = bytes_u32(sa->proposals[0].spi);
    child.proposal = sa->proposals[0];
    child.ts_local = tsi->selectors;
    child.ts_remote = tsr->selectors;
    child.keys = std::move(*keys);
    child.we_initiated_exchange = true;
    child.transport_mode = config.transport_mode &&
                           find_inner_notify(response, static_cast<uint16_t>(NotifyType::kUseTransportMode)) != nullptr;
    fill_endpoints(child);
    LANYARD_TRY(env_.installer.install(child));
    LOG_INFO(kLog, "CHILD_SA %s{%u} established with SPIs %08x_i %08x_o and TS %s === %s (kernel: %s)",
             config.name.c_str(), child.unique_id, child.spi_in, child.spi_out, ts_list(child.ts_local).c_str(),
             ts_list(child.ts_remote).c_str(), env_.installer.name());
    schedule_child(child, config);
    children_.push_back(std::move(child));
    return ok_status();
}

// ---- CREATE_CHILD_SA, initiator ----

void IkeSa::send_create_child(const Task& task) {
    Outstanding o;
    o.nonce = env_.random.bytes(kNonceSize);
    std::vector<Payload> p;
    if (task.kind == RequestKind::kRekeyIke) {
        do {
            o.new_ike_spi = 0;
            for (uint8_t b : env_.random.bytes(8)) o.new_ike_spi = (o.new_ike_spi << 8) | b;
        } while (o.new_ike_spi == 0);
        ByteWriter w;
        w.u64(o.new_ike_spi);
        o.offered = only_dh(config_->ike_proposals, static_cast<uint16_t>(suite_.dh));
        if (o.offered.empty()) o.offered = config_->ike_proposals;
        for (auto& pr : o.offered) pr.spi = w.view();
        auto kp = crypto::DhKeyPair::generate(suite_.dh, env_.random);
        if (!kp) return fail("DH: " + kp.error().to_string());
        p.push_back(make_payload(SaPayload{o.offered}));
        p.push_back(make_payload(NoncePayload{o.nonce}));
        p.push_back(make_payload(KePayload{static_cast<uint16_t>(kp->group()), kp->public_value()}));
        o.dh = std::move(*kp);
        send_request(task, ExchangeType::kCreateChildSa, p, std::move(o));
        return;
    }
    const ChildConfig* cfg = nullptr;
    std::vector<TrafficSelector> tsi, tsr;
    if (task.kind == RequestKind::kRekeyChild) {
        ChildSa* old = find_child_by_in(task.child_spi);
        if (old == nullptr) return;  // deleted meanwhile
        cfg = config_->child(old->config_name);
        if (cfg == nullptr) return;
        tsi = old->ts_local;
        tsr = old->ts_remote;
        // §1.3.3: the SPI we expect inbound on the SA being rekeyed.
        p.push_back(make_payload(NotifyPayload{ProtocolId::kEsp, static_cast<uint16_t>(NotifyType::kRekeySa),
                                               u32_bytes(old->spi_in), {}}));
    } else {
        cfg = config_->child(task.child_name);
        if (cfg == nullptr) return;
    }
    auto offer = make_child_offer(*cfg);
    if (!offer) {
        LOG_INFO(kLog, "CHILD_SA %s: %s", cfg->name.c_str(), offer.error().to_string().c_str());
        return;
    }
    if (!tsi.empty()) {
        offer->tsi = tsi;
        offer->tsr = tsr;
    }
    o.new_child_spi = offer->spi;
    o.offered = offer->proposals;
    o.child_config = cfg;
    if (cfg->transport_mode) p.push_back(notify(NotifyType::kUseTransportMode));
    p.push_back(make_payload(SaPayload{offer->proposals}));
    p.push_back(make_payload(NoncePayload{o.nonce}));
    if (!offer->proposals.empty()) {
        if (auto g = dh_of(offer->proposals[0]); g && crypto::is_supported_dh_group(*g)) {
            auto kp = crypto::DhKeyPair::generate(static_cast<crypto::DhGroup>(*g), env_.random);
            if (!kp) return fail("DH: " + kp.error().to_string());
            p.push_back(make_payload(KePayload{*g, kp->public_value()}));
            o.dh = std::move(*kp);
        }
    }
    p.push_back(make_ts_payload(true, TsPayload{offer->tsi}));
    p.push_back(make_ts_payload(false, TsPayload{offer->tsr}));
    send_request(task, ExchangeType::kCreateChildSa, p, std::move(o));
}

void IkeSa::handle_create_child_response(const std::vector<Payload>& inner) {
    Outstanding& o = *outstanding_;
    const NoncePayload* nr = find_inner<NoncePayload>(inner, PayloadType::kNonce);
    for (const auto& p : inner) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        if (n != nullptr && is_error_notify(n->type)) {
            LOG_INFO(kLog, "CREATE_CHILD_SA refused with notify %u", n->type);
            return;
        }
    }
    if (nr == nullptr || o.child_config == nullptr) {
        LOG_INFO(kLog, "IKE_SA #%u: CREATE_CHILD_SA response without Nonce", unique_id_);
        return;
    }
    auto st = complete_child(*o.child_config, o.offered, o.new_child_spi, inner, o.nonce, nr->nonce,
                             o.dh ? &*o.dh : nullptr);
    if (!st) {
        LOG_INFO(kLog, "CHILD_SA %s: %s", o.child_config->name.c_str(), st.error().to_string().c_str());
        return;
    }
    if (o.task.kind == RequestKind::kRekeyChild) {
        // §1.3.3: the initiator of the rekey deletes the old CHILD_SA.
        tasks_.push_back(Task{RequestKind::kDeleteChild, o.task.child_spi, {}});
    }
}

// ---- CREATE_CHILD_SA, responder ----

void IkeSa::handle_create_child_request(const IkeHeader& header, const std::vector<Payload>& inner) {
    const SaPayload* sa = find_inner<SaPayload>(inner, PayloadType::kSa);
    const NoncePayload* ni = find_inner<NoncePayload>(inner, PayloadType::kNonce);
    if (sa == nullptr || ni == nullptr || sa->proposals.empty()) {
        send_response(header, {notify(NotifyType::kInvalidSyntax)});
        return;
    }
    if (sa->proposals[0].protocol == ProtocolId::kIke) return handle_ike_rekey_request(header, inner);
    const ChildConfig* forced = nullptr;
    std::optional<uint32_t> replaces;
    if (const NotifyPayload* r = find_inner_notify(inner, static_cast<uint16_t>(NotifyType::kRekeySa)); r != nullptr) {
        ChildSa* old = r->spi.size() == 4 ? find_child_by_out(bytes_u32(r->spi)) : nullptr;
        if (old == nullptr) {
            send_response(header, {make_payload(NotifyPayload{ProtocolId::kEsp, static_cast<uint16_t>(NotifyType::kChildSaNotFound), r->spi, {}})});
            return;
        }
        forced = config_->child(old->config_name);
        replaces = old->spi_in;
        if (forced == nullptr) {
            send_response(header, {notify(NotifyType::kNoProposalChosen)});
            return;
        }
    }
    const Bytes nr = env_.random.bytes(kNonceSize);
    std::vector<Payload> out;
    respond_child(inner, ni->nonce, nr, true, forced, out, replaces, nr);
    send_response(header, out);
}

std::unique_ptr<IkeSa> IkeSa::make_successor(bool we_initiated, uint64_t new_spi_i, uint64_t new_spi_r,
                                             const IkeSuite& suite, const IkeSaKeys& keys) {
    std::unique_ptr<IkeSa> s(new IkeSa(env_, we_initiated));
    s->state_ = IkeSaState::kEstablished;
    s->spi_i_ = new_spi_i;
    s->spi_r_ = new_spi_r;
    s->path_ = path_;
    s->config_ = config_;
    s->schedule_ike();  // the new IKE_SA's own lifetime (§2.18)
    s->my_id_ = my_id_;
    s->peer_id_ = peer_id_;
    s->suite_ = suite;
    s->keys_ = keys;
    auto out = SkCipher::for_sender(suite, keys, we_initiated);
    auto in = SkCipher::for_sender(suite, keys, !we_initiated);
    if (!out || !in) return nullptr;
    s->out_cipher_ = std::move(*out);
    s->in_cipher_ = std::move(*in);
    s->peer_supports_fragmentation_ = peer_supports_fragmentation_;
    s->nat_here_ = nat_here_;
    s->nat_there_ = nat_there_;
    s->children_ = std::move(children_);
    children_.clear();
    // CHILD_SA exchanges queued behind this one (a rekey that came due, the
    // DELETE of a rekeyed pair) belong to the CHILD_SAs, which move: the
    // successor runs them (§2.18).
    for (auto it = tasks_.begin(); it != tasks_.end();) {
        const bool child_task = it->kind == RequestKind::kCreateChild || it->kind == RequestKind::kRekeyChild ||
                                it->kind == RequestKind::kDeleteChild;
        if (child_task) {
            s->tasks_.push_back(*it);
            it = tasks_.erase(it);
        } else {
            ++it;
        }
    }
    s->next_child_id_ = next_child_id_;
    s->vip_ = std::move(vip_);
    s->vip_pools_ = vip_pools_;
    vip_.reset();
    LOG_INFO(kLog, "IKE_SA %s[%u] rekeyed to %s[%u] (SPIs %016llx_i %016llx_r)", config_->name.c_str(), unique_id_,
             config_->name.c_str(), s->unique_id_, static_cast<unsigned long long>(new_spi_i),
             static_cast<unsigned long long>(new_spi_r));
    return s;
}

// §1.3.2, §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the
// old PRF; the rekey's initiator is the new IKE_SA's original initiator.
void IkeSa::handle_ike_rekey_request(const IkeHeader& header, const std::vector<Payload>& inner) {
    const SaPayload* sa = find_inner<SaPayload>(inner, PayloadType::kSa);
    const NoncePayload* ni = find_inner<NoncePayload>(inner, PayloadType::kNonce);
    const KePayload* ke = find_inner<KePayload>(inner, PayloadType::kKe);
    if (ke == nullptr) {
        send_response(header, {notify(NotifyType::kInvalidSyntax)});
        return;
    }
    auto sel = select_proposal(only_dh(config_->ike_proposals, ke->dh_group), sa->proposals);
    if (!sel) {
        auto any = select_proposal(config_->ike_proposals, sa->proposals);
        if (any && dh_of(*any)) {
            const uint16_t g = *dh_of(*any);
            send_response(header, {notify(NotifyType::kInvalidKePayload, Bytes{uint8_t(g >> 8), uint8_t(g)})});
        } else {
            send_response(header, {notify(NotifyType::kNoProposalChosen)});
        }
        return;
    }
    if (sel->spi.size() != 8) {
        send_response(header, {notify(NotifyType::kInvalidSyntax)});
        return;
    }
    auto suite = ike_suite_from_proposal(*sel);
    if (!suite) {
        send_response(header, {notify(NotifyType::kNoProposalChosen)});
        return;
    }
    auto kp = crypto::DhKeyPair::generate(suite->dh, env_.random);
    if (!kp) return fail("DH: " + kp.error().to_string());
    auto g_ir = kp->shared_secret(ke->key_data);
    if (!g_ir) {
        send_response(header, {notify(NotifyType::kInvalidSyntax)});
        return;
    }
    uint64_t new_spi_i = 0, new_spi_r = 0;
    for (uint8_t b : sel->spi) new_spi_i = (new_spi_i << 8) | b;
    do {
        new_spi_r = 0;
        for (uint8_t b : env_.random.bytes(8)) new_spi_r = (new_spi_r << 8) | b;
    } while (new_spi_r == 0);
    const Bytes nr = env_.random.bytes(kNonceSize);
    auto skeyseed = derive_rekey_skeyseed(suite_, keys_.sk_d.view(), g_ir->view(), ni->nonce, nr);
    if (!skeyseed) return fail("rekey SKEYSEED: " + skeyseed.error().to_string());
    auto keys = derive_ike_sa_keys(*suite, skeyseed->view(), ni->nonce, nr, new_spi_i, new_spi_r);
    if (!keys) return fail("rekey keys: " + keys.error().to_string());
    Proposal reply = *sel;
    ByteWriter w;
    w.u64(new_spi_r);
    reply.spi = w.take();
    send_response(header, {make_payload(SaPayload{{reply}}), make_payload(NoncePayload{nr}),
                           make_payload(KePayload{static_cast<uint16_t>(kp->group()), kp->public_value()})});
    successor_ = make_successor(false, new_spi_i, new_spi_r, *suite, *keys);
    if (successor_) state_ = IkeSaState::kRekeyed;
}

void IkeSa::handle_ike_rekey_response(const std::vector<Payload>& inner) {
    Outstanding& o = *outstanding_;
    const SaPayload* sa = find_inner<SaPayload>(inner, PayloadType::kSa);
    const NoncePayload* nr = find_inner<NoncePayload>(inner, PayloadType::kNonce);
    const KePayload* ke = find_inner<KePayload>(inner, PayloadType::kKe);
    if (sa == nullptr || nr == nullptr || ke == nullptr || !o.dh || sa->proposals.size() != 1 ||
        sa->proposals[0].spi.size() != 8) {
        LOG_INFO(kLog, "IKE_SA #%u: IKE_SA rekey refused or malformed response", unique_id_);
        return;
    }
    std::vector<Proposal> check = o.offered;
    for (auto& p : check) p.spi = sa->proposals[0].spi;
    if (!proposal_was_offered(check, sa->proposals[0])) return fail("rekey: responder chose a proposal we did not offer");
    auto suite = ike_suite_from_proposal(sa->proposals[0]);
    if (!suite || ke->dh_group != static_cast<uint16_t>(o.dh->group())) return fail("rekey: unusable proposal or KE");
    auto g_ir = o.dh->shared_secret(ke->key_data);
    if (!g_ir) return fail("rekey KE: " + g_ir.error().to_string());
    uint64_t new_spi_r = 0;
    for (uint8_t b : sa->proposals[0].spi) new_spi_r = (new_spi_r << 8) | b;
    auto skeyseed = derive_rekey_skeyseed(suite_, keys_.sk_d.view(), g_ir->view(), o.nonce, nr->nonce);
    if (!skeyseed) return fail("rekey SKEYSEED: " + skeyseed.error().to_string());
    auto keys = derive_ike_sa_keys(*suite, skeyseed->view(), o.nonce, nr->nonce, o.new_ike_spi, new_spi_r);
    if (!keys) return fail("rekey keys: " + keys.error().to_string());
    successor_ = make_successor(true, o.new_ike_spi, new_spi_r, *suite, *keys);
    if (!successor_) return;
    // §1.3.2: the old IKE_SA is deleted by the rekey's initiator.
    tasks_.clear();
    tasks_.push_back(Task{RequestKind::kDeleteIke, 0, {}});
}

}  // namespace lanyard::ike
