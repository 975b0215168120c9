// Hex encoding and decoding.
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.h"

namespace lanyard {

std::string to_hex(ByteView data);
// Accepts upper and lower case; ignores ':' and ' ' separators. An odd
// number of digits or a non-hex character is an error.
Result<Bytes> from_hex(std::string_view text);

}  // namespace lanyard
