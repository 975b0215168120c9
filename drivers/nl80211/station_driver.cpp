#include "drivers/nl80211/station_driver.h"

#include <linux/nl80211.h>
#include <netlink/netlink.h>

#include "common/log.h"
#include "drivers/eapol_ethernet.h"
#include "drivers/nl80211/nl80211_commands.h"
#include "drivers/wifi_mgmt_frames.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "nl80211-sta";
constexpr size_t kMaxSsidSize = 32;
constexpr size_t kMaxScanResults = 512;

std::string printable_ssid(ByteView ssid) {
    std::string text;
    for (uint8_t c : ssid) text += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
    return text;
}

}  // namespace

const char* station_state_name(StationState state) {
    switch (state) {
        case StationState::kIdle: return "idle";
        case StationState::kScanning: return "scanning";
        case StationState::kConnecting: return "connecting";
        case StationState::kConnected: return "connected";
    }
    return "?";
}

Result<std::unique_ptr<Nl80211StationDriver>> Nl80211StationDriver::open(EventLoop& loop,
                                                                         const Nl80211StationOptions& options) {
    auto opened = open_interface(loop, options.common);
    if (!opened) return opened.error();
    WiphyRequirements requirements;
    requirements.interface_type = NL80211_IFTYPE_STATION;
    requirements.control_port_over_nl80211 = !options.common.allow_packet_socket;
    LANYARD_TRY(check_wiphy(opened->capabilities, requirements));
    auto transport = choose_transport(opened->capabilities, options.common);
    if (!transport) return transport.error();

    if (opened->interface.interface_type != NL80211_IFTYPE_STATION) {
        LANYARD_TRY(set_interface_up(options.common.interface_name, false));
        LANYARD_TRY(set_interface_type(*opened->socket, opened->interface.interface_index, NL80211_IFTYPE_STATION));
    }
    LANYARD_TRY(set_interface_up(options.common.interface_name, true));

    std::unique_ptr<Nl80211StationDriver> driver(
        new Nl80211StationDriver(loop, options, std::move(*opened), *transport));
    LANYARD_TRY(driver->start_receiving());
    driver->update_link_state(LinkState::kDown);
    LOG_INFO(kLog, "%s: station ready (ifindex %u, %s, EAPOL via %s)", options.common.interface_name.c_str(),
             driver->interface_index(), driver->own_address().to_string().c_str(),
             eapol_transport_name(driver->transport()));
    return driver;
}

Nl80211StationDriver::Nl80211StationDriver(EventLoop& loop, const Nl80211StationOptions& options, Opened opened,
                                           EapolTransport transport)
    : Nl80211DriverBase(loop, options.common, std::move(opened), transport, /*set_default_group_keys=*/false),
      options_(options) {}

Nl80211StationDriver::~Nl80211StationDriver() {
    cancel_timer();
    switch (state_) {
        case StationState::kIdle:
        case StationState::kScanning: break;
        case StationState::kConnecting:
        case StationState::kConnected: {
            // Closing the owner socket disconnects too; say why, politely.
            auto message = socket().message(NL80211_CMD_DISCONNECT);
            message->u32(NL80211_ATTR_IFINDEX, interface_index()).u16(NL80211_ATTR_REASON_CODE, kReasonDeauthLeaving);
            (void)socket().request(*message, "DISCONNECT");
            break;
        }
    }
}

void Nl80211StationDriver::set_state(StationState state) {
    if (state == state_) return;
    LOG_DEBUG(kLog, "%s: %s -> %s", interface_name().c_str(), station_state_name(state_), station_state_name(state));
    state_ = state;
}

void Nl80211StationDriver::cancel_timer() {
    if (timer_ != kNoTimer) loop().cancel_timer(timer_);
    timer_ = kNoTimer;
}

