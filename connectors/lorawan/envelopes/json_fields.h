// SPDX-License-Identifier: Apache-2.0
// Reading envelope fields with their JSON path in every error. Internal to the envelope parsers:
// a field error is thrown as FieldError and caught at the parser's entry, which returns it as a
// Result, so that each of the many optional fields costs one line rather than an if-return.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::lorawan::detail {

struct FieldError {
    Error error;
};

[[noreturn]] void fail(std::string code, std::string message);

/// Envelopes nest 4 levels; codec output (`object`, `decoded_payload`) a few more. The limit
/// keeps nlohmann's recursive parser from exhausting the stack on hostile input.
constexpr int kMaxEnvelopeDepth = 32;

/// The document as an object. Errors: lorawan.bad-json ("malformed JSON at byte 12: ...",
/// "JSON nested deeper than 32 levels", "an envelope is a JSON object, this is an array").
Result<nlohmann::json> parse_object(std::string_view text);

/// "string \"abc\"", "number 12", "an object": a value as error messages show it.
std::string describe(const nlohmann::json& value);

/// The member `key` of `object`, or nullptr when absent or null (protobuf's JSON mapping writes
/// null for a missing message).
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

// Each reads member `key` of `object`; `path` is the JSON path of that member, for errors
// (lorawan.bad-field). Absent or null gives nothing.
const nlohmann::json* object_member(const nlohmann::json& object, std::string_view key,
                                    std::string_view path);
const nlohmann::json* array_member(const nlohmann::json& object, std::string_view key,
                                   std::string_view path);
std::optional<std::string> text_member(const nlohmann::json& object, std::string_view key,
                                       std::string_view path);
/// A JSON number, or a decimal string as protobuf writes 64-bit integers; at most `max`.
std::optional<std::uint64_t> unsigned_member(const nlohmann::json& object, std::string_view key,
                                             std::string_view path, std::uint64_t max);
std::optional<double> number_member(const nlohmann::json& object, std::string_view key,
                                    std::string_view path);
/// An RFC 3339 time (parse_rfc3339).
std::optional<Timestamp> time_member(const nlohmann::json& object, std::string_view key,
                                     std::string_view path);
/// Hex of exactly `digits` digits, made lower case ("0004A30B001C0530" → "0004a30b001c0530").
std::optional<std::string> hex_member(const nlohmann::json& object, std::string_view key,
                                      std::string_view path, std::size_t digits);

}  // namespace passerelle::connectors::lorawan::detail
