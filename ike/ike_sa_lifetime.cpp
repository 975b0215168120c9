// Rekeying and expiry on our own schedule, as charon does it: a CHILD_SA
// is rekeyed with CREATE_CHILD_SA (RFC 7296 §2.8) at its rekey time and
// deleted at its life time if no rekey made it; the IKE_SA is rekeyed
// (§2.18) at its rekey time and closed at rekey time + over time. Each
// rekey time is shortened by a random part of rand_time so that the two
// peers (and many SAs) do not all rekey at once (§2.8.1 collisions).
#include "common/log.h"
#include "ike/ike_sa.h"

namespace lanyard::ike {
namespace {
constexpr const char* kLog = "ike";

// charon: life_time defaults to rekey_time + 10 %, rand_time to the gap.
Duration child_life(const ChildConfig& c) {
    return c.life_time ? *c.life_time : c.rekey_time + c.rekey_time / 10;
}
}  // namespace

Duration IkeSa::jitter(Duration up_to) {
    if (up_to.count() <= 0) return Duration(0);
    return Duration(static_cast<int64_t>(env_.random.u32() % static_cast<uint64_t>(up_to.count() + 1)));
}

void IkeSa::schedule_child(ChildSa& child, const ChildConfig& config) {
    const TimePoint now = env_.clock.now();
    const Duration life = child_life(config);
    child.rekey_at.reset();
    child.expire_at.reset();
    if (life.count() > 0) child.expire_at = now + life;
    if (config.rekey_time.count() > 0) {
        const Duration spread = config.rand_time ? *config.rand_time : life - config.rekey_time;
        child.rekey_at = now + config.rekey_time - jitter(std::min(spread, config.rekey_time));
    }
}

void IkeSa::schedule_ike() {
    ike_rekey_at_.reset();
    ike_expire_at_.reset();
    if (!config_ || config_->rekey_time.count() <= 0) return;
    const TimePoint now = env_.clock.now();
    const Duration over = config_->over_time ? *config_->over_time : config_->rekey_time / 10;
    const Duration spread = config_->rand_time ? *config_->rand_time : over;
    ike_rekey_at_ = now + config_->rekey_time - jitter(std::min(spread, config_->rekey_time));
    ike_expire_at_ = now + config_->rekey_time + over;
}

void IkeSa::consider_lifetimes(const std::function<void(TimePoint)>& consider) const {
    for (const ChildSa& c : children_) {
        if (c.rekey_at) consider(*c.rekey_at);
        if (c.expire_at) consider(*c.expire_at);
    }
    if (ike_rekey_at_) consider(*ike_rekey_at_);
    if (ike_expire_at_) consider(*ike_expire_at_);
}

void IkeSa::run_lifetimes(TimePoint now) {
    if (ike_expire_at_ && now >= *ike_expire_at_) {
        LOG_INFO(kLog, "IKE_SA %s[%u] reached its life time without a rekey: deleting", config_->name.c_str(), unique_id_);
        ike_expire_at_.reset();
        ike_rekey_at_.reset();
        delete_ike();
        return;
    }
    // Decide first, then queue: queuing may start an exchange at once.
    std::vector<uint32_t> expired, due;
    for (ChildSa& c : children_) {
        if (c.expire_at && now >= *c.expire_at) {
            c.expire_at.reset();
            c.rekey_at.reset();
            expired.push_back(c.spi_in);
        } else if (c.rekey_at && now >= *c.rekey_at) {
            c.rekey_at.reset();  // once; the rekeyed SA gets its own schedule
            due.push_back(c.spi_in);
        }
    }
    for (uint32_t spi : expired) {
        LOG_INFO(kLog, "IKE_SA #%u: CHILD_SA %08x_i reached its life time: deleting", unique_id_, spi);
        if (auto st = delete_child(spi); !st) LOG_INFO(kLog, "IKE_SA #%u: %s", unique_id_, st.error().detail.c_str());
    }
    for (uint32_t spi : due) {
        LOG_INFO(kLog, "IKE_SA #%u: rekeying CHILD_SA %08x_i (rekey_time)", unique_id_, spi);
        if (auto st = rekey_child(spi); !st) LOG_INFO(kLog, "IKE_SA #%u: %s", unique_id_, st.error().detail.c_str());
    }
    if (ike_rekey_at_ && now >= *ike_rekey_at_) {
        ike_rekey_at_.reset();
        LOG_INFO(kLog, "IKE_SA %s[%u]: rekeying (rekey_time)", config_->name.c_str(), unique_id_);
        if (auto st = rekey_ike(); !st) LOG_INFO(kLog, "IKE_SA #%u: %s", unique_id_, st.error().detail.c_str());
    }
}

}  // namespace lanyard::ike
