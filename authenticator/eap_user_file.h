// hostapd's eap_user file (hostapd.eap_user), read as hostapd reads it
// (hostapd/config_file.c, hostapd_config_read_eap_user):
//
//   "identity"   METHOD[,METHOD...]  ["password" | hash:<32 hex> | <hex>]  [[2]]
//   "prefix"*    METHOD...           (any identity starting with prefix)
//   *            METHOD...           (any identity)
//   "name"       PEAP [ver=0]        (force the PEAP version for this identity)
//
// '#' in column 0 starts a comment; blank lines are skipped; a '#' after the
// last field starts a comment too. TTLS-PAP, TTLS-CHAP, TTLS-MSCHAP and
// TTLS-MSCHAPV2 name non-EAP inner methods of EAP-TTLS; MACACL marks a RADIUS
// MAC ACL entry. Records keep file order: the first match wins.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/config_lexer.h"
#include "common/result.h"
#include "methods/eap_config.h"

namespace lanyard::authenticator {

// EAP-TTLS non-EAP inner methods allowed for a user (hostapd's ttls_auth).
enum TtlsInnerAuth : unsigned {
    kTtlsPap = 1u << 0,
    kTtlsChap = 1u << 1,
    kTtlsMschap = 1u << 2,
    kTtlsMschapV2 = 1u << 3,
};

// What a record says beyond eap::UserRecord, index for index.
struct EapUserEntry {
    size_t line = 0;        // where the record is, for messages
    unsigned ttls_auth = 0; // TtlsInnerAuth bits
    bool macacl = false;    // MACACL: a RADIUS MAC ACL entry
};

struct EapUserFile {
    std::vector<eap::UserRecord> records;   // file order
    std::vector<EapUserEntry> entries;      // entries[i] belongs to records[i]
    std::vector<config::Warning> warnings;  // "not yet supported" and similar; log them

    // Moves the records into the database the EAP server looks users up in.
    eap::VectorUserDatabase take_database();
};

// hostapd keeps at most this many EAP methods per user (EAP_MAX_METHODS);
// further ones are dropped with a warning.
inline constexpr size_t kMaxMethodsPerUser = 8;

// Parses the text of an eap_user file; file_name is only used in messages.
Result<EapUserFile> parse_eap_user_file(std::string_view text, std::string_view file_name);
// Reads and parses a file.
Result<EapUserFile> load_eap_user_file(const std::string& path);

}  // namespace lanyard::authenticator
