// Byte buffers and the bounds-checked reader and writer that every parser
// and serializer in Lanyard uses. A read past the end is an error value,
// never undefined behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace lanyard {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView as_bytes(std::string_view s) {
    return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string to_string(ByteView b) { return std::string(b.begin(), b.end()); }
inline Bytes concat(ByteView a, ByteView b) {
    Bytes out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}
inline bool equal_bytes(ByteView a, ByteView b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}
// Constant-time comparison for MACs and authenticators.
bool constant_time_equal(ByteView a, ByteView b);

// Reads big-endian (network order) fields from a view. Each read either
// succeeds and advances, or fails and leaves the position unchanged.
class ByteReader {
public:
    explicit ByteReader(ByteView data) : data_(data) {}

    size_t remaining() const { return data_.size() - pos_; }
    size_t position() const { return pos_; }
    bool empty() const { return remaining() == 0; }

    Result<uint8_t> u8();
    Result<uint16_t> u16();
    Result<uint32_t> u24();
    Result<uint32_t> u32();
    Result<uint64_t> u64();
    Result<uint16_t> u16le();
    // A view of the next n bytes (valid while the underlying data lives).
    Result<ByteView> bytes(size_t n);
    // Copies the next n bytes into out (which must hold n bytes).
    Status copy_to(std::span<uint8_t> out);
    Status skip(size_t n);
    // Everything not read yet; always succeeds.
    ByteView rest();
    // A reader over the next n bytes, for nested length-prefixed structures.
    Result<ByteReader> sub_reader(size_t n);
    ByteView peek_rest() const { return data_.subspan(pos_); }

private:
    Error short_read(size_t wanted) const;

    ByteView data_;
    size_t pos_ = 0;
};

// Appends big-endian fields to a growing buffer.
class ByteWriter {
public:
    ByteWriter() = default;
    explicit ByteWriter(size_t reserve) { out_.reserve(reserve); }

    ByteWriter& u8(uint8_t v);
    ByteWriter& u16(uint16_t v);
    ByteWriter& u24(uint32_t v);
    ByteWriter& u32(uint32_t v);
    ByteWriter& u64(uint64_t v);
    ByteWriter& u16le(uint16_t v);
    ByteWriter& bytes(ByteView v);
    ByteWriter& str(std::string_view s) { return bytes(as_bytes(s)); }
    ByteWriter& zeros(size_t n);

    // Overwrites a u16 that was written earlier (length fields).
    void patch_u16(size_t offset, uint16_t v);
    void patch_u24(size_t offset, uint32_t v);
    void patch_u32(size_t offset, uint32_t v);

    size_t size() const { return out_.size(); }
    const Bytes& view() const { return out_; }
    Bytes take() { return std::move(out_); }

private:
    Bytes out_;
};

}  // namespace lanyard
