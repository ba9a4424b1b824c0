// SPDX-License-Identifier: Apache-2.0
// Envelope fields read from JsonScanner tokens, for the fast path of the envelope parsers: the
// same rules as json_fields.h, but any value those rules would refuse (or that the fast path does
// not handle, such as a member given twice) throws Decline, and the DOM reader then parses the
// text again and words the error. The fast path never words an error of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/lorawan/envelopes/json_scanner.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::lorawan::detail {

struct Decline {};

[[noreturn]] void decline();

/// Neither absent nor null: protobuf's JSON mapping writes null for a missing message.
inline bool present(const JsonToken& token) {
    return token.kind != JsonKind::Absent && token.kind != JsonKind::Null;
}

/// Calls `on_member(key)` for each member of the object the scanner is at; `on_member` consumes
/// the member's value.
template <typename OnMember>
void scan_members(JsonScanner& scanner, OnMember&& on_member) {
    if (!scanner.begin_object()) {
        decline();
    }
    std::string_view key;
    while (true) {
        const JsonScanner::Step step = scanner.next_member(key);
        if (step == JsonScanner::Step::End) {
            return;
        }
        if (step == JsonScanner::Step::Invalid) {
            decline();
        }
        on_member(key);
    }
}

/// The next value, whole.
JsonToken take(JsonScanner& scanner);

/// Stores the next value in `slot`; a member seen twice declines (nlohmann keeps the last one).
void capture(JsonScanner& scanner, JsonToken& slot);

/// An object member the parser reads into: `on_member` for each of its members when it is an
/// object (`seen` then Object), nothing when null; anything else declines.
template <typename OnMember>
void scan_object_member(JsonScanner& scanner, JsonToken& seen, OnMember&& on_member) {
    if (seen.kind != JsonKind::Absent) {
        decline();
    }
    if (scanner.at_object()) {
        seen.kind = JsonKind::Object;
        scan_members(scanner, on_member);
        return;
    }
    seen = take(scanner);
    if (seen.kind != JsonKind::Null) {
        decline();
    }
}

/// An array of objects: `on_object(index)` at each element, which then scans it with
/// scan_members; an element that is no object declines.
template <typename OnObject>
void scan_object_array(JsonScanner& scanner, JsonToken& seen, OnObject&& on_object) {
    if (seen.kind != JsonKind::Absent) {
        decline();
    }
    if (!scanner.at_array()) {
        seen = take(scanner);
        if (seen.kind != JsonKind::Null) {
            decline();
        }
        return;
    }
    seen.kind = JsonKind::Array;
    scanner.begin_array();
    for (std::size_t index = 0;; ++index) {
        const JsonScanner::Step step = scanner.next_element();
        if (step == JsonScanner::Step::End) {
            return;
        }
        if (step == JsonScanner::Step::Invalid || !scanner.at_object()) {
            decline();
        }
        on_object(index);
    }
}

// The values of json_fields.h's text_member, unsigned_member, number_member, time_member and
// hex_member, from a token; absent or null gives nothing.
std::optional<std::string> scanned_text(const JsonToken& token);
std::optional<std::uint64_t> scanned_unsigned(const JsonToken& token, std::uint64_t max);
std::optional<double> scanned_number(const JsonToken& token);
std::optional<Timestamp> scanned_time(const JsonToken& token);
std::optional<std::string> scanned_hex(const JsonToken& token, std::size_t digits);
/// A base64 payload (decode_base64); empty when absent.
std::vector<std::uint8_t> scanned_base64(const JsonToken& token);
/// A value the uplink keeps as a document (the server's codec output); nothing when absent.
std::optional<nlohmann::json> scanned_document(const JsonToken& token);

}  // namespace passerelle::connectors::lorawan::detail
