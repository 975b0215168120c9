#include "drivers/xfrm/xfrm_installer.h"

#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <netlink/xfrm/lifetime.h>
#include <netlink/xfrm/sa.h>
#include <netlink/xfrm/selector.h>
#include <netlink/xfrm/sp.h>
#include <netlink/xfrm/template.h>

#include <map>
#include <string>
#include <vector>

#include "common/log.h"
#include "ike/transforms.h"

namespace lanyard::drivers {
namespace {

constexpr const char* kLog = "xfrm";

nl_addr* make_addr(ByteView a, int prefix = -1) {
    nl_addr* n = nl_addr_build(a.size() == 4 ? AF_INET : AF_INET6, a.data(), a.size());
    if (n != nullptr && prefix >= 0) nl_addr_set_prefixlen(n, prefix);
    return n;
}

// The largest prefix covering [start, end] exactly, or -1 (a range that is
// not one prefix; XFRM selectors are prefixes, so it cannot be installed).
int prefix_of(const Bytes& start, const Bytes& end) {
    const size_t bits = start.size() * 8;
    size_t len = 0;
    while (len < bits) {
        const uint8_t bit = static_cast<uint8_t>(0x80 >> (len % 8));
        if ((start[len / 8] & bit) != (end[len / 8] & bit)) break;
        ++len;
    }
    for (size_t i = len; i < bits; ++i) {
        const uint8_t bit = static_cast<uint8_t>(0x80 >> (i % 8));
        if ((start[i / 8] & bit) != 0 || (end[i / 8] & bit) == 0) return -1;
    }
    return static_cast<int>(len);
}

// Lifetimes the kernel enforces on SAs: all limits "infinite" (XFRM_INF, as
// `ip xfrm` sets them). Left at zero, the kernel would expire the SA at its
// first packet (hard_packet_limit 0). IKE rekeys by its own timers.
xfrmnl_ltime_cfg* make_infinite_lifetime() {
    xfrmnl_ltime_cfg* l = xfrmnl_ltime_cfg_alloc();
    if (l == nullptr) return nullptr;
    xfrmnl_ltime_cfg_set_soft_bytelimit(l, XFRM_INF);
    xfrmnl_ltime_cfg_set_hard_bytelimit(l, XFRM_INF);
    xfrmnl_ltime_cfg_set_soft_packetlimit(l, XFRM_INF);
    xfrmnl_ltime_cfg_set_hard_packetlimit(l, XFRM_INF);
    return l;
}

// One policy: its selector and direction (what XFRM_MSG_DELPOLICY needs).
struct PolicyKey {
    Bytes src;
    Bytes dst;
    int src_prefix = 0;
    int dst_prefix = 0;
    uint8_t proto = 0;
    int dir = 0;
    auto operator<=>(const PolicyKey&) const = default;
};

// What one install() put into the kernel, so remove() and the destructor
// can take exactly that out again.
struct Installed {
    Bytes in_dst;   // our address: inbound SA's destination
    Bytes out_dst;  // the peer's address
    uint32_t spi_in = 0;
    uint32_t spi_out = 0;
    bool in_added = false;
    bool out_added = false;
    std::vector<PolicyKey> policies;
};

class XfrmInstaller final : public ike::ChildSaInstaller {
public:
    XfrmInstaller(nl_sock* sock, RandomSource& random) : sock_(sock), random_(random) {}
    // Stopping the daemon takes its CHILD_SAs out of the kernel (as charon
    // does at shutdown): no ESP SA or policy outlives the IKE_SA state.
    ~XfrmInstaller() override {
        while (!installed_.empty()) uninstall(installed_.begin()->second, installed_.begin()->first);
        nl_socket_free(sock_);
    }

    Result<uint32_t> allocate_spi() override {
        // libnl has no XFRM_MSG_ALLOCSPI; a random SPI that clashes makes
        // the later add fail with EEXIST, which the IKE_SA reports.
        uint32_t spi = 0;
        while (spi < 256) spi = random_.u32();
        return spi;
    }

