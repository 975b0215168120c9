#include "supplicant/supplicant_daemon.h"

#include <csignal>

#include "common/log.h"
#include "supplicant/peer_setup.h"
#include "supplicant/supplicant_ctrl.h"
#include "supplicant/wifi_status.h"

namespace lanyard::supplicant {

SupplicantDaemon::SupplicantDaemon(EventLoop& loop, std::unique_ptr<Driver> driver, DaemonSetup setup)
    : loop_(loop), driver_(std::move(driver)), setup_(std::move(setup)) {}

SupplicantDaemon::~SupplicantDaemon() {
    shutdown();
    session_.reset();
    wifi_.reset();
    if (ctrl_) loop_.remove_fd(ctrl_->fd());
}

Result<std::unique_ptr<SupplicantDaemon>> SupplicantDaemon::create(EventLoop& loop, std::unique_ptr<Driver> driver,
                                                                   DaemonSetup setup, RandomSource& random) {
    if (setup.network_id >= setup.config.networks.size()) {
        return make_error(ErrorCode::kConfig, "network block index out of range");
    }
    std::unique_ptr<SupplicantDaemon> d(new SupplicantDaemon(loop, std::move(driver), std::move(setup)));
    const WpaConfig& config = d->setup_.config;
    const NetworkBlock& network = config.networks[d->setup_.network_id];

    // One client TLS context per network block, built once (phase 1 only).
    {
        auto context = make_network_tls_context(config, network, d->setup_.validate);
        if (!context) return context.error();
        d->tls_ = std::move(*context);
    }

    if (d->setup_.ctrl) {
        auto server = CtrlSocketServer::open(*d->setup_.ctrl, d->driver_->interface_name());
        if (!server) return server.error();
        d->ctrl_ = std::move(*server);
        d->events_.set_ctrl(d->ctrl_.get());
    }

    if (d->setup_.wifi_link != nullptr) {
        if (d->driver_->key_installer() == nullptr) return make_error(ErrorCode::kConfig, "the driver installs no keys");
        WifiSessionConfig wc;
        wc.network_id = d->setup_.network_id;
        wc.id_str = network.id_str;
        wc.ssid = Bytes(network.ssid.begin(), network.ssid.end());
        wc.akm = network.has_key_mgmt(config::KeyMgmt::kWpaEapSha256) && !network.has_key_mgmt(config::KeyMgmt::kWpaEap)
                     ? eapol::kAkm8021xSha256
                     : eapol::kAkm8021x;
        const int pmf = network.ieee80211w.value_or(0);
        wc.mfp = pmf >= 2 ? eapol::MfpPolicy::kRequired : pmf == 1 ? eapol::MfpPolicy::kOptional : eapol::MfpPolicy::kDisabled;
        wc.active_scan = network.scan_ssid;
        wc.port.eapol_version = static_cast<uint8_t>(config.globals.eapol_version);
        d->wifi_ = std::make_unique<WifiSession>(loop, *d->driver_, *d->setup_.wifi_link, network.eap, d->tls_.get(),
                                                 d->cache_, random, d->events_, d->pmksa_, wc);
        if (d->ctrl_) {
            SupplicantDaemon* self = d.get();
            register_wifi_commands(*d->ctrl_, *d->wifi_, config, d->pmksa_, [self] { self->loop_.stop(); });
            CtrlSocketServer* server = d->ctrl_.get();
            LANYARD_TRY(loop.add_fd(server->fd(), FdWatch{[server] { server->handle_readable(); }, {}}));
            LOG_INFO("supplicant", "control interface at %s", server->path().c_str());
        }
        return d;
    }

    SessionConfig sc;
    sc.network_id = d->setup_.network_id;
    sc.id_str = network.id_str;
    sc.port.eapol_version = static_cast<uint8_t>(config.globals.eapol_version);
    d->session_ = std::make_unique<WiredSession>(loop, *d->driver_, network.eap, d->tls_.get(), d->cache_, random,
                                                 d->events_, sc);

    if (d->ctrl_) {
        SupplicantDaemon* self = d.get();
        register_supplicant_commands(*d->ctrl_, *d->session_, config, [self] { self->loop_.stop(); });
        CtrlSocketServer* server = d->ctrl_.get();
        LANYARD_TRY(loop.add_fd(server->fd(), FdWatch{[server] { server->handle_readable(); }, {}}));
        LOG_INFO("supplicant", "control interface at %s", server->path().c_str());
    }
    return d;
}

Status SupplicantDaemon::start() {
    auto stop = [this](int signo) {
        LOG_INFO("supplicant", "signal %d received: terminating", signo);
        loop_.stop();
    };
    LANYARD_TRY(loop_.add_signal(SIGTERM, stop));
    LANYARD_TRY(loop_.add_signal(SIGINT, stop));
    LANYARD_TRY(loop_.add_signal(SIGHUP, [](int) {
        LOG_WARN("supplicant", "SIGHUP: reloading the configuration is not supported yet; ignored");
    }));
    const NetworkBlock& network = setup_.config.networks[setup_.network_id];
    LOG_INFO("supplicant", "%s: using network block %zu (%s:%zu)", driver_->interface_name().c_str(),
             setup_.network_id, setup_.config.file.c_str(), network.line);
    if (wifi_) {
        wifi_->start();
    } else {
        session_->start();
    }
    return ok_status();
}

Status SupplicantDaemon::run() {
    Status s = loop_.run();
    shutdown();
    return s;
}

void SupplicantDaemon::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    if (session_) session_->stop(setup_.logoff_on_exit);
    if (wifi_) wifi_->stop();
    if (ctrl_) {
        loop_.remove_fd(ctrl_->fd());
        events_.set_ctrl(nullptr);
        ctrl_.reset();  // unlinks DIR/IFNAME
    }
    loop_.remove_signal(SIGTERM);
    loop_.remove_signal(SIGINT);
    loop_.remove_signal(SIGHUP);
    LOG_INFO("supplicant", "%s: terminated", driver_->interface_name().c_str());
}

}  // namespace lanyard::supplicant
