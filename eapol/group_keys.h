// Group keys on both sides of the handshakes.
//
// GroupKeyAuthority (authenticator, one per BSS): the current GTK and, with
// management frame protection, IGTK. IEEE 802.11-2020 §12.7.1.5 lets the
// Authenticator derive the GTK from a GMK with a PRF "or" any method giving
// a random value; here both come straight from the injected RandomSource.
// rekey() alternates the key IDs (GTK 1/2, IGTK 4/5, §12.7.1.5/§12.7.1.6).
//
// GroupKeyReceiver (supplicant): installs GTK/IGTK received in message 3 or
// group message 1, and refuses to install again a key that is already in
// place (key reinstallation protection, the KRACK fix: a retransmitted
// message must not reset the receive sequence counter).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/mac_address.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret.h"
#include "drivers/key_installer.h"
#include "eapol/key_data.h"

namespace lanyard::eapol {

struct GroupKeys {
    uint32_t group_cipher = 0;
    GtkKde gtk;                        // key_id 1 or 2, tx clear
    std::array<uint8_t, 8> gtk_rsc{};  // sent as the Key RSC of message 3 / group message 1
    std::optional<IgtkKde> igtk;       // key_id 4 or 5, with MFP
    uint32_t group_management_cipher = 0;
};

class GroupKeyAuthority {
public:
    // group_management_cipher: 0 for no IGTK (no MFP), else e.g. BIP-CMAC-128.
    // Unsupported ciphers (no key length known) are kUnsupported.
    static Result<GroupKeyAuthority> create(uint32_t group_cipher, uint32_t group_management_cipher,
                                            RandomSource& random);

    const GroupKeys& current() const { return keys_; }
    // A fresh GTK (and IGTK) under the other key ID. The daemon installs it
    // (install()) and then starts a group key handshake with every station.
    void rekey();
    // Installs the current GTK/IGTK for transmission: kGroup and
    // kIntegrityGroup requests with the broadcast address.
    Status install(KeyInstaller& installer) const;
    // How many keys were generated (1 after create, +1 per rekey).
    uint64_t generation() const { return generation_; }

private:
    GroupKeyAuthority(RandomSource& random) : random_(&random) {}
    void generate(uint8_t gtk_id, uint16_t igtk_id);

    RandomSource* random_;
    GroupKeys keys_;
    uint64_t generation_ = 0;
};

class GroupKeyReceiver {
public:
    GroupKeyReceiver(KeyInstaller& installer, uint32_t group_cipher, uint32_t group_management_cipher)
        : installer_(installer), group_cipher_(group_cipher), group_management_cipher_(group_management_cipher) {}

    enum class Outcome : uint8_t { kInstalled, kAlreadyInstalled };
    // An all-zero key is kProtocol; a wrong key length kMalformed; an
    // installer failure its own error.
    Result<Outcome> install_gtk(const GtkKde& gtk, const std::array<uint8_t, 8>& rsc);
    Result<Outcome> install_igtk(const IgtkKde& igtk);
    // After a new association: nothing is installed any more.
    void forget();

private:
    KeyInstaller& installer_;
    uint32_t group_cipher_;
    uint32_t group_management_cipher_;
    std::optional<GtkKde> installed_gtk_;
    std::optional<IgtkKde> installed_igtk_;
};

}  // namespace lanyard::eapol
