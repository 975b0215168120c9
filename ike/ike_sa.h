// One IKE_SA (RFC 7296), both roles, with its CHILD_SAs: a pure state
// machine. Bytes and events go in (handle(), on_timer(), the control
// calls), datagrams come out (take_output()); the clock, the random source,
// the kernel (ChildSaInstaller) and the configuration are injected through
// IkeSaEnv. The IkeSaManager (ike_sa_manager.h) finds the SA for a datagram.
//
// Exchanges: IKE_SA_INIT (§1.2; COOKIE §2.6, INVALID_KE_PAYLOAD §1.2, NAT
// detection §2.23, RFC 7383 and RFC 7427 notifies, RFC 6023 childless),
// IKE_AUTH (§1.2, §2.15; pluggable authentication rounds, CHILD_SA and
// configuration payload), CREATE_CHILD_SA (§1.3: new and rekeyed CHILD_SAs,
// IKE_SA rekey §2.18), INFORMATIONAL (§1.4: liveness, DELETE). Message IDs
// use a window of one in each direction (§2.3); requests are retransmitted
// (§2.1) and duplicate requests get the cached response.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/udp_socket.h"
#include "crypto/dh.h"
#include "ike/authenticator.h"
#include "ike/child_sa.h"
#include "ike/fragmentation.h"
#include "ike/message.h"
#include "ike/peer_config.h"
#include "ike/sk_payload.h"

namespace lanyard::ike {

// RFC 6023 §4 CHILDLESS_IKEV2_SUPPORTED (not in ike_types.h).
inline constexpr uint16_t kNotifyChildlessSupported = 16418;

// The two UDP endpoints of a datagram and whether it carries (or must
// carry) the RFC 3948 non-ESP marker. local must be a concrete address.
struct IkePath {
    SocketAddress local;
    SocketAddress remote;
    bool non_esp_marker = false;
};

struct OutgoingDatagram {
    IkePath path;
    Bytes data;  // the IKE message, without the marker
};

// charon's defaults: 4 s, ×1.8, 5 retransmits (about 165 s in all).
struct RetransmitPolicy {
    Duration timeout{4000};
    double base = 1.8;
    int tries = 5;
};

struct IkeSaEnv {
    Clock& clock;
    RandomSource& random;
    ChildSaInstaller& installer;
    ConfigProvider& configs;
    uint16_t nat_t_port = 4500;    // our NAT-T socket's port (switch target, §2.23)
    RetransmitPolicy retransmit;
    Duration half_open_timeout{30000};
    // EAP rounds with auth = eap-radius (the gateway's RADIUS client).
    EapBackendFactory external_eap;
    // An external back-end has an answer for the IKE_SA with this local
    // SPI (the manager's key; it cannot change before IKE_AUTH ends): call
    // IkeSaManager::resume_auth(spi) from the event loop (never from inside
    // this callback).
    std::function<void(uint64_t)> auth_ready;
};

enum class IkeSaState {
    kCreated,         // initiator before start(), responder before the first request
    kInitSent,        // initiator: IKE_SA_INIT request outstanding
    kAuthenticating,  // keys exist; IKE_AUTH in progress
    kEstablished,
    kRekeyed,         // replaced by a successor; waits for the DELETE (§2.18)
    kDeleting,        // our DELETE is outstanding
    kClosed,          // done; the manager removes it
};
const char* ike_sa_state_name(IkeSaState s);

class IkeSa {
public:
    static std::unique_ptr<IkeSa> create_initiator(IkeSaEnv& env, std::shared_ptr<const PeerConfig> config,
                                                   IkePath path, std::optional<std::string> child_name);
    static std::unique_ptr<IkeSa> create_responder(IkeSaEnv& env, uint64_t spi_r, IkePath path);
    ~IkeSa();

    // Initiator: sends IKE_SA_INIT.
    void start();
    // A parsed datagram for this SA (`raw` is what `msg` came from).
    void handle(ByteView raw, const Message& msg, const IkePath& from);
    // Retransmissions, DPD and timeouts that are due at env.clock.now().
    void on_timer();
    std::optional<TimePoint> next_deadline() const;
    std::vector<OutgoingDatagram> take_output() { return std::exchange(out_, {}); }
    // An IKE_SA that replaced this one in a rekey (the manager adopts it).
    std::unique_ptr<IkeSa> take_successor() { return std::move(successor_); }