    Status install(const ike::ChildSa& c) override {
        const uint32_t reqid = c.unique_id ? c.unique_id : c.spi_in;
        // Inbound: peer -> us with spi_in; outbound: us -> peer with spi_out.
        // §2.17: encr_i/integ_i protect what the exchange initiator sends.
        const bool out_is_i = c.we_initiated_exchange;
        Installed rec;
        rec.in_dst = c.local_address;
        rec.out_dst = c.remote_address;
        rec.spi_in = c.spi_in;
        rec.spi_out = c.spi_out;
        Status st = add_sa(c, false, reqid, out_is_i ? c.keys.encr_r : c.keys.encr_i, out_is_i ? c.keys.integ_r : c.keys.integ_i);
        rec.in_added = st.ok();
        if (st) {
            st = add_sa(c, true, reqid, out_is_i ? c.keys.encr_i : c.keys.encr_r, out_is_i ? c.keys.integ_i : c.keys.integ_r);
            rec.out_added = st.ok();
        }
        for (size_t li = 0; st && li < c.ts_local.size(); ++li) {
            for (size_t ri = 0; st && ri < c.ts_remote.size(); ++ri) {
                for (int dir : {XFRM_POLICY_OUT, XFRM_POLICY_IN, XFRM_POLICY_FWD}) {
                    auto key = add_policy(c, c.ts_local[li], c.ts_remote[ri], dir, reqid);
                    if (!key) {
                        st = key.error();
                        break;
                    }
                    ++policy_refs_[*key];
                    rec.policies.push_back(std::move(*key));
                }
            }
        }
        if (!st) {
            uninstall(rec, 0);  // nothing half-installed stays behind
            return st;
        }
        installed_[c.spi_in] = std::move(rec);
        LOG_INFO(kLog, "installed CHILD_SA %08x_i %08x_o (reqid %u)", c.spi_in, c.spi_out, reqid);
        return ok_status();
    }

    void remove(const ike::ChildSa& c) override {
        auto it = installed_.find(c.spi_in);
        if (it == installed_.end()) {
            LOG_DEBUG(kLog, "remove: CHILD_SA %08x_i was not installed by us", c.spi_in);
            return;
        }
        uninstall(it->second, c.spi_in);
    }

    const char* name() const override { return "xfrm"; }

private:
    // Deletes the SAs of rec and drops its policy references; a policy goes
    // when no CHILD_SA uses it any more (a rekeyed CHILD_SA's successor
    // shares its selectors and keeps them). Erases rec from installed_ when
    // it is in there under key.
    void uninstall(const Installed& rec, uint32_t key) {
        if (rec.in_added) delete_sa(rec.in_dst, rec.spi_in);
        if (rec.out_added) delete_sa(rec.out_dst, rec.spi_out);
        for (const auto& p : rec.policies) {
            auto ref = policy_refs_.find(p);
            if (ref == policy_refs_.end()) continue;
            if (--ref->second == 0) {
                delete_policy(p);
                policy_refs_.erase(ref);
            }
        }
        LOG_INFO(kLog, "removed CHILD_SA %08x_i %08x_o", rec.spi_in, rec.spi_out);
        auto it = installed_.find(key);
        if (it != installed_.end() && &it->second == &rec) installed_.erase(it);
    }

    void delete_sa(const Bytes& daddr, uint32_t spi) {
        xfrmnl_sa* sa = xfrmnl_sa_alloc();
        nl_addr* dst = make_addr(daddr);
        xfrmnl_sa_set_daddr(sa, dst);
        xfrmnl_sa_set_spi(sa, spi);
        xfrmnl_sa_set_proto(sa, IPPROTO_ESP);
        const int rc = xfrmnl_sa_delete(sock_, sa, 0);
        if (rc < 0) LOG_WARN(kLog, "deleting SA %08x: %s", spi, nl_geterror(rc));
        nl_addr_put(dst);
        xfrmnl_sa_put(sa);
    }

    void delete_policy(const PolicyKey& p) {
        xfrmnl_sel* sel = make_selector(p);
        xfrmnl_sp* sp = xfrmnl_sp_alloc();
        xfrmnl_sp_set_sel(sp, sel);
        xfrmnl_sp_set_dir(sp, static_cast<unsigned>(p.dir));
        const int rc = xfrmnl_sp_delete(sock_, sp, 0);
        if (rc < 0) LOG_WARN(kLog, "deleting policy (dir %d): %s", p.dir, nl_geterror(rc));
        xfrmnl_sp_put(sp);
        xfrmnl_sel_put(sel);
    }

