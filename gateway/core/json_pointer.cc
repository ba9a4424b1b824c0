// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/json_pointer.h"

#include <fmt/format.h>

namespace passerelle {

Result<JsonPointer> parse_json_pointer(std::string_view text) {
    JsonPointer pointer{std::string(text), {}};
    if (text.empty()) {
        return pointer;
    }
    if (text.front() != '/') {
        return make_error("json-pointer.syntax",
                          fmt::format("a JSON pointer starts with '/' (or is empty for the whole "
                                      "document): '{}'; did you mean '/{}'?",
                                      text, text));
    }
    std::string token;
    for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '/') {
            pointer.tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        if (text[i] != '~') {
            token += text[i];
            continue;
        }
        const char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (next != '0' && next != '1') {
            return make_error("json-pointer.syntax",
                              fmt::format("'{}' at character {} of '{}': '~' is written '~0' and "
                                          "'/' is written '~1'",
                                          text.substr(i, next == '\0' ? 1 : 2), i + 1, text));
        }
        token += next == '0' ? '~' : '/';
        ++i;
    }
    return pointer;
}

}  // namespace passerelle
