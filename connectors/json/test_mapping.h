// SPDX-License-Identifier: Apache-2.0
// Building mappings in unit tests without the YAML loader.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "gateway/core/field_mapping.h"

namespace passerelle::connectors::json::testing {

inline JsonPointer pointer(const std::string& text) {
    auto parsed = parse_json_pointer(text);
    REQUIRE(parsed);
    return *parsed;
}

inline TextSource constant(std::string name) {
    return {TextSource::Kind::Constant, std::move(name), 0, {}};
}

inline TextSource segment(std::size_t level) {
    return {TextSource::Kind::TopicSegment, "", level, {}};
}

inline TextSource member(const std::string& text) {
    return {TextSource::Kind::Pointer, "", 0, pointer(text)};
}

inline FieldSpec field(TextSource quantity, const std::string& at, std::string unit,
                       double scale = 1.0, double offset = 0.0) {
    return {
        std::move(quantity), pointer(at), std::move(unit), std::nullopt, scale, offset, false, {}};
}

}  // namespace passerelle::connectors::json::testing