Status Nl80211StationDriver::connect(const ConnectParameters& parameters) {
    if (parameters.ssid.empty() || parameters.ssid.size() > kMaxSsidSize) {
        return make_error(ErrorCode::kConfig, "connect: SSID must be 1-32 octets");
    }
    switch (state_) {
        case StationState::kIdle: break;
        case StationState::kScanning:
        case StationState::kConnecting:
        case StationState::kConnected:
            return make_error(ErrorCode::kInternal, std::string("connect: already ") + station_state_name(state_));
    }
    WiphyRequirements requirements;
    requirements.interface_type = NL80211_IFTYPE_STATION;
    requirements.cipher_suites = parameters.rsn.required_ciphers();
    LANYARD_TRY(check_wiphy(capabilities(), requirements));
    parameters_ = parameters;
    scans_left_ = options_.scan_attempts;
    current_bss_.reset();
    return trigger_scan();
}

Status Nl80211StationDriver::trigger_scan() {
    if (scans_left_ == 0) return make_error(ErrorCode::kInternal, "no scans left");
    --scans_left_;
    auto message = socket().message(NL80211_CMD_TRIGGER_SCAN);
    message->u32(NL80211_ATTR_IFINDEX, interface_index());
    if (parameters_.frequency_mhz) {
        void* freqs = message->begin_nested(NL80211_ATTR_SCAN_FREQUENCIES);
        message->u32(1, *parameters_.frequency_mhz);
        message->end_nested(freqs);
    }
    if (parameters_.active_scan) {
        // NL80211_ATTR_SCAN_SSIDS: probe requests carry this SSID.
        void* ssids = message->begin_nested(NL80211_ATTR_SCAN_SSIDS);
        message->bytes(1, parameters_.ssid);
        message->end_nested(ssids);
    }
    LANYARD_TRY(socket().request(*message, "TRIGGER_SCAN"));
    set_state(StationState::kScanning);
    cancel_timer();
    timer_ = loop().add_timer(options_.scan_timeout, [this] {
        timer_ = kNoTimer;
        if (state_ == StationState::kScanning) fail(make_error(ErrorCode::kIo, "scan did not finish in time"));
    });
    LOG_DEBUG(kLog, "%s: scanning for '%s'", interface_name().c_str(), printable_ssid(parameters_.ssid).c_str());
    return ok_status();
}

void Nl80211StationDriver::on_event(const Nl80211Event& event) {
    switch (event.command) {
        case NL80211_CMD_NEW_SCAN_RESULTS:
            if (state_ == StationState::kScanning) on_scan_done(false);
            break;
        case NL80211_CMD_SCAN_ABORTED:
            if (state_ == StationState::kScanning) on_scan_done(true);
            break;
        case NL80211_CMD_CONNECT: on_connect_event(event); break;
        case NL80211_CMD_DISCONNECT: on_disconnect_event(event); break;
        case NL80211_CMD_ROAM:
            if (state_ == StationState::kConnected && event.mac && current_bss_) {
                current_bss_->bssid = *event.mac;
                if (event.frequency_mhz) current_bss_->frequency_mhz = *event.frequency_mhz;
                LOG_INFO(kLog, "%s: kernel roamed to %s", interface_name().c_str(), event.mac->to_string().c_str());
                if (station_listener_ != nullptr) station_listener_->on_roamed(*event.mac);
            }
            break;
        default: break;  // a plain command number: other events do not concern a station
    }
}

void Nl80211StationDriver::on_scan_done(bool aborted) {
    cancel_timer();
    Status fetched = aborted ? Status(make_error(ErrorCode::kIo, "scan aborted")) : fetch_scan_results();
    std::optional<ScanBss> chosen;
    if (fetched) chosen = select_bss(scan_results_, parameters_.ssid, parameters_.bssid);
    if (!chosen) {
        const std::string why = fetched ? "SSID '" + printable_ssid(parameters_.ssid) + "'" +
                                              (parameters_.bssid ? " at " + parameters_.bssid->to_string() : "") +
                                              " not among " + std::to_string(scan_results_.size()) + " BSSs"
                                        : fetched.error().detail;
        if (scans_left_ > 0) {
            LOG_DEBUG(kLog, "%s: %s; scanning again", interface_name().c_str(), why.c_str());
            Status again = trigger_scan();
            if (!again) fail(again.error());
            return;
        }
        fail(make_error(ErrorCode::kIo, why + " after " + std::to_string(options_.scan_attempts) + " scans"));
        return;
    }
    if (parameters_.rsn.protected_network() && !chosen->rsn_element) {
        fail(make_error(ErrorCode::kConfig, chosen->bssid.to_string() + " announces no RSN element but the network is protected"));
        return;
    }
    Status sent = send_connect(*chosen);
    if (!sent) fail(sent.error());
}