    static xfrmnl_sel* make_selector(const PolicyKey& p) {
        xfrmnl_sel* sel = xfrmnl_sel_alloc();
        nl_addr* s = make_addr(p.src, p.src_prefix);
        nl_addr* d = make_addr(p.dst, p.dst_prefix);
        xfrmnl_sel_set_saddr(sel, s);
        xfrmnl_sel_set_daddr(sel, d);
        xfrmnl_sel_set_prefixlen_s(sel, static_cast<unsigned>(p.src_prefix));
        xfrmnl_sel_set_prefixlen_d(sel, static_cast<unsigned>(p.dst_prefix));
        xfrmnl_sel_set_family(sel, p.src.size() == 4 ? AF_INET : AF_INET6);
        xfrmnl_sel_set_proto(sel, p.proto);
        nl_addr_put(s);
        nl_addr_put(d);
        return sel;
    }

    Status add_sa(const ike::ChildSa& c, bool out, uint32_t reqid, const SecretBytes& encr, const SecretBytes& integ) {
        xfrmnl_sa* sa = xfrmnl_sa_alloc();
        nl_addr* src = make_addr(out ? c.local_address : c.remote_address);
        nl_addr* dst = make_addr(out ? c.remote_address : c.local_address);
        xfrmnl_sa_set_saddr(sa, src);
        xfrmnl_sa_set_daddr(sa, dst);
        xfrmnl_sa_set_spi(sa, out ? c.spi_out : c.spi_in);
        xfrmnl_sa_set_proto(sa, IPPROTO_ESP);
        xfrmnl_sa_set_family(sa, c.local_address.size() == 4 ? AF_INET : AF_INET6);
        xfrmnl_sa_set_mode(sa, c.transport_mode ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL);
        xfrmnl_sa_set_reqid(sa, reqid);
        xfrmnl_sa_set_replay_window(sa, 32);
        xfrmnl_ltime_cfg* lft = make_infinite_lifetime();
        if (lft != nullptr) {
            xfrmnl_sa_set_lifetime_cfg(sa, lft);
            xfrmnl_ltime_cfg_put(lft);
        }
        uint16_t encr_id = 0;
        uint16_t integ_id = 0;
        for (const auto& t : c.proposal.transforms) {
            if (t.type == static_cast<uint8_t>(ike::TransformType::kEncr)) encr_id = t.id;
            if (t.type == static_cast<uint8_t>(ike::TransformType::kInteg)) integ_id = t.id;
        }
        Status st = ok_status();
        std::vector<char> ek(encr.view().begin(), encr.view().end());
        std::vector<char> ik(integ.view().begin(), integ.view().end());
        if (encr_id == static_cast<uint16_t>(ike::EncrId::kAesGcm16)) {
            // RFC 4106: key || 4-octet salt, 128-bit ICV.
            xfrmnl_sa_set_aead_params(sa, "rfc4106(gcm(aes))", static_cast<unsigned>(ek.size() * 8), 128, ek.data());
        } else if (encr_id == static_cast<uint16_t>(ike::EncrId::kAesCbc)) {
            xfrmnl_sa_set_crypto_params(sa, "cbc(aes)", static_cast<unsigned>(ek.size() * 8), ek.data());
            const char* alg = integ_id == static_cast<uint16_t>(ike::IntegId::kHmacSha256_128)   ? "hmac(sha256)"
                              : integ_id == static_cast<uint16_t>(ike::IntegId::kHmacSha384_192) ? "hmac(sha384)"
                              : integ_id == static_cast<uint16_t>(ike::IntegId::kHmacSha512_256) ? "hmac(sha512)"
                                                                                                : nullptr;
            const unsigned trunc = integ_id == static_cast<uint16_t>(ike::IntegId::kHmacSha256_128) ? 128
                                   : integ_id == static_cast<uint16_t>(ike::IntegId::kHmacSha384_192) ? 192
                                                                                                      : 256;
            if (alg == nullptr) st = make_error(ErrorCode::kUnsupported, "ESP integrity algorithm not supported by the XFRM installer");
            else xfrmnl_sa_set_auth_params(sa, alg, static_cast<unsigned>(ik.size() * 8), trunc, ik.data());
        } else {
            st = make_error(ErrorCode::kUnsupported, "ESP cipher not supported by the XFRM installer");
        }
        if (st && c.encap_local_port != 0) {
            // RFC 3948 UDP encapsulation.
            nl_addr* oa = make_addr(c.remote_address);
            xfrmnl_sa_set_encap_tmpl(sa, UDP_ENCAP_ESPINUDP, out ? c.encap_local_port : c.encap_remote_port,
                                     out ? c.encap_remote_port : c.encap_local_port, oa);
            nl_addr_put(oa);
        }
        if (st) {
            const int rc = xfrmnl_sa_add(sock_, sa, NLM_F_CREATE | NLM_F_EXCL);
            if (rc < 0) st = make_error(ErrorCode::kIo, std::string("adding SA: ") + nl_geterror(rc));
        }
        std::fill(ek.begin(), ek.end(), 0);
        std::fill(ik.begin(), ik.end(), 0);
        nl_addr_put(src);
        nl_addr_put(dst);
        xfrmnl_sa_put(sa);
        return st;
    }

