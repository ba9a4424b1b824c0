// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/senml.h"

#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/core/json_depth.h"
#include "gateway/core/topic.h"
#include "gateway/core/units.h"

namespace passerelle {
namespace {

using nlohmann::json;

constexpr double kRelativeTimeLimit = 268435456.0;  // 2^28 seconds


Error record_error(std::size_t index, std::string_view message) {
    return make_error("senml.bad-record", fmt::format("record {}: {}", index, message));
}

struct BaseFields {
    std::string name;
    std::string unit;
    double time = 0.0;
    double value = 0.0;
};

// Reads an optional field of the expected JSON type; an error when present with another type.
template <typename T>
Result<std::optional<T>> optional_field(const json& record, const char* key, std::size_t index) {
    const auto it = record.find(key);
    if (it == record.end()) {
        return std::optional<T>{};
    }
    if constexpr (std::is_same_v<T, double>) {
        if (!it->is_number()) {
            return record_error(index, fmt::format("'{}' must be a number", key));
        }
        const double number = it->template get<double>();
        if (!std::isfinite(number)) {
            return record_error(index, fmt::format("'{}' must be a finite number", key));
        }
        return std::optional<T>{number};
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!it->is_boolean()) {
            return record_error(index, fmt::format("'{}' must be true or false", key));
        }
        return std::optional<T>{it->template get<bool>()};
    } else {
        if (!it->is_string()) {
            return record_error(index, fmt::format("'{}' must be a string", key));
        }
        return std::optional<T>{it->template get<std::string>()};
    }
}

#define PASSERELLE_TRY_FIELD(var, type, key)                                  \
    auto var##_result = optional_field<type>(record, key, index);             \
    if (!var##_result) {                                                      \
        return var##_result.error();                                          \
    }                                                                         \
    const std::optional<type>& var = *var##_result;

Result<SenmlRecord> resolve_record(const json& record, std::size_t index, BaseFields& base,
                                   Timestamp now) {
    if (!record.is_object()) {
        return record_error(index, "is not a JSON object");
    }
    for (const auto& [key, unused] : record.items()) {
        // Fields ending in '_' must be understood (RFC 8428 §4.4); we understand none.
        if (!key.empty() && key.back() == '_') {
            return record_error(index, fmt::format("unsupported must-understand field '{}'", key));
        }
    }
    PASSERELLE_TRY_FIELD(bn, std::string, "bn")
    PASSERELLE_TRY_FIELD(bt, double, "bt")
    PASSERELLE_TRY_FIELD(bu, std::string, "bu")
    PASSERELLE_TRY_FIELD(bv, double, "bv")
    PASSERELLE_TRY_FIELD(bver, double, "bver")
    PASSERELLE_TRY_FIELD(n, std::string, "n")
    PASSERELLE_TRY_FIELD(u, std::string, "u")
    PASSERELLE_TRY_FIELD(v, double, "v")
    PASSERELLE_TRY_FIELD(vs, std::string, "vs")
    PASSERELLE_TRY_FIELD(vb, bool, "vb")
    PASSERELLE_TRY_FIELD(t, double, "t")
    if (bver && *bver > 10) {
        return record_error(index, fmt::format("SenML version {} is not supported", *bver));
    }
    if (record.contains("vd")) {
        return record_error(index, "data values ('vd') are not supported");
    }
    if (bn) {
        base.name = *bn;
    }
    if (bt) {
        base.time = *bt;
    }
    if (bu) {
        base.unit = *bu;
    }
    if (bv) {
        base.value = *bv;
    }
    const int value_count = (v ? 1 : 0) + (vs ? 1 : 0) + (vb ? 1 : 0);
    if (value_count == 0) {
        return record_error(index, "has no value ('v', 'vs' or 'vb')");
    }
    if (value_count > 1) {
        return record_error(index, "has more than one of 'v', 'vs' and 'vb'");
    }
    SenmlRecord out;
    out.name = base.name + n.value_or("");
    out.unit = u.value_or(base.unit);
    if (v) {
        const double number = base.value + *v;
        if (!std::isfinite(number)) {
            return record_error(index, "value is not a finite number");
        }
        out.value = number;
    } else if (vs) {
        out.value = *vs;
    } else {
        out.value = *vb;
    }
    const double seconds = base.time + t.value_or(0.0);
    const double absolute =
        seconds < kRelativeTimeLimit ? to_epoch_seconds(now) + seconds : seconds;
    // A time before 2^28 (1978) would read as relative once encoded again, and no reading of
    // ours comes from then: a large negative relative time is a mistake, not history.
    const auto time =
        absolute < kRelativeTimeLimit ? std::nullopt : timestamp_from_epoch_seconds(absolute);
    if (!time) {
        return record_error(index, fmt::format("time {} is not a valid epoch time", seconds));
    }
    out.time = *time;
    return out;
}

#undef PASSERELLE_TRY_FIELD

}  // namespace

