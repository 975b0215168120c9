#include "methods/eap_config.h"

namespace lanyard::eap {

namespace {

// hostapd eap_user file semantics: "name" matches exactly, "prefix"* matches
// any identity starting with prefix, * matches everything.
bool identity_matches(const UserRecord& record, const std::string& identity) {
    if (record.wildcard) return true;
    if (record.identity_is_prefix) {
        return identity.size() >= record.identity.size() &&
               identity.compare(0, record.identity.size(), record.identity) == 0;
    }
    return identity == record.identity;
}

}  // namespace

// First match in file order wins; [2] records apply only in phase 2 and the
// others only in phase 1 (hostapd's eap_user_get).
const UserRecord* VectorUserDatabase::find(const std::string& identity, bool phase2) const {
    for (const UserRecord& record : records_) {
        if (record.phase2 != phase2) continue;
        if (identity_matches(record, identity)) return &record;
    }
    return nullptr;
}

}  // namespace lanyard::eap
