#include "common/secret.h"

#include <cstring>

#include "common/hex.h"
#include "common/log.h"

namespace lanyard {

void secure_wipe(void* data, size_t size) {
    if (data == nullptr || size == 0) return;
    explicit_bzero(data, size);
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
    if (this != &other) assign(other.view());
    return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        wipe();
        data_ = std::move(other.data_);
        other.data_.clear();
    }
    return *this;
}

void SecretBytes::wipe() {
    secure_wipe(data_.data(), data_.capacity() > 0 ? data_.size() : 0);
    data_.clear();
}

void SecretBytes::assign(ByteView data) {
    wipe();
    data_.assign(data.begin(), data.end());
}

void SecretBytes::append(ByteView data) {
    // Growing may reallocate: copy into a fresh buffer and wipe the old one.
    Bytes grown;
    grown.reserve(data_.size() + data.size());
    grown.insert(grown.end(), data_.begin(), data_.end());
    grown.insert(grown.end(), data.begin(), data.end());
    wipe();
    data_ = std::move(grown);
}

void SecretBytes::resize(size_t n) {
    if (n <= data_.size()) {
        secure_wipe(data_.data() + n, data_.size() - n);
        data_.resize(n);
        return;
    }
    Bytes grown(n, 0);
    if (!data_.empty()) std::memcpy(grown.data(), data_.data(), data_.size());
    wipe();
    data_ = std::move(grown);
}

std::string SecretBytes::to_log_string() const {
    if (log_keys_enabled()) return to_hex(view());
    return "[" + std::to_string(size()) + "-byte secret]";
}

}  // namespace lanyard