Status Nl80211StationDriver::fetch_scan_results() {
    auto message = socket().message(NL80211_CMD_GET_SCAN, NLM_F_DUMP);
    message->u32(NL80211_ATTR_IFINDEX, interface_index());
    scan_results_.clear();
    uint64_t malformed = 0;
    LANYARD_TRY(socket().request(*message, "GET_SCAN", [this, &malformed](ByteView attributes) -> Status {
        auto bss = parse_scan_message(attributes);
        if (!bss) {
            ++malformed;  // one broken BSS does not hide the others
            LOG_DEBUG(kLog, "dropped scan result: %s", bss.error().detail.c_str());
            return ok_status();
        }
        if (scan_results_.size() < kMaxScanResults) scan_results_.push_back(std::move(*bss));
        return ok_status();
    }));
    LOG_DEBUG(kLog, "%s: %zu BSSs in scan results (%llu malformed)", interface_name().c_str(), scan_results_.size(),
              static_cast<unsigned long long>(malformed));
    return ok_status();
}

Status Nl80211StationDriver::send_connect(const ScanBss& bss) {
    const RsnSettings& rsn = parameters_.rsn;
    auto message = socket().message(NL80211_CMD_CONNECT);
    message->u32(NL80211_ATTR_IFINDEX, interface_index())
        .bytes(NL80211_ATTR_SSID, parameters_.ssid)
        .mac(NL80211_ATTR_MAC, bss.bssid)
        .u32(NL80211_ATTR_WIPHY_FREQ, bss.frequency_mhz)
        .u32(NL80211_ATTR_AUTH_TYPE, NL80211_AUTHTYPE_OPEN_SYSTEM);
    if (rsn.protected_network()) {
        // The RSN element we send in the (Re)Association Request
        // (IEEE 802.11-2020 §12.6.2), and the same choices as attributes.
        message->bytes(NL80211_ATTR_IE, rsn.rsn_element)
            .flag(NL80211_ATTR_PRIVACY)
            .u32(NL80211_ATTR_WPA_VERSIONS, NL80211_WPA_VERSION_2)
            .u32_array(NL80211_ATTR_AKM_SUITES, {rsn.akm_suite})
            .u32_array(NL80211_ATTR_CIPHER_SUITES_PAIRWISE, {rsn.pairwise_cipher})
            .u32(NL80211_ATTR_CIPHER_SUITE_GROUP, rsn.group_cipher);
        switch (rsn.mfp) {
            case MgmtFrameProtection::kDisabled: break;
            case MgmtFrameProtection::kRequired: message->u32(NL80211_ATTR_USE_MFP, NL80211_MFP_REQUIRED); break;
            case MgmtFrameProtection::kOptional:
                if (capabilities().has_extended_feature(NL80211_EXT_FEATURE_MFP_OPTIONAL)) {
                    message->u32(NL80211_ATTR_USE_MFP, NL80211_MFP_OPTIONAL);
                }
                break;
        }
    }
    // IEEE 802.1X controlled port in user space: data waits for
    // NL80211_STA_FLAG_AUTHORIZED; EAPOL (88-8E) passes before it.
    message->flag(NL80211_ATTR_CONTROL_PORT).u16(NL80211_ATTR_CONTROL_PORT_ETHERTYPE, kEapolEthertype);
    switch (transport()) {
        case EapolTransport::kControlPort: message->flag(NL80211_ATTR_CONTROL_PORT_OVER_NL80211); break;
        case EapolTransport::kPacketSocket: break;
    }
    message->flag(NL80211_ATTR_SOCKET_OWNER);
    LANYARD_TRY(socket().request(*message, "CONNECT"));
    pending_bss_ = bss;
    set_state(StationState::kConnecting);
    LOG_INFO(kLog, "%s: connecting to %s (%u MHz, %.1f dBm)", interface_name().c_str(), bss.bssid.to_string().c_str(),
             bss.frequency_mhz, bss.signal_mbm / 100.0);
    return ok_status();
}

