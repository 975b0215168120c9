#include "common/bytes.h"

#include <algorithm>

namespace lanyard {

bool constant_time_equal(ByteView a, ByteView b) {
    if (a.size() != b.size()) return false;
    uint8_t diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
    return diff == 0;
}

Error ByteReader::short_read(size_t wanted) const {
    return make_error(ErrorCode::kTruncated, "need " + std::to_string(wanted) + " bytes at offset " +
                                                 std::to_string(pos_) + ", have " +
                                                 std::to_string(remaining()));
}

Result<uint8_t> ByteReader::u8() {
    if (remaining() < 1) return short_read(1);
    return data_[pos_++];
}

Result<uint16_t> ByteReader::u16() {
    if (remaining() < 2) return short_read(2);
    uint16_t v = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
}

Result<uint16_t> ByteReader::u16le() {
    if (remaining() < 2) return short_read(2);
    uint16_t v = static_cast<uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
}

Result<uint32_t> ByteReader::u24() {
    if (remaining() < 3) return short_read(3);
    uint32_t v = (uint32_t{data_[pos_]} << 16) | (uint32_t{data_[pos_ + 1]} << 8) | data_[pos_ + 2];
    pos_ += 3;
    return v;
}

Result<uint32_t> ByteReader::u32() {
    if (remaining() < 4) return short_read(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += 4;
    return v;
}

Result<uint64_t> ByteReader::u64() {
    if (remaining() < 8) return short_read(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += 8;
    return v;
}

Result<ByteView> ByteReader::bytes(size_t n) {
    if (remaining() < n) return short_read(n);
    ByteView v = data_.subspan(pos_, n);
    pos_ += n;
    return v;
}

Status ByteReader::copy_to(std::span<uint8_t> out) {
    if (remaining() < out.size()) return short_read(out.size());
    std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(pos_), out.size(), out.begin());
    pos_ += out.size();
    return ok_status();
}

Status ByteReader::skip(size_t n) {
    if (remaining() < n) return short_read(n);
    pos_ += n;
    return ok_status();
}

ByteView ByteReader::rest() {
    ByteView v = data_.subspan(pos_);
    pos_ = data_.size();
    return v;
}

Result<ByteReader> ByteReader::sub_reader(size_t n) {
    auto v = bytes(n);
    if (!v) return v.error();
    return ByteReader(*v);
}

ByteWriter& ByteWriter::u8(uint8_t v) {
    out_.push_back(v);
    return *this;
}

ByteWriter& ByteWriter::u16(uint16_t v) {
    out_.push_back(static_cast<uint8_t>(v >> 8));
    out_.push_back(static_cast<uint8_t>(v));
    return *this;
}

ByteWriter& ByteWriter::u16le(uint16_t v) {
    out_.push_back(static_cast<uint8_t>(v));
    out_.push_back(static_cast<uint8_t>(v >> 8));
    return *this;
}

ByteWriter& ByteWriter::u24(uint32_t v) {
    out_.push_back(static_cast<uint8_t>(v >> 16));
    out_.push_back(static_cast<uint8_t>(v >> 8));
    out_.push_back(static_cast<uint8_t>(v));
    return *this;
}

ByteWriter& ByteWriter::u32(uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
    return *this;
}

ByteWriter& ByteWriter::u64(uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
    return *this;
}

ByteWriter& ByteWriter::bytes(ByteView v) {
    out_.insert(out_.end(), v.begin(), v.end());
    return *this;
}

ByteWriter& ByteWriter::zeros(size_t n) {
    out_.insert(out_.end(), n, 0);
    return *this;
}

void ByteWriter::patch_u16(size_t offset, uint16_t v) {
    assert(offset + 2 <= out_.size());
    out_[offset] = static_cast<uint8_t>(v >> 8);
    out_[offset + 1] = static_cast<uint8_t>(v);
}

void ByteWriter::patch_u24(size_t offset, uint32_t v) {
    assert(offset + 3 <= out_.size());
    out_[offset] = static_cast<uint8_t>(v >> 16);
    out_[offset + 1] = static_cast<uint8_t>(v >> 8);
    out_[offset + 2] = static_cast<uint8_t>(v);
}

void ByteWriter::patch_u32(size_t offset, uint32_t v) {
    assert(offset + 4 <= out_.size());
    for (int i = 0; i < 4; ++i) out_[offset + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

}  // namespace lanyard
