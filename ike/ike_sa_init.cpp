// IKE_SA_INIT, both roles (RFC 7296 §1.2): proposal and KE group choice
// with INVALID_KE_PAYLOAD (§1.2, §3.10.1), COOKIE retries (§2.6), NAT
// detection (§2.23), and the extension notifies: IKEV2_FRAGMENTATION_
// SUPPORTED (RFC 7383 §2.3), SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4),
// CHILDLESS_IKEV2_SUPPORTED (RFC 6023 §4), MULTIPLE_AUTH_SUPPORTED (RFC 4739).
#include <algorithm>

#include "common/log.h"
#include "ike/ike_sa.h"
#include "ike/nat_cookie.h"
#include "ike/proposal_select.h"

namespace lanyard::ike {
namespace {
constexpr const char* kLog = "ike";
constexpr size_t kNonceSize = 32;
constexpr int kMaxInitRetries = 3;

Payload notify(NotifyType type, Bytes data = {}) {
    return make_payload(NotifyPayload{ProtocolId::kNone, static_cast<uint16_t>(type), {}, std::move(data)});
}

std::optional<uint16_t> first_dh_group(const std::vector<Proposal>& proposals) {
    for (const auto& p : proposals)
        for (const auto& t : p.transforms)
            if (t.type == static_cast<uint8_t>(TransformType::kDh)) return t.id;
    return std::nullopt;
}

bool offers_group(const std::vector<Proposal>& proposals, uint16_t group) {
    for (const auto& p : proposals)
        for (const auto& t : p.transforms)
            if (t.type == static_cast<uint8_t>(TransformType::kDh) && t.id == group) return true;
    return false;
}

// Our proposals with the DH transforms reduced to `group` (proposals
// without it dropped): selecting against these prefers the peer's KE group.
std::vector<Proposal> only_group(const std::vector<Proposal>& proposals, uint16_t group) {
    std::vector<Proposal> out;
    for (const auto& p : proposals) {
        Proposal q = p;
        std::erase_if(q.transforms, [&](const Transform& t) {
            return t.type == static_cast<uint8_t>(TransformType::kDh) && t.id != group;
        });
        if (offers_group({q}, group)) out.push_back(std::move(q));
    }
    return out;
}

std::optional<uint16_t> chosen_group(const Proposal& p) {
    for (const auto& t : p.transforms)
        if (t.type == static_cast<uint8_t>(TransformType::kDh)) return t.id;
    return std::nullopt;
}

}  // namespace

std::vector<Payload> IkeSa::init_extension_notifies() const {
    std::vector<Payload> out;
    if (we_support_fragmentation()) out.push_back(notify(NotifyType::kIkev2FragmentationSupported));
    // RFC 7427 §4: SHA2-256, SHA2-384, SHA2-512.
    out.push_back(notify(NotifyType::kSignatureHashAlgorithms, Bytes{0, 2, 0, 3, 0, 4}));
    return out;
}

void IkeSa::read_peer_extensions(const Message& msg) {
    peer_supports_fragmentation_ = msg.find_notify(NotifyType::kIkev2FragmentationSupported) != nullptr;
    if (const NotifyPayload* h = msg.find_notify(NotifyType::kSignatureHashAlgorithms); h != nullptr) {
        for (size_t i = 0; i + 1 < h->data.size() && i < 32; i += 2) {
            peer_hash_algorithms_.push_back(static_cast<uint16_t>((h->data[i] << 8) | h->data[i + 1]));
        }
    }
    for (const auto& p : msg.payloads) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        if (n != nullptr && n->type == kNotifyChildlessSupported) peer_supports_childless_ = true;
    }
}

// §3.7: CERTREQ with the SHA-1 hashes of the trusted CAs' public keys.
std::optional<Payload> IkeSa::certreq_payload(const std::vector<std::shared_ptr<const crypto::Certificate>>& trust) const {
    if (trust.empty()) return std::nullopt;
    CertReqPayload r;
    r.encoding = 4;
    for (size_t i = 0; i < trust.size() && i < 32; ++i) {
        const Bytes h = trust[i]->spki_sha1();
        r.authorities.insert(r.authorities.end(), h.begin(), h.end());
    }
    return make_payload(std::move(r));
}

