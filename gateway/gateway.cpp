#include "gateway/gateway.h"

#include "gateway/eap_radius_conf.h"
#include "gateway/radius_eap_round.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "common/cmdline.h"
#include "common/log.h"

namespace lanyard::gateway {
namespace {
constexpr const char* kLog = "gateway";

long rss_kb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return 0;
}

Result<uint16_t> parse_port(const std::string& v) {
    if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) > 65535) {
        return make_error(ErrorCode::kConfig, "bad port '" + v + "'");
    }
    return static_cast<uint16_t>(std::stoul(v));
}

Result<size_t> parse_count(const std::string& v) {
    if (v.empty() || v.size() > 7 || v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) == 0) {
        return make_error(ErrorCode::kConfig, "bad count '" + v + "'");
    }
    return static_cast<size_t>(std::stoul(v));
}

}  // namespace

std::string gateway_usage() {
    return "usage: lanyard-gateway -c SWANCTL_CONF [--listen ADDR] [--port N] [--port-nat-t N]\n"
           "                       [--kernel xfrm|none] [-f LOGFILE] [-d] [-K] [-t]\n"
           "                       [--initiate CONNECTION[/CHILD]] [--childless] [--count N] [--concurrency N]\n"
           "                       [--delete-after] [--exit-when-done] [--cookie-threshold N]\n"
           "                       [--strongswan-conf FILE]  (eap-radius servers; default /etc/strongswan.conf)\n";
}

Result<GatewayOptions> parse_gateway_cmdline(const std::vector<std::string>& args) {
    GatewayOptions o;
    std::vector<CmdlineOption> opts = {
        {'c', "conf", true, [&](const std::string& v) { o.conf_path = v; return ok_status(); }},
        {0, "listen", true, [&](const std::string& v) { o.listen = v; return ok_status(); }},
        {0, "port", true, [&](const std::string& v) { auto p = parse_port(v); if (!p) return Status(p.error()); o.port = *p; return ok_status(); }},
        {0, "port-nat-t", true, [&](const std::string& v) { auto p = parse_port(v); if (!p) return Status(p.error()); o.port_nat_t = *p; return ok_status(); }},
        {0, "kernel", true, [&](const std::string& v) {
             if (v != "none" && v != "xfrm") return Status(make_error(ErrorCode::kConfig, "--kernel must be xfrm or none"));
             o.kernel = v;
             return ok_status();
         }},
        {0, "initiate", true, [&](const std::string& v) {
             const size_t slash = v.find('/');
             o.initiate = v.substr(0, slash);
             if (slash != std::string::npos) o.initiate_child = v.substr(slash + 1);
             return ok_status();
         }},
        {0, "childless", false, [&](const std::string&) { o.childless = true; return ok_status(); }},
        {0, "count", true, [&](const std::string& v) { auto n = parse_count(v); if (!n) return Status(n.error()); o.count = *n; return ok_status(); }},
        {0, "concurrency", true, [&](const std::string& v) { auto n = parse_count(v); if (!n) return Status(n.error()); o.concurrency = *n; return ok_status(); }},
        {0, "cookie-threshold", true, [&](const std::string& v) {
             if (v.empty() || v.size() > 7 || v.find_first_not_of("0123456789") != std::string::npos) return Status(make_error(ErrorCode::kConfig, "bad threshold"));
             o.cookie_threshold = std::stoul(v);
             return ok_status();
         }},
        {0, "strongswan-conf", true, [&](const std::string& v) { o.strongswan_conf = v; return ok_status(); }},
        {0, "delete-after", false, [&](const std::string&) { o.delete_after = true; return ok_status(); }},
        {0, "exit-when-done", false, [&](const std::string&) { o.exit_when_done = true; return ok_status(); }},
        {'f', "", true, [&](const std::string& v) { o.daemon.log_file = v; return ok_status(); }},
        {'d', "", false, [&](const std::string&) { ++o.daemon.debug_level; return ok_status(); }},
        {'K', "", false, [&](const std::string&) { o.daemon.log_keys = true; return ok_status(); }},
        {'t', "", false, [&](const std::string&) { o.daemon.timestamps = true; return ok_status(); }},
        {'B', "", false, [&](const std::string&) { o.daemon.background = true; return ok_status(); }},
        {'P', "", true, [&](const std::string& v) { o.daemon.pid_file = v; return ok_status(); }},
    };
    auto st = parse_cmdline(args, opts, [](const std::string& p) {
        return Status(make_error(ErrorCode::kConfig, "unexpected argument '" + p + "'"));
    });
    if (!st) return st.error();
    if (o.conf_path.empty()) return make_error(ErrorCode::kConfig, "-c SWANCTL_CONF is required");
    if (o.port == o.port_nat_t) return make_error(ErrorCode::kConfig, "--port and --port-nat-t must differ");
    if (o.concurrency > o.count) o.concurrency = o.count;
    return o;
}

