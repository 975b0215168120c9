// Key material: a byte buffer that wipes itself and never prints its
// contents unless the debug-keys switch is on (DESIGN.md, style rule 4).
#pragma once

#include <string>

#include "common/bytes.h"

namespace lanyard {

// Overwrites memory in a way the optimizer may not remove.
void secure_wipe(void* data, size_t size);

class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(ByteView data) : data_(data.begin(), data.end()) {}
    explicit SecretBytes(size_t size) : data_(size, 0) {}
    SecretBytes(const SecretBytes& other) : data_(other.data_) {}
    SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) { other.data_.clear(); }
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes() { wipe(); }

    void wipe();
    void assign(ByteView data);
    void append(ByteView data);
    void resize(size_t n);

    size_t size() const { return data_.size(); }
    bool empty() const { return data_.empty(); }
    uint8_t* data() { return data_.data(); }
    const uint8_t* data() const { return data_.data(); }
    ByteView view() const { return ByteView(data_); }
    ByteView first(size_t n) const { return view().first(n); }
    ByteView subspan(size_t off, size_t n) const { return view().subspan(off, n); }
    std::span<uint8_t> span() { return std::span<uint8_t>(data_); }

    // Hex of the key when debug keys are on, "[N-byte secret]" otherwise.
    std::string to_log_string() const;

private:
    Bytes data_;
};

}  // namespace lanyard
