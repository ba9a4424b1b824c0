// SPDX-License-Identifier: Apache-2.0
// JSON pointers (RFC 6901) as mappings write them: checked when the configuration loads, so that
// reading a message only walks the already unescaped member names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle {

struct JsonPointer {
    std::string text;                 // as written: "/measures/0/t", "" for the whole document
    std::vector<std::string> tokens;  // unescaped: "~1" is '/', "~0" is '~'
};

/// Parses `text`: empty (the whole document) or '/'-separated reference tokens in which '~' is
/// only written "~0" or "~1". Errors (code json-pointer.syntax): "a JSON pointer starts with '/'
/// (or is empty for the whole document): 'temperature'", "'~2' at character 3 of '/a~2': '~' is
/// written '~0' and '/' is written '~1'".
Result<JsonPointer> parse_json_pointer(std::string_view text);

}  // namespace passerelle
