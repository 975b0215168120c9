#include "authenticator/authenticator_daemon.h"

#include "authenticator/radius_eap_backend.h"
#include "radius/client_table.h"

#include <csignal>

#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "authenticator";
// How often expired TLS sessions are swept from the cache.
const Duration kSweepInterval = Duration(60000);
}  // namespace

AuthenticatorDaemon::AuthenticatorDaemon(EventLoop& loop, lanyard::Driver& driver, AuthenticatorSetup setup)
    : loop_(loop), driver_(driver), setup_(std::move(setup)) {}

Result<std::unique_ptr<AuthenticatorDaemon>> AuthenticatorDaemon::create(EventLoop& loop, lanyard::Driver& driver,
                                                                         AuthenticatorSetup setup,
                                                                         RandomSource& random,
                                                                         std::optional<WifiBinding> wifi) {
    std::unique_ptr<AuthenticatorDaemon> d(new AuthenticatorDaemon(loop, driver, std::move(setup)));
    const HostapdConfig& c = d->setup_.config;
    for (const config::Warning& w : d->setup_.warnings) LOG_WARN(kLog, "%s", w.to_string().c_str());

    auto tls = open_server_tls(d->setup_, loop.clock(), random);
    if (!tls) return tls.error();
    d->session_cache_ = std::move(tls->cache);
    d->tls_ = std::move(tls->context);
    d->authenticator_ = std::make_unique<Authenticator>(
        loop, driver, server_environment(d->setup_, random, d->tls_.get()), authenticator_settings(c));
    if (!c.eap_server) LANYARD_TRY(d->open_radius_client(random));
    if (wifi) d->nas_.port_type = radius::NasPortType::kWireless80211;  // RFC 3580 §3.19
    if (wifi) {
        if (wifi->installer == nullptr) return make_error(ErrorCode::kInternal, "driver=nl80211 without a key installer");
        d->wifi_ = std::make_unique<WifiAccessPoint>(loop, driver, *wifi->installer, *d->authenticator_, random,
                                                     std::move(wifi->policy), std::move(wifi->hooks));
        LANYARD_TRY(d->wifi_->start());
    }
    d->ctrl_ = std::make_unique<AuthenticatorCtrl>(*d->authenticator_, [&loop] { loop.stop(); });

    if (!c.ctrl_interface.dir.empty()) {
        CtrlSocketConfig cc;
        cc.dir = c.ctrl_interface.dir;
        if (!c.ctrl_interface.group.empty()) cc.group = c.ctrl_interface.group;
        auto server = CtrlSocketServer::open(cc, driver.interface_name());
        if (!server) {
            return config::Site{c.file, c.line_of("ctrl_interface"), "ctrl_interface"}.error(
                server.error().to_string());
        }
        d->ctrl_server_ = std::move(*server);
        d->ctrl_->register_on(*d->ctrl_server_);
        CtrlSocketServer* srv = d->ctrl_server_.get();
        LANYARD_TRY(loop.add_fd(srv->fd(), FdWatch{[srv] { srv->handle_readable(); }, {}}));
        d->authenticator_->set_event_sink(
            [srv](const std::string& event) { srv->broadcast(CtrlLevel::kInfo, event); });
    }

    for (int signo : {SIGTERM, SIGINT}) {
        LANYARD_TRY(loop.add_signal(signo, [&loop](int s) {
            LOG_INFO(kLog, "signal %d received: terminating", s);
            loop.stop();
        }));
    }
    // hostapd reloads its configuration on SIGHUP; Lanyard does not yet,
    // but must not die of it either.
    LANYARD_TRY(loop.add_signal(SIGHUP, [](int) {
        LOG_WARN(kLog, "SIGHUP received: configuration reload is not implemented yet; ignored");
    }));
    if (d->session_cache_) d->schedule_sweep();
    LOG_INFO(kLog, "%s: interface state UNINITIALIZED->ENABLED", driver.interface_name().c_str());
    LOG_INFO(kLog, "%s: AP-ENABLED", driver.interface_name().c_str());
    return d;
}

Status AuthenticatorDaemon::open_radius_client(RandomSource& random) {
    const HostapdConfig& c = setup_.config;
    nas_.identifier = c.nas_identifier;
    nas_.own_address = driver_.own_address();
    nas_.port_type = radius::NasPortType::kEthernet;  // driver=wired (RFC 3580 §3.19)
    if (auto ip = radius::IpAddress::parse(c.own_ip_addr); ip && ip->family == radius::IpAddress::Family::kIpv4)
        nas_.ip_address = radius::Ipv4Address{ip->octets[0], ip->octets[1], ip->octets[2], ip->octets[3]};
    radius::RetransmitPolicy policy;
    policy.retry_primary_interval = seconds(c.radius_retry_primary_interval);

    auto auth = RadiusTransport::open(loop_, c.auth_servers, policy, random, "authentication");
    if (!auth) return config::Site{c.file, c.line_of("auth_server_addr"), "auth_server_addr"}.error(auth.error().detail);
    auth_transport_ = std::move(*auth);
    const eap::AuthenticatorConfig retransmission = authenticator_settings(c).eap;
    authenticator_->set_eap_server_factory([this, &random, retransmission](const MacAddress& station,
                                                                            EapServerCallbacks callbacks) {
        return std::make_unique<RadiusEapBackend>(*auth_transport_, nas_, station, loop_.clock(), random,
                                                  retransmission, std::move(callbacks));
    });
    if (!c.acct_servers.empty()) {
        auto acct = RadiusTransport::open(loop_, c.acct_servers, policy, random, "accounting");
        if (!acct)
            return config::Site{c.file, c.line_of("acct_server_addr"), "acct_server_addr"}.error(acct.error().detail);
        acct_transport_ = std::move(*acct);
        accounting_ = std::make_unique<RadiusAccounting>(loop_, *acct_transport_, nas_);
        authenticator_->set_station_observer(accounting_.get());
    }
    return ok_status();
}

AuthenticatorDaemon::~AuthenticatorDaemon() {
    if (sweep_timer_ != kNoTimer) loop_.cancel_timer(sweep_timer_);
    if (authenticator_) authenticator_->disconnect_all();
    if (ctrl_server_) {
        ctrl_server_->broadcast(CtrlLevel::kInfo, "AP-DISABLED ");
        ctrl_server_->broadcast(CtrlLevel::kInfo, "CTRL-EVENT-TERMINATING ");
        loop_.remove_fd(ctrl_server_->fd());
        ctrl_server_.reset();  // unlinks DIR/IFNAME
    }
    for (int signo : {SIGTERM, SIGINT, SIGHUP}) loop_.remove_signal(signo);
    wifi_.reset();
    authenticator_.reset();
    LOG_INFO(kLog, "%s: AP-DISABLED", driver_.interface_name().c_str());
}

Status AuthenticatorDaemon::run() { return loop_.run(); }

void AuthenticatorDaemon::schedule_sweep() {
    sweep_timer_ = loop_.add_timer(kSweepInterval, [this] {
        sweep_timer_ = kNoTimer;
        const size_t n = session_cache_->expire();
        if (n > 0) LOG_DEBUG(kLog, "TLS session cache: %zu expired sessions dropped", n);
        schedule_sweep();
    });
}

}  // namespace lanyard::authenticator