void IkeSa::check_nat(const Message& msg, uint64_t spi_r_for_hash) {
    // §2.23: the peer's SOURCE hash covers its address as it sent it; if it
    // differs from what we see, the peer is behind a NAT. Its DESTINATION
    // hash covers our address as it saw it.
    bool saw_source = false, source_match = false, dest_match = true;
    const Bytes expected_source = nat_detection_hash(spi_i_, spi_r_for_hash, path_.remote);
    const Bytes expected_dest = nat_detection_hash(spi_i_, spi_r_for_hash, path_.local);
    size_t count = 0;
    for (const auto& p : msg.payloads) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        if (n == nullptr || ++count > 64) continue;
        if (n->is(NotifyType::kNatDetectionSourceIp)) {
            saw_source = true;
            source_match = source_match || equal_bytes(n->data, expected_source);
        } else if (n->is(NotifyType::kNatDetectionDestinationIp)) {
            dest_match = equal_bytes(n->data, expected_dest);
        }
    }
    if (!saw_source) return;  // peer does not do NAT-T
    nat_there_ = !source_match;
    nat_here_ = !dest_match;
    if (config_ && config_->encap) nat_here_ = true;
    if (nat_there_ || nat_here_) {
        LOG_INFO(kLog, "IKE_SA #%u: NAT detected (%s%s)", unique_id_, nat_here_ ? "local " : "",
                 nat_there_ ? "remote" : "");
    }
}

Status IkeSa::derive_keys(ByteView g_ir) {
    auto keys = derive_ike_sa_keys_from_dh(suite_, ni_, nr_, g_ir, spi_i_, spi_r_);
    if (!keys) return keys.error();
    keys_ = std::move(*keys);
    auto out = SkCipher::for_sender(suite_, keys_, original_initiator_);
    if (!out) return out.error();
    auto in = SkCipher::for_sender(suite_, keys_, !original_initiator_);
    if (!in) return in.error();
    out_cipher_ = std::move(*out);
    in_cipher_ = std::move(*in);
    return ok_status();
}

// ---- initiator ----

void IkeSa::send_init_request() {
    if (!config_ || config_->ike_proposals.empty()) return fail("no IKE proposals configured");
    if (!dh_) {
        auto group = first_dh_group(config_->ike_proposals);
        if (!group || !crypto::is_supported_dh_group(*group)) return fail("no usable DH group in the IKE proposals");
        auto kp = crypto::DhKeyPair::generate(static_cast<crypto::DhGroup>(*group), env_.random);
        if (!kp) return fail("DH: " + kp.error().to_string());
        dh_ = std::move(*kp);
    }
    if (ni_.empty()) ni_ = env_.random.bytes(kNonceSize);
    std::vector<Payload> p;
    if (!cookie_.empty()) p.push_back(notify(NotifyType::kCookie, cookie_));  // §2.6: first
    p.push_back(make_payload(SaPayload{config_->ike_proposals}));
    p.push_back(make_payload(KePayload{static_cast<uint16_t>(dh_->group()), dh_->public_value()}));
    p.push_back(make_payload(NoncePayload{ni_}));
    Bytes source = nat_detection_hash(spi_i_, 0, path_.local);
    if (config_->encap) source = env_.random.bytes(20);  // like charon's encap=yes: claim a NAT
    p.push_back(notify(NotifyType::kNatDetectionSourceIp, std::move(source)));
    p.push_back(notify(NotifyType::kNatDetectionDestinationIp, nat_detection_hash(spi_i_, 0, path_.remote)));
    for (auto& n : init_extension_notifies()) p.push_back(std::move(n));
    IkeHeader h = make_header(ExchangeType::kIkeSaInit, 0, false);
    h.spi_r = 0;
    auto bytes = build_message(h, p);
    if (!bytes) return fail("cannot build IKE_SA_INIT: " + bytes.error().to_string());
    init_request_ = *bytes;
    Outstanding o;
    o.task = Task{RequestKind::kIkeSaInit, 0, {}};
    o.message_id = 0;
    o.exchange = ExchangeType::kIkeSaInit;
    o.packets = {std::move(*bytes)};
    o.deadline = env_.clock.now() + env_.retransmit.timeout;
    send_packets(o.packets);
    outstanding_ = std::move(o);
    state_ = IkeSaState::kInitSent;
    LOG_INFO(kLog, "initiating IKE_SA %s[%u] to %s", config_->name.c_str(), unique_id_,
             path_.remote.to_string().c_str());
}