    Result<PolicyKey> add_policy(const ike::ChildSa& c, const ike::TrafficSelector& l, const ike::TrafficSelector& r, int dir, uint32_t reqid) {
        const int lp = prefix_of(l.start_address, l.end_address);
        const int rp = prefix_of(r.start_address, r.end_address);
        if (lp < 0 || rp < 0) return make_error(ErrorCode::kUnsupported, "traffic selector is not a prefix; XFRM needs prefixes");
        const bool out = dir == XFRM_POLICY_OUT;
        PolicyKey key;
        key.src = out ? l.start_address : r.start_address;
        key.dst = out ? r.start_address : l.start_address;
        key.src_prefix = out ? lp : rp;
        key.dst_prefix = out ? rp : lp;
        key.proto = l.ip_protocol;
        key.dir = dir;
        xfrmnl_sel* sel = make_selector(key);
        xfrmnl_sp* sp = xfrmnl_sp_alloc();
        xfrmnl_sp_set_sel(sp, sel);
        xfrmnl_sp_set_dir(sp, static_cast<unsigned>(dir));
        xfrmnl_sp_set_action(sp, XFRM_POLICY_ALLOW);
        xfrmnl_sp_set_priority(sp, 2000);
        xfrmnl_ltime_cfg* lft = make_infinite_lifetime();
        if (lft != nullptr) {
            xfrmnl_sp_set_lifetime_cfg(sp, lft);
            xfrmnl_ltime_cfg_put(lft);
        }
        xfrmnl_user_tmpl* t = xfrmnl_user_tmpl_alloc();
        nl_addr* ts = make_addr(out ? c.local_address : c.remote_address);
        nl_addr* td = make_addr(out ? c.remote_address : c.local_address);
        xfrmnl_user_tmpl_set_saddr(t, ts);
        xfrmnl_user_tmpl_set_daddr(t, td);
        xfrmnl_user_tmpl_set_proto(t, IPPROTO_ESP);
        xfrmnl_user_tmpl_set_family(t, c.local_address.size() == 4 ? AF_INET : AF_INET6);
        xfrmnl_user_tmpl_set_reqid(t, reqid);
        xfrmnl_user_tmpl_set_mode(t, c.transport_mode ? XFRM_MODE_TRANSPORT : XFRM_MODE_TUNNEL);
        xfrmnl_user_tmpl_set_aalgos(t, ~0u);
        xfrmnl_user_tmpl_set_ealgos(t, ~0u);
        xfrmnl_user_tmpl_set_calgos(t, ~0u);
        xfrmnl_sp_add_usertemplate(sp, t);  // sp owns t now
        // XFRM_MSG_UPDPOLICY (create or replace): a rekeyed CHILD_SA installs
        // the same selectors again, and XFRM_MSG_NEWPOLICY is always
        // exclusive in the kernel (EEXIST whatever the flags).
        const int rc = xfrmnl_sp_update(sock_, sp, 0);
        nl_addr_put(ts);
        nl_addr_put(td);
        xfrmnl_sp_put(sp);
        xfrmnl_sel_put(sel);
        if (rc < 0) return make_error(ErrorCode::kIo, std::string("adding policy: ") + nl_geterror(rc));
        return key;
    }

    nl_sock* sock_;
    RandomSource& random_;
    std::map<uint32_t, Installed> installed_;  // by spi_in
    std::map<PolicyKey, unsigned> policy_refs_;
};

}  // namespace

Result<std::unique_ptr<ike::ChildSaInstaller>> make_xfrm_installer(RandomSource& random) {
    nl_sock* sock = nl_socket_alloc();
    if (sock == nullptr) return make_error(ErrorCode::kIo, "nl_socket_alloc failed");
    const int rc = nl_connect(sock, NETLINK_XFRM);
    if (rc < 0) {
        nl_socket_free(sock);
        return make_error(ErrorCode::kIo, std::string("NETLINK_XFRM: ") + nl_geterror(rc) + " (kernel without XFRM?)");
    }
    return std::unique_ptr<ike::ChildSaInstaller>(new XfrmInstaller(sock, random));
}

}  // namespace lanyard::drivers