Gateway::Gateway(EventLoop& loop, GatewayOptions options, SwanctlConfig config)
    : loop_(loop), options_(std::move(options)), config_(std::move(config)) {}

Gateway::~Gateway() {
    for (auto& s : sockets_) loop_.remove_fd(s.socket.fd());
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
}

Result<std::unique_ptr<Gateway>> Gateway::create(EventLoop& loop, GatewayOptions options, SwanctlConfig config,
                                                 std::unique_ptr<ike::ChildSaInstaller> installer) {
    std::unique_ptr<Gateway> g(new Gateway(loop, std::move(options), std::move(config)));
    if (installer) {
        g->installer_ = std::move(installer);
    } else if (g->options_.kernel == "xfrm") {
        return make_error(ErrorCode::kUnsupported,
                          "--kernel xfrm is not in this build (drivers/xfrm needs libnl-xfrm-3 and LANYARD_WITH_XFRM); "
                          "use --kernel none");
    } else {
        g->installer_ = std::make_unique<ike::RecordingChildSaInstaller>(SystemRandom::instance());
    }
    g->env_.reset(new ike::IkeSaEnv{loop.clock(), SystemRandom::instance(), *g->installer_, *g->config_.store,
                                    g->options_.port_nat_t, {}, Duration(30000), {}, {}});
    ike::ManagerOptions mo;
    mo.cookie_threshold = g->options_.cookie_threshold;
    g->manager_ = std::make_unique<ike::IkeSaManager>(*g->env_, mo);
    LANYARD_TRY(g->open_sockets());
    LANYARD_TRY(g->open_eap_radius());
    return g;
}

Status Gateway::open_eap_radius() {
    bool wanted = false;
    for (const auto& c : config_.store->connections()) {
        for (const auto& r : c->remote) wanted = wanted || (r.auth == ike::AuthClass::kEap && r.eap_method == "radius");
    }
    if (!wanted) return ok_status();
    auto settings = load_eap_radius_settings(options_.strongswan_conf);
    if (!settings) return make_error(ErrorCode::kConfig, "auth = eap-radius: " + settings.error().detail);
    for (const auto& w : settings->warnings) LOG_WARN(kLog, "%s", w.to_string().c_str());
    auto transport = authenticator::RadiusTransport::open(loop_, settings->servers, settings->retransmit,
                                                          SystemRandom::instance(), "RADIUS (eap-radius)");
    if (!transport) return make_error(ErrorCode::kConfig, "auth = eap-radius: " + transport.error().detail);
    radius_ = std::move(*transport);
    env_->external_eap = radius_eap_factory(*radius_, settings->nas_identifier, loop_.clock(), SystemRandom::instance());
    // A RADIUS answer arrives inside the transport's socket callback; the
    // IKE_SA continues from a fresh loop turn (IkeSaEnv::auth_ready).
    env_->auth_ready = [this](uint64_t spi) {
        loop_.add_timer(Duration(0), [this, spi] {
            manager_->resume_auth(spi);
            flush();
        });
    };
    return ok_status();
}

Status Gateway::open_sockets() {
    for (const bool nat_t : {false, true}) {
        auto addr = SocketAddress::parse(options_.listen, nat_t ? options_.port_nat_t : options_.port);
        if (!addr) return addr.error();
        UdpSocket::Options so;
        so.receive_buffer = 4 * 1024 * 1024;
        auto s = UdpSocket::bind(*addr, so);
        if (!s) return make_error(s.error().code, "binding " + addr->to_string() + ": " + s.error().detail);
        if (nat_t && options_.kernel == "xfrm") {
            // RFC 3948: with CHILD_SAs in the kernel, ESP-in-UDP on the NAT-T
            // port is the kernel's; IKE (zero marker) and keepalives still
            // come up to this socket.
            const int encap = UDP_ENCAP_ESPINUDP;
            if (setsockopt(s->fd(), IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap)) != 0) {
                return make_error(ErrorCode::kIo, std::string("UDP_ENCAP on the NAT-T socket: ") + std::strerror(errno));
            }
        }
        auto bound = s->local_address();
        Sock sock{std::move(*s), bound ? *bound : *addr, nat_t};
        sockets_.push_back(std::move(sock));
        LOG_INFO(kLog, "listening on %s%s", sockets_.back().local.to_string().c_str(), nat_t ? " (NAT-T)" : "");
    }
    const std::string host = sockets_[0].local.host_string();
    if (host == "0.0.0.0" || host == "::") {
        LOG_WARN(kLog, "listening on a wildcard address: NAT detection will see a NAT (use --listen ADDR)");
    }
    for (size_t i = 0; i < sockets_.size(); ++i) {
        LANYARD_TRY(loop_.add_fd(sockets_[i].socket.fd(), FdWatch{[this, i] { on_readable(i); }, nullptr}));
    }
    return ok_status();
}