void IkeSa::handle_init_response(ByteView raw, const Message& msg) {
    // Error notifies come without SA (§1.2, §2.6).
    if (const NotifyPayload* c = msg.find_notify(NotifyType::kCookie); c != nullptr && msg.find(PayloadType::kSa) == nullptr) {
        if (++init_retries_ > kMaxInitRetries) return fail("too many COOKIE/INVALID_KE retries");
        if (c->data.empty() || c->data.size() > 64) return drop("bad COOKIE length");
        cookie_ = c->data;
        LOG_DEBUG(kLog, "IKE_SA #%u: responder asks for a COOKIE, retrying", unique_id_);
        outstanding_.reset();
        return send_init_request();
    }
    if (const NotifyPayload* k = msg.find_notify(NotifyType::kInvalidKePayload); k != nullptr) {
        if (++init_retries_ > kMaxInitRetries) return fail("too many COOKIE/INVALID_KE retries");
        if (k->data.size() != 2) return drop("bad INVALID_KE_PAYLOAD data");
        const uint16_t group = static_cast<uint16_t>((k->data[0] << 8) | k->data[1]);
        if (!offers_group(config_->ike_proposals, group) || !crypto::is_supported_dh_group(group) ||
            (dh_ && static_cast<uint16_t>(dh_->group()) == group)) {
            return fail("peer asks for DH group " + std::to_string(group) + ", which we did not offer");
        }
        LOG_INFO(kLog, "IKE_SA #%u: peer wants DH group %u, retrying", unique_id_, group);
        auto kp = crypto::DhKeyPair::generate(static_cast<crypto::DhGroup>(group), env_.random);
        if (!kp) return fail("DH: " + kp.error().to_string());
        dh_ = std::move(*kp);
        outstanding_.reset();
        return send_init_request();
    }
    for (const auto& p : msg.payloads) {
        const NotifyPayload* n = p.get<NotifyPayload>();
        if (n != nullptr && is_error_notify(n->type)) {
            return fail("IKE_SA_INIT refused with notify " + std::to_string(n->type));
        }
    }
    const SaPayload* sa = msg.find_body<SaPayload>(PayloadType::kSa);
    const KePayload* ke = msg.find_body<KePayload>(PayloadType::kKe);
    const NoncePayload* nr = msg.find_body<NoncePayload>(PayloadType::kNonce);
    if (sa == nullptr || ke == nullptr || nr == nullptr) return drop("IKE_SA_INIT response without SA, KE or Nonce");
    if (msg.header.spi_r == 0) return drop("IKE_SA_INIT response with SPIr 0");
    if (sa->proposals.size() != 1 || !proposal_was_offered(config_->ike_proposals, sa->proposals[0])) {
        return fail("responder chose a proposal we did not offer");
    }
    auto suite = ike_suite_from_proposal(sa->proposals[0]);
    if (!suite) return fail("chosen proposal: " + suite.error().to_string());
    if (ke->dh_group != static_cast<uint16_t>(dh_->group()) || static_cast<uint16_t>(suite->dh) != ke->dh_group) {
        return fail("responder's KE group does not match");
    }
    auto g_ir = dh_->shared_secret(ke->key_data);
    if (!g_ir) return fail("responder's KE: " + g_ir.error().to_string());
    ike_proposal_ = sa->proposals[0];
    suite_ = *suite;
    spi_r_ = msg.header.spi_r;
    nr_ = nr->nonce;
    init_response_.assign(raw.begin(), raw.end());
    read_peer_extensions(msg);
    check_nat(msg, spi_r_);
    if (auto st = derive_keys(g_ir->view()); !st) return fail("key derivation: " + st.error().to_string());
    dh_.reset();
    outstanding_.reset();
    my_mid_ = 1;
    state_ = IkeSaState::kAuthenticating;
    LOG_DEBUG(kLog, "IKE_SA #%u: %s", unique_id_, proposal_to_string(ike_proposal_).c_str());
    // §2.23: behind a NAT, move to port 4500 with the non-ESP marker.
    if (nat_detected() && path_.remote.port() == 500) {
        auto remote = SocketAddress::parse(path_.remote.host_string(), 4500);
        auto local = SocketAddress::parse(path_.local.host_string(), env_.nat_t_port);
        if (remote && local) {
            path_.remote = *remote;
            path_.local = *local;
            path_.non_esp_marker = true;
        }
    }
    last_inbound_ = env_.clock.now();
    tasks_.push_front(Task{RequestKind::kIkeAuth, 0, {}});
}

// ---- responder ----

void IkeSa::send_init_error(const Message& request, uint16_t type, Bytes data) {
    IkeHeader h = request.header;
    h.flags = kFlagResponse;
    h.spi_r = 0;
    auto bytes = build_message(h, {make_payload(NotifyPayload{ProtocolId::kNone, type, {}, std::move(data)})});
    if (bytes) out_.push_back(OutgoingDatagram{path_, std::move(*bytes)});
}

