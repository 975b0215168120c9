// IEEE 802.11-2020 §12.7.1.5 (GTK), §12.7.1.6 (IGTK), §12.7.6.4/§12.7.7
// key installation with reinstallation protection.
#include "eapol/group_keys.h"

#include "eapol/key_handshake.h"
#include "eapol/ptk.h"

namespace lanyard::eapol {

Result<GroupKeyAuthority> GroupKeyAuthority::create(uint32_t group_cipher, uint32_t group_management_cipher,
                                                    RandomSource& random) {
    if (cipher_key_length(group_cipher) == 0)
        return make_error(ErrorCode::kUnsupported, std::string("group cipher ") + cipher_suite_name(group_cipher));
    if (group_management_cipher != 0 && cipher_key_length(group_management_cipher) == 0)
        return make_error(ErrorCode::kUnsupported,
                          std::string("group management cipher ") + cipher_suite_name(group_management_cipher));
    GroupKeyAuthority authority(random);
    authority.keys_.group_cipher = group_cipher;
    authority.keys_.group_management_cipher = group_management_cipher;
    authority.generate(1, 4);
    return authority;
}

void GroupKeyAuthority::generate(uint8_t gtk_id, uint16_t igtk_id) {
    auto fresh_key = [this](size_t length) {
        SecretBytes key(length);
        do {
            random_->fill(key.span());
        } while (all_zero_key(key.view()));  // astronomically rare; never hand out zeros
        return key;
    };
    keys_.gtk.key_id = gtk_id;
    // §12.7.2 Figure 12-35: Tx is set only when the pairwise cipher is
    // "use group cipher suite"; never here (hostapd sends 0 too).
    keys_.gtk.tx = false;
    keys_.gtk.key = fresh_key(cipher_key_length(keys_.group_cipher));
    keys_.gtk_rsc = {};
    if (keys_.group_management_cipher != 0) {
        IgtkKde igtk;
        igtk.key_id = igtk_id;
        igtk.key = fresh_key(cipher_key_length(keys_.group_management_cipher));
        keys_.igtk = std::move(igtk);
    }
    ++generation_;
}

void GroupKeyAuthority::rekey() {
    generate(keys_.gtk.key_id == 1 ? 2 : 1, keys_.igtk && keys_.igtk->key_id == 4 ? 5 : 4);
}

Status GroupKeyAuthority::install(KeyInstaller& installer) const {
    KeyInstallRequest gtk;
    gtk.kind = KeyKind::kGroup;
    gtk.cipher_suite = keys_.group_cipher;
    gtk.key_index = keys_.gtk.key_id;
    gtk.peer = MacAddress::broadcast();
    gtk.key = keys_.gtk.key;
    gtk.rsc = keys_.gtk_rsc;
    LANYARD_TRY(installer.install_key(gtk));
    if (keys_.igtk) {
        KeyInstallRequest igtk;
        igtk.kind = KeyKind::kIntegrityGroup;
        igtk.cipher_suite = keys_.group_management_cipher;
        igtk.key_index = static_cast<uint8_t>(keys_.igtk->key_id);
        igtk.peer = MacAddress::broadcast();
        igtk.key = keys_.igtk->key;
        std::copy(keys_.igtk->ipn.begin(), keys_.igtk->ipn.end(), igtk.rsc.begin());
        LANYARD_TRY(installer.install_key(igtk));
    }
    return ok_status();
}

Result<GroupKeyReceiver::Outcome> GroupKeyReceiver::install_gtk(const GtkKde& gtk, const std::array<uint8_t, 8>& rsc) {
    if (all_zero_key(gtk.key.view())) return make_error(ErrorCode::kProtocol, "GTK of all zeros refused");
    if (gtk.key.size() != cipher_key_length(group_cipher_))
        return make_error(ErrorCode::kMalformed, "GTK length does not match the group cipher");
    if (gtk.key_id == 0) return make_error(ErrorCode::kMalformed, "GTK key ID 0");
    if (installed_gtk_ && *installed_gtk_ == gtk) return Outcome::kAlreadyInstalled;
    KeyInstallRequest request;
    request.kind = KeyKind::kGroup;
    request.cipher_suite = group_cipher_;
    request.key_index = gtk.key_id;
    request.peer = MacAddress::broadcast();
    request.key = gtk.key;
    request.rsc = rsc;
    LANYARD_TRY(installer_.install_key(request));
    installed_gtk_ = gtk;
    return Outcome::kInstalled;
}

Result<GroupKeyReceiver::Outcome> GroupKeyReceiver::install_igtk(const IgtkKde& igtk) {
    if (all_zero_key(igtk.key.view())) return make_error(ErrorCode::kProtocol, "IGTK of all zeros refused");
    if (igtk.key.size() != cipher_key_length(group_management_cipher_))
        return make_error(ErrorCode::kMalformed, "IGTK length does not match the group management cipher");
    if (igtk.key_id != 4 && igtk.key_id != 5) return make_error(ErrorCode::kMalformed, "IGTK key ID not 4 or 5");
    // Same key ID and key: a retransmission; the IPN in it must not rewind ours.
    if (installed_igtk_ && installed_igtk_->key_id == igtk.key_id &&
        equal_bytes(installed_igtk_->key.view(), igtk.key.view()))
        return Outcome::kAlreadyInstalled;
    KeyInstallRequest request;
    request.kind = KeyKind::kIntegrityGroup;
    request.cipher_suite = group_management_cipher_;
    request.key_index = static_cast<uint8_t>(igtk.key_id);
    request.peer = MacAddress::broadcast();
    request.key = igtk.key;
    std::copy(igtk.ipn.begin(), igtk.ipn.end(), request.rsc.begin());
    LANYARD_TRY(installer_.install_key(request));
    installed_igtk_ = igtk;
    return Outcome::kInstalled;
}

void GroupKeyReceiver::forget() {
    installed_gtk_.reset();
    installed_igtk_.reset();
}

}  // namespace lanyard::eapol
