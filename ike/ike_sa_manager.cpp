#include "ike/ike_sa_manager.h"

#include <algorithm>

#include "common/log.h"

namespace lanyard::ike {
namespace {
constexpr const char* kLog = "ike";
}

IkeSaManager::IkeSaManager(IkeSaEnv& env, ManagerOptions options)
    : env_(env), options_(options), cookies_(env.random) {}

IkeSaManager::~IkeSaManager() = default;

void IkeSaManager::drop(const std::string& reason) {
    ++stats_.dropped;
    if (stats_.drop_reasons.size() < 64 || stats_.drop_reasons.count(reason)) ++stats_.drop_reasons[reason];
    LOG_DEBUG(kLog, "dropped datagram: %s", reason.c_str());
}

void IkeSaManager::handle_datagram(ByteView data, const IkePath& path) {
    ++stats_.received;
    ChainDiagnostics diag;
    auto msg = parse_message(data, &diag);
    if (!msg) {
        // §2.5 would answer UNSUPPORTED_CRITICAL_PAYLOAD on an IKE_SA_INIT;
        // we drop (and count) instead, as charon does for unparsable input.
        return drop("unparsable: " + msg.error().detail.substr(0, 60));
    }
    const IkeHeader& h = msg->header;
    if (h.exchange == ExchangeType::kIkeSaInit && !h.response()) {
        if (!h.initiator()) return drop("IKE_SA_INIT request without Initiator flag");
        return handle_init_request(data, *msg, path);
    }
    // §2.1: our SPI: SPIr when the sender is the original initiator.
    const uint64_t spi = h.initiator() ? h.spi_r : h.spi_i;
    auto it = sas_.find(spi);
    if (it == sas_.end()) return drop("no IKE_SA for SPI");
    it->second->handle(data, *msg, path);
    after(spi);
}

void IkeSaManager::handle_init_request(ByteView data, const Message& msg, const IkePath& path) {
    const IkeHeader& h = msg.header;
    if (h.spi_r != 0) return drop("IKE_SA_INIT request with SPIr set");
    auto key = std::make_pair(h.spi_i, path.remote);
    if (auto it = half_open_.find(key); it != half_open_.end()) {
        auto sa = sas_.find(it->second);
        if (sa != sas_.end()) {
            sa->second->handle(data, msg, path);  // retransmission
            after(it->second);
            return;
        }
        half_open_.erase(it);
    }
    if (half_open_.size() >= options_.max_half_open || sas_.size() >= options_.max_sas) return drop("too many IKE_SAs");
    const NoncePayload* ni = msg.find_body<NoncePayload>(PayloadType::kNonce);
    if (half_open_.size() >= options_.cookie_threshold && ni != nullptr) {
        // §2.6: a valid COOKIE must come first; otherwise ask for one.
        const NotifyPayload* c = msg.payloads.empty() ? nullptr : msg.payloads.front().get<NotifyPayload>();
        if (c == nullptr || !c->is(NotifyType::kCookie) || !cookies_.verify(c->data, ni->nonce, path.remote, h.spi_i)) {
            IkeHeader r = h;
            r.flags = kFlagResponse;
            auto bytes = build_message(r, {make_payload(NotifyPayload{ProtocolId::kNone, static_cast<uint16_t>(NotifyType::kCookie), {},
                                                                      cookies_.make(ni->nonce, path.remote, h.spi_i)})});
            if (bytes) out_.push_back(OutgoingDatagram{path, std::move(*bytes)});
            ++stats_.cookies_sent;
            return;
        }
    }
    uint64_t spi_r = 0;
    do {
        spi_r = 0;
        for (uint8_t b : env_.random.bytes(8)) spi_r = (spi_r << 8) | b;
    } while (spi_r == 0 || sas_.count(spi_r) != 0);
    auto sa = IkeSa::create_responder(env_, spi_r, path);
    IkeSa* raw = sa.get();
    sas_.emplace(spi_r, std::move(sa));
    half_open_[key] = spi_r;
    half_open_key_[spi_r] = key;
    raw->handle(data, msg, path);
    after(spi_r);
}

Result<uint32_t> IkeSaManager::initiate(std::shared_ptr<const PeerConfig> config, const IkePath& path,
                                        std::optional<std::string> child_name) {
    if (sas_.size() >= options_.max_sas) return make_error(ErrorCode::kLimit, "too many IKE_SAs");
    // §2.4: INITIAL_CONTACT only when we hold no other IKE_SA of this
    // connection (the peer would drop those).
    const bool first_contact = std::none_of(sas_.begin(), sas_.end(), [&](const auto& kv) {
        return kv.second->original_initiator() && kv.second->config() == config.get() &&
               kv.second->state() != IkeSaState::kClosed;
    });
    auto sa = IkeSa::create_initiator(env_, config, path, child_name);
    while (sas_.count(sa->spi_i()) != 0) sa = IkeSa::create_initiator(env_, config, path, child_name);
    sa->set_initial_contact(first_contact);
    const uint64_t spi = sa->spi_i();
    const uint32_t id = sa->unique_id();
    IkeSa* raw = sa.get();
    sas_.emplace(spi, std::move(sa));
    raw->start();
    after(spi);
    return id;
}

void IkeSaManager::schedule(uint64_t spi, IkeSa& sa) {
    if (auto it = timer_of_.find(spi); it != timer_of_.end()) {
        timers_.erase({it->second, spi});
        timer_of_.erase(it);
    }
    if (auto d = sa.next_deadline()) {
        timers_.insert({*d, spi});
        timer_of_[spi] = *d;
    }
}

void IkeSaManager::after(uint64_t spi) {
    auto it = sas_.find(spi);
    if (it == sas_.end()) return;
    IkeSa& sa = *it->second;
    for (auto& d : sa.take_output()) out_.push_back(std::move(d));
    if (sa.take_initial_contact()) drop_replaced(sa);
    if (auto succ = sa.take_successor()) {
        const uint64_t s = succ->local_spi();
        if (sas_.count(s) == 0) {
            IkeSa* raw = succ.get();
            sas_.emplace(s, std::move(succ));
            schedule(s, *raw);
        }
    }
    const bool half_open = sa.state() == IkeSaState::kCreated || sa.state() == IkeSaState::kAuthenticating;
    if (!half_open) {
        if (auto k = half_open_key_.find(spi); k != half_open_key_.end()) {
            half_open_.erase(k->second);
            half_open_key_.erase(k);
        }
    }
    if (sa.state() == IkeSaState::kClosed) {
        if (auto t = timer_of_.find(spi); t != timer_of_.end()) {
            timers_.erase({t->second, spi});
            timer_of_.erase(t);
        }
        sas_.erase(it);
        return;
    }
    schedule(spi, sa);
}

void IkeSaManager::drop_replaced(const IkeSa& newest) {
    std::vector<uint64_t> replaced;
    for (const auto& [spi, other] : sas_) {
        // Only the SAs the peer had before this one (concurrent new ones
        // from the same peer are not replaced).
        if (other.get() == &newest || other->original_initiator() || other->config() != newest.config() ||
            !(other->peer_id() == newest.peer_id()) || other->unique_id() > newest.unique_id()) {
            continue;
        }
        const IkeSaState s = other->state();
        if (s == IkeSaState::kEstablished || s == IkeSaState::kRekeyed || s == IkeSaState::kDeleting) replaced.push_back(spi);
    }
    for (uint64_t spi : replaced) {
        IkeSa& old = *sas_.at(spi);
        LOG_INFO(kLog, "IKE_SA #%u of '%s' replaced by #%u (INITIAL_CONTACT, RFC 7296 §2.4)", old.unique_id(),
                 old.peer_id().to_string().c_str(), newest.unique_id());
        old.abandon("replaced after INITIAL_CONTACT");
        after(spi);  // removes it
    }
}

void IkeSaManager::on_timer() {
    const TimePoint now = env_.clock.now();
    // Bounded per call; the rest fire on the next call.
    for (int i = 0; i < 1024 && !timers_.empty() && timers_.begin()->first <= now; ++i) {
        const uint64_t spi = timers_.begin()->second;
        timers_.erase(timers_.begin());
        timer_of_.erase(spi);
        auto it = sas_.find(spi);
        if (it == sas_.end()) continue;
        it->second->on_timer();
        after(spi);
    }
}

std::optional<TimePoint> IkeSaManager::next_deadline() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first;
}

IkeSa* IkeSaManager::find_by_unique_id(uint32_t id) {
    for (auto& [spi, sa] : sas_) if (sa->unique_id() == id) return sa.get();
    return nullptr;
}

void IkeSaManager::resume_auth(uint64_t spi) {
    auto it = sas_.find(spi);
    if (it == sas_.end()) return;
    it->second->resume_auth();
    after(spi);
}

std::vector<IkeSa*> IkeSaManager::all() {
    std::vector<IkeSa*> v;
    for (auto& [spi, sa] : sas_) v.push_back(sa.get());
    return v;
}

}  // namespace lanyard::ike