void IkeSa::handle_init_request(ByteView raw, const Message& msg) {
    const IkeHeader& h = msg.header;
    if (h.message_id != 0 || h.spi_r != 0) {
        drop("IKE_SA_INIT request with Message ID or SPIr not 0");
        return close("bad IKE_SA_INIT");
    }
    spi_i_ = h.spi_i;
    const SaPayload* sa = msg.find_body<SaPayload>(PayloadType::kSa);
    const KePayload* ke = msg.find_body<KePayload>(PayloadType::kKe);
    const NoncePayload* ni = msg.find_body<NoncePayload>(PayloadType::kNonce);
    if (sa == nullptr || ke == nullptr || ni == nullptr) {
        send_init_error(msg, static_cast<uint16_t>(NotifyType::kInvalidSyntax), {});
        return close("IKE_SA_INIT without SA, KE or Nonce");
    }
    auto candidates = env_.configs.match_addresses(path_.local, path_.remote);
    std::optional<Proposal> chosen;
    bool ke_matches = false;
    for (const auto& cfg : candidates) {
        auto with_group = select_proposal(only_group(cfg->ike_proposals, ke->dh_group), sa->proposals);
        if (with_group) {
            chosen = *with_group;
            ke_matches = true;
            config_ = cfg;
            break;
        }
        auto any = select_proposal(cfg->ike_proposals, sa->proposals);
        if (any && !chosen) {
            chosen = *any;
            config_ = cfg;
        }
    }
    if (!chosen) {
        LOG_INFO(kLog, "IKE_SA_INIT from %s: no proposal chosen (%zu candidate connections)",
                 path_.remote.to_string().c_str(), candidates.size());
        send_init_error(msg, static_cast<uint16_t>(NotifyType::kNoProposalChosen), {});
        return close("NO_PROPOSAL_CHOSEN");
    }
    if (!ke_matches) {
        auto group = chosen_group(*chosen);
        if (!group) {
            send_init_error(msg, static_cast<uint16_t>(NotifyType::kNoProposalChosen), {});
            return close("chosen proposal without DH");
        }
        LOG_DEBUG(kLog, "IKE_SA_INIT from %s: KE group %u, asking for %u", path_.remote.to_string().c_str(),
                  ke->dh_group, *group);
        send_init_error(msg, static_cast<uint16_t>(NotifyType::kInvalidKePayload),
                        Bytes{static_cast<uint8_t>(*group >> 8), static_cast<uint8_t>(*group)});
        return close("INVALID_KE_PAYLOAD");
    }
    auto suite = ike_suite_from_proposal(*chosen);
    if (!suite) {
        send_init_error(msg, static_cast<uint16_t>(NotifyType::kNoProposalChosen), {});
        return close("chosen proposal unusable: " + suite.error().detail);
    }
    suite_ = *suite;
    auto kp = crypto::DhKeyPair::generate(suite_.dh, env_.random);
    if (!kp) return fail("DH: " + kp.error().to_string());
    auto g_ir = kp->shared_secret(ke->key_data);
    if (!g_ir) {
        send_init_error(msg, static_cast<uint16_t>(NotifyType::kInvalidSyntax), {});
        return close("bad KE data: " + g_ir.error().detail);
    }
    ike_proposal_ = *chosen;
    ni_ = ni->nonce;
    nr_ = env_.random.bytes(kNonceSize);
    init_request_.assign(raw.begin(), raw.end());
    read_peer_extensions(msg);
    check_nat(msg, 0);
    if (auto st = derive_keys(g_ir->view()); !st) return fail("key derivation: " + st.error().to_string());

    std::vector<Payload> p;
    Proposal reply = *chosen;
    reply.spi.clear();
    p.push_back(make_payload(SaPayload{{reply}}));
    p.push_back(make_payload(KePayload{static_cast<uint16_t>(kp->group()), kp->public_value()}));
    p.push_back(make_payload(NoncePayload{nr_}));
    p.push_back(notify(NotifyType::kNatDetectionSourceIp, nat_detection_hash(spi_i_, spi_r_, path_.local)));
    p.push_back(notify(NotifyType::kNatDetectionDestinationIp, nat_detection_hash(spi_i_, spi_r_, path_.remote)));
    for (auto& n : init_extension_notifies()) p.push_back(std::move(n));
    if (config_->send_certreq) {
        if (auto cr = certreq_payload(env_.configs.trusted_cas())) p.push_back(std::move(*cr));
    }
    p.push_back(make_payload(NotifyPayload{ProtocolId::kNone, kNotifyChildlessSupported, {}, {}}));
    p.push_back(notify(NotifyType::kMultipleAuthSupported));
    auto bytes = build_message(make_header(ExchangeType::kIkeSaInit, 0, true), p);
    if (!bytes) return fail("cannot build IKE_SA_INIT response: " + bytes.error().to_string());
    init_response_ = *bytes;
    out_.push_back(OutgoingDatagram{path_, std::move(*bytes)});
    peer_mid_ = 1;
    state_ = IkeSaState::kAuthenticating;
    LOG_INFO(kLog, "IKE_SA %s[%u]: IKE_SA_INIT from %s, %s", config_->name.c_str(), unique_id_,
             path_.remote.to_string().c_str(), proposal_to_string(ike_proposal_).c_str());
}

}  // namespace lanyard::ike