    // Control (swanctl-like): each queues a request exchange.
    Status rekey_child(uint32_t spi_in);
    Status create_child(const std::string& child_name);
    Status rekey_ike();
    Status delete_child(uint32_t spi_in);
    void delete_ike();
    void send_dpd();
    // The external EAP back-end of the running round answered (it called
    // IkeSaEnv::auth_ready): the waiting IKE_AUTH request gets its response.
    void resume_auth();
    bool auth_pending() const { return pending_auth_.has_value(); }
    // §2.4 INITIAL_CONTACT: true once, after the responder established an
    // IKE_SA whose IKE_AUTH carried it (the manager then drops the peer's
    // older IKE_SAs with that identity).
    bool take_initial_contact() {
        return state_ == IkeSaState::kEstablished && std::exchange(initial_contact_, false);
    }
    // Initiator, before start(): send INITIAL_CONTACT (default yes).
    void set_initial_contact(bool send) { send_initial_contact_ = send; }
    // Ends the SA without telling the peer (it has forgotten it, §2.4).
    void abandon(const std::string& reason) { close(reason); }

    IkeSaState state() const { return state_; }
    bool original_initiator() const { return original_initiator_; }
    uint64_t spi_i() const { return spi_i_; }
    uint64_t spi_r() const { return spi_r_; }
    uint64_t local_spi() const { return original_initiator_ ? spi_i_ : spi_r_; }
    uint32_t unique_id() const { return unique_id_; }
    const IkePath& path() const { return path_; }
    const PeerConfig* config() const { return config_.get(); }
    const Identity& peer_id() const { return peer_id_; }
    const Identity& my_id() const { return my_id_; }
    const std::vector<ChildSa>& children() const { return children_; }
    bool nat_detected() const { return nat_here_ || nat_there_; }
    bool fragmentation_negotiated() const { return peer_supports_fragmentation_ && we_support_fragmentation(); }
    std::optional<Bytes> virtual_ip() const { return vip_; }
    const IkeSuite& suite() const { return suite_; }
    const std::string& close_reason() const { return close_reason_; }
    // Raw IKE_SA_INIT request for the half-open table (responder).
    const Bytes& init_request() const { return init_request_; }
    uint32_t peer_next_message_id() const { return peer_mid_; }
    uint32_t my_next_message_id() const { return my_mid_; }

    // Counters of dropped input by reason (debug log says which).
    struct Stats {
        uint64_t dropped = 0;
        uint64_t retransmitted_requests = 0;
        uint64_t retransmitted_responses = 0;
        uint64_t fragments_sent = 0;
        uint64_t fragments_received = 0;
    };
    const Stats& stats() const { return stats_; }

private:
    IkeSa(IkeSaEnv& env, bool original_initiator);

    enum class RequestKind { kIkeSaInit, kIkeAuth, kDpd, kDeleteIke, kDeleteChild, kCreateChild, kRekeyChild,
                             kRekeyIke };
    struct Task {
        RequestKind kind = RequestKind::kDpd;
        uint32_t child_spi = 0;    // kDeleteChild, kRekeyChild: our inbound SPI
        std::string child_name;    // kCreateChild
    };
    // The request we sent and wait for an answer to (window of one, §2.3).
    struct Outstanding {
        Task task;
        uint32_t message_id = 0;
        ExchangeType exchange = ExchangeType::kInformational;
        std::vector<Bytes> packets;
        int retransmits = 0;
        TimePoint deadline;
        // CREATE_CHILD_SA state
        Bytes nonce;
        std::optional<crypto::DhKeyPair> dh;
        uint32_t new_child_spi = 0;
        uint64_t new_ike_spi = 0;
        std::vector<Proposal> offered;
        std::vector<TrafficSelector> tsi, tsr;
        const ChildConfig* child_config = nullptr;
    };
    struct CachedResponse {
        uint32_t message_id = 0;
        std::vector<Bytes> packets;
    };