void Gateway::on_readable(size_t index) {
    Sock& s = sockets_[index];
    static uint8_t buffer[65536];
    for (int n = 0; n < 256; ++n) {  // bounded per wake-up
        auto r = s.socket.receive(buffer, sizeof(buffer));
        if (!r) {
            LOG_DEBUG(kLog, "receive: %s", r.error().to_string().c_str());
            continue;
        }
        if (!r->has_value()) break;
        ++datagrams_in_;
        ByteView data(buffer, (*r)->size);
        ike::IkePath path{s.local, (*r)->source, false};
        // RFC 3948 §2.2: four zero octets mark IKE on the NAT-T port; a
        // non-zero start there is ESP (no kernel here: dropped). charon also
        // uses the marker on non-500 ports, so every socket accepts it.
        if (data.size() >= ike::kNonEspMarkerSize && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 0) {
            data = data.subspan(ike::kNonEspMarkerSize);
            path.non_esp_marker = true;
        } else if (s.nat_t) {
            if (data.size() == 1 && data[0] == 0xff) continue;  // NAT-keepalive (RFC 3948 §2.3)
            ++esp_dropped_;
            LOG_DEBUG(kLog, "ESP packet on the NAT-T port dropped (CHILD_SAs are not in a kernel)");
            continue;
        }
        manager_->handle_datagram(data, path);
    }
    flush();
}

void Gateway::send_all() {
    for (auto& d : manager_->take_output()) {
        Sock* s = &sockets_[0];
        for (auto& cand : sockets_) {
            if (cand.local.port() == d.path.local.port()) s = &cand;
        }
        Bytes buf;
        if (d.path.non_esp_marker) buf.assign(ike::kNonEspMarkerSize, 0);
        buf.insert(buf.end(), d.data.begin(), d.data.end());
        auto st = s->socket.send_to(d.path.remote, buf);
        if (!st) LOG_DEBUG(kLog, "send to %s: %s", d.path.remote.to_string().c_str(), st.error().to_string().c_str());
        ++datagrams_out_;
    }
}

void Gateway::flush() {
    send_all();
    if (!options_.initiate.empty() && !done_) {
        check_progress();
        send_all();
    }
    rearm();
}

void Gateway::rearm() {
    auto next = manager_->next_deadline();
    if (next == armed_for_ && (timer_ == kNoTimer || loop_.timer_pending(timer_))) return;
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    timer_ = kNoTimer;
    armed_for_ = next;
    if (!next) return;
    timer_ = loop_.add_timer_at(*next, [this] {
        timer_ = kNoTimer;
        armed_for_.reset();
        manager_->on_timer();
        flush();
    });
}

void Gateway::start_initiations() {
    auto cfg = config_.store->connection(options_.initiate);
    while (started_ < options_.count && started_ - established_ - failed_ < options_.concurrency) {
        if (!cfg || cfg->remote_addrs.empty()) return;
        auto remote = SocketAddress::parse(cfg->remote_addrs[0], cfg->remote_port);
        if (!remote) return;
        // Like charon: a non-500 remote port means the NAT-T socket and the marker.
        const bool nat_t = cfg->remote_port != 500;
        ike::IkePath path{nat_t ? sockets_[1].local : sockets_[0].local, *remote, nat_t};
        std::optional<std::string> child;
        if (!options_.childless) {
            child = options_.initiate_child.empty() ? (cfg->children.empty() ? std::string() : cfg->children[0].name)
                                                    : options_.initiate_child;
            if (child->empty()) child.reset();
        }
        auto id = manager_->initiate(cfg, path, child);
        if (!id) {
            LOG_ERROR(kLog, "initiate: %s", id.error().to_string().c_str());
            ++failed_;
            ++started_;
            continue;
        }
        started_ids_.push_back(*id);
        ++started_;
    }
}