Result<std::vector<SenmlRecord>> decode_senml(std::string_view payload, Timestamp now,
                                              const SenmlLimits& limits) {
    if (payload.size() > limits.max_payload_bytes) {
        return make_error("senml.too-large",
                          fmt::format("payload of {} bytes exceeds the limit of {} bytes",
                                      payload.size(), limits.max_payload_bytes));
    }
    if (!json_nesting_within(payload, limits.max_depth)) {
        return make_error("senml.too-deep", fmt::format("JSON nested deeper than {} levels",
                                                        limits.max_depth));
    }
    json pack;
    try {
        pack = json::parse(payload);
    } catch (const json::exception& e) {
        // nlohmann prefixes its messages with "[json.exception.parse_error.101] "; keep the sentence.
        std::string_view what = e.what();
        what.remove_prefix(std::min(what.find("] ") + 2, what.size()));
        return make_error("senml.bad-json", fmt::format("invalid JSON: {}", what));
    }
    if (!pack.is_array()) {
        return make_error("senml.not-a-pack", "a SenML pack is a JSON array of records");
    }
    if (pack.empty()) {
        return make_error("senml.empty", "the SenML pack has no record");
    }
    if (pack.size() > limits.max_records) {
        return make_error("senml.too-many-records",
                          fmt::format("{} records exceed the limit of {}", pack.size(),
                                      limits.max_records));
    }
    std::vector<SenmlRecord> records;
    records.reserve(pack.size());
    BaseFields base;
    for (std::size_t i = 0; i < pack.size(); ++i) {
        auto record = resolve_record(pack[i], i, base, now);
        if (!record) {
            return record.error();
        }
        records.push_back(std::move(*record));
    }
    return records;
}

Result<std::vector<Reading>> decode_canonical(std::string_view topic, std::string_view payload,
                                              Timestamp now, const SenmlLimits& limits) {
    auto where = parse_canonical_topic(topic);
    if (!where) {
        return where.error();
    }
    auto records = decode_senml(payload, now, limits);
    if (!records) {
        return records.error();
    }
    std::vector<Reading> readings;
    readings.reserve(records->size());
    for (std::size_t i = 0; i < records->size(); ++i) {
        auto& record = (*records)[i];
        if (!record.name.empty() && record.name != where->quantity) {
            return make_error("senml.name-mismatch",
                              fmt::format("record {}: name '{}' does not match the topic's quantity "
                                          "'{}'",
                                          i, record.name, where->quantity));
        }
        if (!record.unit.empty() && !is_senml_unit(record.unit)) {
            const auto hint = senml_unit_hint(record.unit);
            return make_error(
                "senml.unknown-unit",
                fmt::format("record {}: unit '{}' is not in the SenML registry{}", i, record.unit,
                            hint ? fmt::format("; use {}", *hint) : std::string()));
        }
        readings.push_back(Reading{where->provider, where->entity, where->quantity,
                                   std::move(record.value), std::move(record.unit), record.time});
    }
    return readings;
}

std::string canonical_topic(const Reading& reading, bool is_signal) {
    return is_signal ? signal_topic(reading.provider, reading.entity)
                     : telemetry_topic(reading.provider, reading.entity, reading.quantity);
}

namespace {

json senml_record(const Reading& reading) {
    json record = {{"n", reading.quantity}};
    if (!reading.unit.empty()) {
        record["u"] = reading.unit;
    }
    std::visit(
        [&record](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, double>) {
                record["v"] = value;
            } else if constexpr (std::is_same_v<T, bool>) {
                record["vb"] = value;
            } else {
                record["vs"] = value;
            }
        },
        reading.value);
    record["t"] = to_epoch_seconds(reading.time);
    return record;
}

}  // namespace

std::string encode_senml(const Reading& reading) {
    return json::array({senml_record(reading)}).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode_recorded_reading(std::string_view topic, const Reading& reading) {
    json line = senml_record(reading);
    line["topic"] = std::string(topic);
    return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::pair<std::string, Reading>> decode_recorded_reading(std::string_view line) {
    json object;
    try {
        object = json::parse(line);
    } catch (const json::exception& e) {
        return make_error("recording.bad-json", fmt::format("invalid JSON: {}", e.what()));
    }
    if (!object.is_object() || !object.contains("topic") || !object["topic"].is_string()) {
        return make_error("recording.no-topic", "a recorded reading needs a \"topic\" string");
    }
    std::string topic = object["topic"].get<std::string>();
    object.erase("topic");
    // The reading's time is required in a recording: there is no "now" to fall back on.
    if (!object.contains("t")) {
        return make_error("recording.no-time", "a recorded reading needs its time \"t\"");
    }
    auto readings = decode_canonical(topic, json::array({object}).dump(), Timestamp{});
    if (!readings) {
        return readings.error();
    }
    return std::pair{std::move(topic), std::move(readings->front())};
}

void put_senml_value(nlohmann::json& record, const Value& value) {
    if (const auto* number = std::get_if<double>(&value)) {
        record["v"] = *number;
    } else if (const auto* text = std::get_if<std::string>(&value)) {
        record["vs"] = *text;
    } else {
        record["vb"] = std::get<bool>(value);
    }
}

}  // namespace passerelle