    // ike_sa.cpp: transport, message IDs, dispatch, INFORMATIONAL
    void fail(const std::string& reason);
    void close(const std::string& reason);
    void drop(const char* reason);
    void send_packets(const std::vector<Bytes>& packets);
    Result<std::vector<Bytes>> seal(const IkeHeader& header, const std::vector<Payload>& inner);
    IkeHeader make_header(ExchangeType exchange, uint32_t message_id, bool response) const;
    void send_request(Task task, ExchangeType exchange, const std::vector<Payload>& inner, Outstanding state);
    void send_response(const IkeHeader& request, const std::vector<Payload>& inner);
    void pump_tasks();
    void start_task(const Task& task);
    Result<std::optional<std::vector<Payload>>> decrypt(ByteView raw, const Message& msg, bool is_response);
    void handle_request(const IkeHeader& header, const std::vector<Payload>& inner);
    void handle_response(const IkeHeader& header, const std::vector<Payload>& inner);
    void handle_informational_request(const IkeHeader& header, const std::vector<Payload>& inner);
    void handle_informational_response(const std::vector<Payload>& inner);
    bool we_support_fragmentation() const;
    FragmentSizing fragment_sizing() const;
    void remove_child_at(size_t index);
    void remove_all_children();
    ChildSa* find_child_by_in(uint32_t spi);
    ChildSa* find_child_by_out(uint32_t spi);

    // ike_sa_init.cpp
    void send_init_request();
    void handle_init_request(ByteView raw, const Message& msg);
    void handle_init_response(ByteView raw, const Message& msg);
    void send_init_error(const Message& request, uint16_t notify, Bytes data);
    void check_nat(const Message& msg, uint64_t spi_r_for_hash);
    Status derive_keys(ByteView g_ir);
    std::vector<Payload> init_extension_notifies() const;
    void read_peer_extensions(const Message& msg);
    std::optional<Payload> certreq_payload(const std::vector<std::shared_ptr<const crypto::Certificate>>& trust) const;

    // ike_sa_lifetime.cpp: rekeying and expiry on our own schedule
    void schedule_child(ChildSa& child, const ChildConfig& config);
    void schedule_ike();
    void run_lifetimes(TimePoint now);
    void consider_lifetimes(const std::function<void(TimePoint)>& consider) const;
    Duration jitter(Duration up_to);

    // ike_sa_auth.cpp
    void send_auth_request();
    void handle_auth_request(const IkeHeader& header, const std::vector<Payload>& inner);
    // The rest of an IKE_AUTH request once its round decided (at once, or
    // after resume_auth for an external back-end).
    void answer_auth_request(const IkeHeader& header, const std::vector<Payload>& inner, bool first,
                             Result<AuthStatus> status);
    void refuse_auth(const IkeHeader& header, NotifyType n, const std::string& why);
    // RFC 4739 rounds of the responder's own (two responder certificates):
    // responder side, then the initiator's check of each and its end.
    void continue_responder_rounds(const IkeHeader& header, const std::vector<Payload>& inner);
    void establish_responder(const IkeHeader& header, const std::vector<Payload>& request, std::vector<Payload>& out);
    bool verify_peer_round(const std::vector<Payload>& inner, size_t round);
    void finish_initiator_rounds(const std::vector<Payload>& inner);
    // §2.21.2: our IKE_AUTH failed on the responder's answer; tell it.
    void send_auth_failed_notice();
    void handle_auth_response(const std::vector<Payload>& inner);
    AuthRoundContext auth_context(bool we_sign) const;
    void become_established();
    void handle_config_request(const ConfigPayload& cp, std::vector<Payload>& out);

    // ike_sa_child.cpp
    struct ChildOffer {  // what an initiator sends for a new CHILD_SA
        std::vector<Proposal> proposals;
        std::vector<TrafficSelector> tsi, tsr;
        uint32_t spi = 0;
    };
    Result<ChildOffer> make_child_offer(const ChildConfig& child);
    void fill_endpoints(ChildSa& child) const;
    // Responder half of a CHILD_SA negotiation; appends SA, TSi, TSr or an
    // error notify to `out`. ni/nr are the exchange's nonces.
    // allow_ke: CREATE_CHILD_SA (PFS with a KE payload); IKE_AUTH has none.
    // nonce_to_send: Nr for CREATE_CHILD_SA (placed after SA), empty in IKE_AUTH.
    void respond_child(const std::vector<Payload>& request, ByteView ni, ByteView nr, bool allow_ke,
                       const ChildConfig* forced, std::vector<Payload>& out, std::optional<uint32_t> replaces,
                       ByteView nonce_to_send);
    // Initiator half: the response's SA and TS, KEr with `dh` when PFS was offered.
    Status complete_child(const ChildConfig& config, const std::vector<Proposal>& offered, uint32_t our_spi,
                          const std::vector<Payload>& response, ByteView ni, ByteView nr,
                          const crypto::DhKeyPair* dh);
    void handle_create_child_request(const IkeHeader& header, const std::vector<Payload>& inner);
    void handle_create_child_response(const std::vector<Payload>& inner);
    void send_create_child(const Task& task);
    void handle_ike_rekey_request(const IkeHeader& header, const std::vector<Payload>& inner);
    void handle_ike_rekey_response(const std::vector<Payload>& inner);
    std::unique_ptr<IkeSa> make_successor(bool we_initiated, uint64_t new_spi_i, uint64_t new_spi_r,
                                          const IkeSuite& suite, const IkeSaKeys& keys);