void Nl80211StationDriver::on_connect_event(const Nl80211Event& event) {
    if (state_ != StationState::kConnecting) return;
    const uint16_t status = event.status_code.value_or(kStatusUnspecifiedFailure);
    if (status != 0 || event.timed_out) {
        fail(make_error(ErrorCode::kProtocol, "CONNECT to " + (event.mac ? event.mac->to_string() : std::string("?")) +
                                                  (event.timed_out ? " timed out" : " refused, status code " + std::to_string(status))));
        return;
    }
    current_bss_ = pending_bss_;
    if (current_bss_ && event.mac) current_bss_->bssid = *event.mac;
    pending_bss_.reset();
    set_state(StationState::kConnected);
    const bool was_roam = roaming_;
    roaming_ = false;
    LOG_INFO(kLog, "%s: connected to %s", interface_name().c_str(), current_bss_ ? current_bss_->bssid.to_string().c_str() : "?");
    update_link_state(LinkState::kUp);
    if (station_listener_ == nullptr || !current_bss_) return;
    if (was_roam) station_listener_->on_roamed(current_bss_->bssid);
    station_listener_->on_connected(*current_bss_);
}

void Nl80211StationDriver::on_disconnect_event(const Nl80211Event& event) {
    switch (state_) {
        case StationState::kIdle:
        case StationState::kScanning: return;  // our own disconnect, already reported
        case StationState::kConnecting:
            fail(make_error(ErrorCode::kProtocol, "disconnected while connecting, reason " +
                                                      std::to_string(event.reason_code.value_or(0))));
            return;
        case StationState::kConnected: break;
    }
    const uint16_t reason = event.reason_code.value_or(0);
    LOG_INFO(kLog, "%s: disconnected (reason %u%s)", interface_name().c_str(), reason, event.by_ap ? ", by the AP" : "");
    set_state(StationState::kIdle);
    current_bss_.reset();
    update_link_state(LinkState::kDown);
    if (station_listener_ != nullptr) station_listener_->on_disconnected(reason, event.by_ap);
}

Status Nl80211StationDriver::disconnect(uint16_t reason) {
    cancel_timer();
    const StationState previous = state_;
    switch (previous) {
        case StationState::kIdle: return ok_status();
        case StationState::kScanning:
            set_state(StationState::kIdle);
            return ok_status();
        case StationState::kConnecting:
        case StationState::kConnected: break;
    }
    auto message = socket().message(NL80211_CMD_DISCONNECT);
    message->u32(NL80211_ATTR_IFINDEX, interface_index()).u16(NL80211_ATTR_REASON_CODE, reason);
    Status sent = socket().request(*message, "DISCONNECT");
    set_state(StationState::kIdle);
    current_bss_.reset();
    pending_bss_.reset();
    update_link_state(LinkState::kDown);
    if (previous == StationState::kConnected && station_listener_ != nullptr) {
        station_listener_->on_disconnected(reason, false);
    }
    return sent;
}

Status Nl80211StationDriver::roam(const MacAddress& bssid, std::optional<uint32_t> frequency_mhz) {
    if (state_ != StationState::kConnected) return make_error(ErrorCode::kInternal, "roam: not connected");
    ConnectParameters next = parameters_;
    next.bssid = bssid;
    next.frequency_mhz = frequency_mhz;
    // A plain reconnect: the listener sees the link go down and, on
    // success, on_roamed then on_connected for the new BSS.
    Nl80211StationListener* listener = station_listener_;
    station_listener_ = nullptr;  // the roam is not a disconnection to report
    Status down = disconnect(kReasonDeauthLeaving);
    station_listener_ = listener;
    LANYARD_TRY(down);
    LANYARD_TRY(connect(next));
    roaming_ = true;
    return ok_status();
}

void Nl80211StationDriver::fail(Error error) {
    cancel_timer();
    set_state(StationState::kIdle);
    pending_bss_.reset();
    roaming_ = false;
    LOG_WARN(kLog, "%s: connect failed: %s", interface_name().c_str(), error.detail.c_str());
    if (station_listener_ != nullptr) station_listener_->on_connect_failed(error);
}

}  // namespace lanyard