void Gateway::check_progress() {
    // Count transitions of the SAs we started.
    for (size_t k = 0; k < started_ids_.size();) {
        ike::IkeSa* sa = manager_->find_by_unique_id(started_ids_[k]);
        if (sa == nullptr) {
            ++failed_;
            started_ids_.erase(started_ids_.begin() + static_cast<long>(k));
            continue;
        }
        if (sa->state() == ike::IkeSaState::kEstablished) {
            ++established_;
            if (options_.count > 1) {
                LOG_DEBUG(kLog, "IKE_SA %u established (%zu/%zu)", sa->unique_id(), established_, options_.count);
            }
            if (options_.delete_after) manager_->with_sa(sa, [](ike::IkeSa& s) { s.delete_ike(); });
            started_ids_.erase(started_ids_.begin() + static_cast<long>(k));
            continue;
        }
        ++k;
    }
    start_initiations();
    if (established_ + failed_ >= options_.count && started_ >= options_.count) {
        done_ = true;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(loop_.clock().now() - started_at_).count();
        const long rss = rss_kb();
        std::printf("initiated %zu IKE_SAs: %zu established, %zu failed in %lld ms (%.1f IKE_SA/s); "
                    "RSS %ld KB (+%ld KB, %.1f KB per established IKE_SA still held: %zu)\n",
                    options_.count, established_, failed_, static_cast<long long>(ms),
                    ms > 0 ? 1000.0 * static_cast<double>(established_) / static_cast<double>(ms) : 0.0, rss,
                    rss - rss_before_kb_,
                    manager_->count() ? static_cast<double>(rss - rss_before_kb_) / static_cast<double>(manager_->count()) : 0.0,
                    manager_->count());
        std::fflush(stdout);
        exit_status_ = failed_ == 0 ? 0 : 1;
        if (options_.exit_when_done) {
            // Let pending DELETEs go out first.
            loop_.add_timer(Duration(options_.delete_after ? 200 : 0), [this] { loop_.stop(); });
        }
    }
}

std::string Gateway::status_report() {
    std::string out;
    for (ike::IkeSa* sa : manager_->all()) {
        char line[512];
        std::snprintf(line, sizeof(line), "%s[%u]: %s, %s[%s]...%s[%s], %zu CHILD_SA(s)%s\n",
                      sa->config() ? sa->config()->name.c_str() : "?", sa->unique_id(), ike::ike_sa_state_name(sa->state()),
                      sa->path().local.to_string().c_str(), sa->my_id().to_string().c_str(),
                      sa->path().remote.to_string().c_str(), sa->peer_id().to_string().c_str(), sa->children().size(),
                      sa->nat_detected() ? ", NAT-T" : "");
        out += line;
    }
    char tail[256];
    std::snprintf(tail, sizeof(tail), "%zu IKE_SAs (%zu half-open), datagrams in %llu out %llu, dropped %llu, cookies %llu\n",
                  manager_->count(), manager_->half_open(), static_cast<unsigned long long>(datagrams_in_),
                  static_cast<unsigned long long>(datagrams_out_),
                  static_cast<unsigned long long>(manager_->stats().dropped),
                  static_cast<unsigned long long>(manager_->stats().cookies_sent));
    return out + tail;
}

int Gateway::run() {
    // The first SIGINT/SIGTERM deletes every IKE_SA (an INFORMATIONAL with
    // DELETE, RFC 7296 §1.4.1; their CHILD_SAs leave the kernel and the peer
    // removes its side) and stops when they are gone or after 1 s; a second
    // signal stops at once.
    auto stopping = std::make_shared<bool>(false);
    auto stop = [this, stopping](int signo) {
        LOG_INFO(kLog, "signal %d: shutting down", signo);
        if (*stopping || manager_->count() == 0) {
            loop_.stop();
            return;
        }
        *stopping = true;
        for (ike::IkeSa* sa : manager_->all()) manager_->with_sa(sa, [](ike::IkeSa& s) { s.delete_ike(); });
        flush();
        for (int k = 1; k <= 20; ++k) {
            loop_.add_timer(Duration(50 * k), [this, k] {
                if (manager_->count() == 0 || k == 20) loop_.stop();
            });
        }
    };
    (void)loop_.add_signal(SIGINT, stop);
    (void)loop_.add_signal(SIGTERM, stop);
    (void)loop_.add_signal(SIGUSR1, [this](int) { LOG_INFO(kLog, "status:\n%s", status_report().c_str()); });
    if (!options_.initiate.empty()) {
        if (!config_.store->connection(options_.initiate)) {
            LOG_ERROR(kLog, "no connection '%s'", options_.initiate.c_str());
            return 1;
        }
        rss_before_kb_ = rss_kb();
        started_at_ = loop_.clock().now();
        start_initiations();
        flush();
    }
    auto st = loop_.run();
    if (!st) {
        LOG_ERROR(kLog, "event loop: %s", st.error().to_string().c_str());
        return 1;
    }
    LOG_INFO(kLog, "final status:\n%s", status_report().c_str());
    return exit_status_;
}

}  // namespace lanyard::gateway
