#include "methods/peap_registry.h"

namespace lanyard::eap {

MethodRegistry peap_inner_registry() {
    std::vector<MethodEntry> entries;
    for (const MethodEntry& e : MethodRegistry::builtin().entries()) {
        if (e.tunnelled || e.type == Type::kPeap || e.type == Type::kTtls) continue;
        entries.push_back(e);
    }
    return MethodRegistry(std::move(entries));
}

}  // namespace lanyard::eap