    IkeSaEnv& env_;
    bool original_initiator_;
    IkeSaState state_ = IkeSaState::kCreated;
    uint32_t unique_id_;
    std::string close_reason_;
    uint64_t spi_i_ = 0;
    uint64_t spi_r_ = 0;
    IkePath path_;
    std::shared_ptr<const PeerConfig> config_;
    std::optional<std::string> initial_child_;  // initiator: child to create in IKE_AUTH
    Identity my_id_;
    Identity peer_id_;

    // IKE_SA_INIT
    Proposal ike_proposal_;
    IkeSuite suite_;
    std::optional<crypto::DhKeyPair> dh_;
    Bytes ni_, nr_;
    Bytes init_request_, init_response_;
    Bytes cookie_;
    int init_retries_ = 0;
    bool peer_supports_fragmentation_ = false;
    bool peer_supports_childless_ = false;
    std::vector<uint16_t> peer_hash_algorithms_;  // RFC 7427 §4
    bool nat_here_ = false;   // our address is translated
    bool nat_there_ = false;  // the peer's is
    IkeSaKeys keys_;
    std::optional<SkCipher> out_cipher_;
    std::optional<SkCipher> in_cipher_;

    // IKE_AUTH
    std::unique_ptr<LocalAuthenticator> local_auth_;
    std::unique_ptr<RemoteAuthenticator> remote_auth_;
    // An IKE_AUTH request whose round waits for an external back-end.
    struct PendingAuth {
        IkeHeader header;
        std::vector<Payload> inner;
        bool first = false;
    };
    std::optional<PendingAuth> pending_auth_;
    // RFC 4739 rounds of the responder: responder side, the request whose
    // SA/TS/CP the last of our rounds answers; initiator side, which of the
    // responder's rounds was verified and whether another follows.
    std::optional<std::vector<Payload>> responder_final_request_;
    size_t local_round_ = 0;
    size_t remote_round_ = 0;
    bool peer_more_rounds_ = false;
    bool awaiting_peer_round_ = false;
    bool peer_refused_auth_ = false;
    bool initial_contact_ = false;  // the peer's first IKE_AUTH said INITIAL_CONTACT
    bool send_initial_contact_ = true;  // its IKE_AUTH response said AUTHENTICATION_FAILED
    std::optional<Bytes> vip_;             // initiator: assigned; responder: leased to the peer
    std::vector<std::string> vip_pools_;   // responder: where vip_ came from
    ChildOffer auth_child_offer_;          // initiator: the child in IKE_AUTH
    const ChildConfig* auth_child_config_ = nullptr;

    // Message IDs and retransmission (§2.1, §2.3)
    uint32_t my_mid_ = 0;
    uint32_t peer_mid_ = 0;
    std::optional<Outstanding> outstanding_;
    std::deque<Task> tasks_;
    std::optional<CachedResponse> cached_response_;
    FragmentReassembler request_fragments_;
    FragmentReassembler response_fragments_;
    TimePoint created_;
    TimePoint last_inbound_;

    std::vector<ChildSa> children_;
    uint32_t next_child_id_ = 1;
    // IKE_SA rekey (§2.18) and hard expiry on our schedule (PeerConfig).
    std::optional<TimePoint> ike_rekey_at_;
    std::optional<TimePoint> ike_expire_at_;
    std::unique_ptr<IkeSa> successor_;
    std::vector<OutgoingDatagram> out_;
    Stats stats_;
};

}  // namespace lanyard::ike
