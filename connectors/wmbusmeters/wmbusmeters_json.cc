// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbusmeters/wmbusmeters_json.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "gateway/core/json_depth.h"
#include "gateway/core/rfc3339.h"
#include "gateway/core/senml.h"
#include "gateway/core/topic.h"

namespace passerelle::connectors::wmbusmeters {
namespace {

using nlohmann::ordered_json;  // keeps the message's field order for the readings

// wmbusmeters messages are flat; a little nesting is tolerated (and noted), deep nesting refused
// before the parser spends stack and memory on it.
constexpr int kMaxDepth = 8;

// wmbusmeters' named units (its src/units.h, plus a few older or plausible ones) and their SenML
// form. An empty unit: SenML has no counterpart; the field keeps its whole name.
constexpr auto kUnits = std::to_array<UnitConversion>({
    {"kwh", "kWh"},
    {"mwh", "kWh", 1000.0},
    {"wh", "Wh"},
    {"mj", "kWh", 1.0, 3.6},
    {"gj", "kWh", 1e6, 3600.0},  // 1 GJ = 10^9 J, 1 kWh = 3.6 * 10^6 J
    {"kvarh", "kvarh"},
    {"kvah", "kVAh"},
    {"kw", "kW"},
    {"w", "W"},
    {"kvar", "kvar"},
    {"kva", "kVA"},
    {"m3", "m3"},
    {"l", "l"},
    {"m3h", "m3/s", 1.0, 3600.0},
    {"lh", "l/s", 1.0, 3600.0},
    {"c", "Cel"},
    {"f", "Cel", 5.0, 9.0, -160.0 / 9.0},  // (F - 32) * 5 / 9
    {"k", "K"},
    {"v", "V"},
    {"a", "A"},
    {"hz", "Hz"},
    {"pa", "Pa"},
    {"bar", "Pa", 100000.0},
    {"s", "s"},
    {"min", "min"},
    {"h", "h"},
    {"d", "h", 24.0},
    {"m", "m"},  // metre in wmbusmeters since 2022; older releases used `m` for minutes
    {"kg", "kg"},
    {"mol", "mol"},
    {"cd", "cd"},
    {"deg", "deg"},
    {"rad", "rad"},
    {"rh", "%RH"},
    {"pct", "%"},
    {"dbm", "dBm"},
    {"counter", "count"},
    {"int", "count"},  // the counters of releases before 1.0 (`counter_a_int`)
    {"hca", ""},       // heat cost allocation units: relative, no physical unit
    {"m3c", ""},       // m3 x Cel, Kamstrup's forward/return "energy"
    {"m3ch", ""},
    {"nr", ""},
    {"factor", ""},
    {"month", ""},  // months and years vary in length: no conversion to seconds
    {"y", ""},
    {"ut", ""},  // points in time: Unix seconds, or local/UTC date texts
    {"utc", ""},
    {"datetime", ""},
    {"date", ""},
    {"time", ""},
    {"txt", ""},
});

// Identity and metadata: not readings.
constexpr auto kMetadata = std::to_array<std::string_view>({
    "_",
    "id",
    "meter",
    "driver",
    "media",
    "name",
    "device",
    "rssi_dbm",
    "timestamp",
    "timestamp_ut",
    "timestamp_utc",
    "timestamp_lt",
});

bool is_metadata(std::string_view field) {
    return std::find(kMetadata.begin(), kMetadata.end(), field) != kMetadata.end();
}

// "a number", "an array"...: how a JSON value's kind reads in a message.
std::string kind_of(const ordered_json& value) {
    if (value.is_number()) {
        return "a number";
    }
    if (value.is_array()) {
        return "an array";
    }
    if (value.is_object()) {
        return "an object";
    }
    if (value.is_boolean()) {
        return "a boolean";
    }
    if (value.is_null()) {
        return "null";
    }
    return "a string";
}

// An identity text: absent stays empty; another kind is noted, not an error (the id is).
std::string identity_text(const ordered_json& message, const char* field,
                          std::vector<std::string>& notes) {
    const auto it = message.find(field);
    if (it == message.end() || it->is_null()) {
        return {};
    }
    if (!it->is_string()) {
        notes.push_back(fmt::format("'{}' is {}, not a string: ignored", field, kind_of(*it)));
        return {};
    }
    return it->get<std::string>();
}

MeterIdentity read_identity(const ordered_json& message, std::vector<std::string>& notes) {
    MeterIdentity identity;
    identity.id = message.at("id").get<std::string>();
    identity.driver = identity_text(message, "meter", notes);
    if (identity.driver.empty()) {
        identity.driver = identity_text(message, "driver", notes);  // its name since 2025
    }
    identity.media = identity_text(message, "media", notes);
    identity.name = identity_text(message, "name", notes);
    identity.device = identity_text(message, "device", notes);
    if (const auto rssi = message.find("rssi_dbm"); rssi != message.end()) {
        if (rssi->is_number()) {
            identity.rssi_dbm = rssi->get<double>();
        } else {
            notes.push_back(fmt::format("'rssi_dbm' is {}, not a number: ignored", kind_of(*rssi)));
        }
    }
    const std::string timestamp = identity_text(message, "timestamp", notes);
    if (!timestamp.empty()) {
        identity.timestamp = parse_rfc3339(timestamp);
        if (!identity.timestamp) {
            notes.push_back(
                fmt::format("'timestamp' \"{}\" is not an RFC 3339 time in years 1970-9999: the "
                            "message has no time",
                            timestamp));
        }
    }
    return identity;
}

// The unit suffix of a field: the text after its last '_'.
std::pair<std::string_view, std::string_view> split_suffix(std::string_view field) {
    const std::size_t underscore = field.rfind('_');
    if (underscore == std::string_view::npos || underscore == 0) {
        return {field, {}};
    }
    return {field.substr(0, underscore), field.substr(underscore + 1)};
}

class ReadingBuilder {
public:
    explicit ReadingBuilder(MeterMessage& message) : message_(message) {}

    void add(const std::string& field, const ordered_json& value) {
        if (value.is_number()) {
            add_number(field, value.get<double>());
        } else if (value.is_string()) {
            const auto [base, suffix] = split_suffix(field);
            if (const auto unit = unit_conversion(suffix); unit && !unit->unit.empty()) {
                note(fmt::format("field '{}': text in a field with unit '{}': kept as text", field,
                                 suffix));
            }
            push(field, field, value.get<std::string>(), "");
        } else if (value.is_boolean()) {
            push(field, field, value.get<bool>(), "");
        } else if (value.is_null()) {
            note(fmt::format("field '{}': null, no reading", field));
        } else {
            note(fmt::format("field '{}': {} is not a reading", field, kind_of(value)));
        }
    }

private:
    void add_number(const std::string& field, double number) {
        const auto [base, suffix] = split_suffix(field);
        const auto unit = unit_conversion(suffix);
        if (!unit) {
            note(suffix.empty()
                     ? fmt::format("field '{}': unknown unit (no suffix); kept whole, without a "
                                   "unit",
                                   field)
                     : fmt::format("field '{}': unknown unit '{}'; kept whole, without a unit",
                                   field, suffix));
            push(field, field, number, "");
            return;
        }
        if (unit->unit.empty()) {
            note(fmt::format(
                "field '{}': wmbusmeters unit '{}' has no SenML counterpart; kept whole, "
                "without a unit",
                field, suffix));
            push(field, field, number, "");
            return;
        }
        const double converted = number * unit->multiply / unit->divide + unit->offset;
        push(field, std::string(base), converted, std::string(unit->unit));
    }

    void push(const std::string& field, std::string quantity, Value value, std::string unit) {
        std::string level = as_topic_level(quantity);
        if (level != quantity) {
            note(fmt::format("field '{}': name made one topic level: '{}'", field, level));
        }
        if (used_.contains(level) && quantity != field) {
            std::string whole = as_topic_level(field);
            note(fmt::format("field '{}': '{}' is taken; named '{}'", field, level, whole));
            level = std::move(whole);
        }
        if (used_.contains(level)) {
            note(fmt::format("field '{}': '{}' is taken; no reading", field, level));
            return;
        }
        used_.insert(level);
        message_.readings.push_back(
            MeterReading{field, std::move(level), std::move(value), std::move(unit)});
    }

    void note(std::string text) { message_.notes.push_back(std::move(text)); }

    MeterMessage& message_;
    std::unordered_set<std::string> used_;
};

nlohmann::json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::optional<UnitConversion> unit_conversion(std::string_view suffix) {
    for (const UnitConversion& unit : kUnits) {
        if (unit.suffix == suffix) {
            return unit;
        }
    }
    return std::nullopt;
}

Result<MeterMessage> parse_wmbusmeters_json(std::string_view text) {
    if (!json_nesting_within(text, kMaxDepth)) {
        return make_error("wmbusmeters.too-deep",
                          fmt::format("JSON nested deeper than {} levels", kMaxDepth));
    }
    ordered_json message;
    try {
        message = ordered_json::parse(text);
    } catch (const ordered_json::parse_error& e) {
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ...":
        // the position is given as a byte offset, the sentence after it is kept.
        std::string_view what = e.what();
        const std::size_t column = what.find(", column ");
        const std::size_t sentence =
            column == std::string_view::npos ? what.find("] ") : what.find(": ", column);
        what.remove_prefix(std::min(sentence + 2, what.size()));
        return make_error("wmbusmeters.bad-json",
                          fmt::format("malformed JSON at byte {}: {}", e.byte, what));
    } catch (const ordered_json::exception& e) {
        std::string_view what = e.what();
        what.remove_prefix(std::min(what.find("] ") + 2, what.size()));
        return make_error("wmbusmeters.bad-json", fmt::format("malformed JSON: {}", what));
    }
    if (!message.is_object()) {
        return make_error(
            "wmbusmeters.not-object",
            fmt::format("a wmbusmeters message is a JSON object, this is {}", kind_of(message)));
    }
    if (const auto kind = message.find("_"); kind != message.end() && *kind != "telegram") {
        return make_error(
            "wmbusmeters.not-telegram",
            fmt::format("'_' is {}, not \"telegram\": not a meter reading",
                        kind->dump(-1, ' ', false, ordered_json::error_handler_t::replace)));
    }
    const auto id = message.find("id");
    if (id == message.end()) {
        return make_error("wmbusmeters.missing-id",
                          "no 'id' field: every wmbusmeters telegram names its meter");
    }
    if (!id->is_string() || id->get_ref<const std::string&>().empty()) {
        return make_error(
            "wmbusmeters.bad-id",
            fmt::format("'id' must be a non-empty string, got {} {}", kind_of(*id),
                        id->dump(-1, ' ', false, ordered_json::error_handler_t::replace)));
    }
    MeterMessage result;
    result.identity = read_identity(message, result.notes);
    ReadingBuilder readings(result);
    for (const auto& [field, value] : message.items()) {
        if (field == "rssi_dbm" && value.is_number()) {
            readings.add("rssi_dbm", value);  // also a reading: rules on weak signals
        } else if (!is_metadata(field)) {
            readings.add(field, value);
        }
    }
    return result;
}

std::vector<Reading> to_readings(const MeterMessage& message, std::string_view provider,
                                 std::string_view entity, Timestamp received) {
    std::vector<Reading> readings;
    readings.reserve(message.readings.size());
    const Timestamp time = message.identity.timestamp.value_or(received);
    for (const MeterReading& reading : message.readings) {
        readings.push_back(Reading{std::string(provider), std::string(entity), reading.quantity,
                                   reading.value, reading.unit, time});
    }
    return readings;
}

nlohmann::json to_json(const MeterMessage& message) {
    const MeterIdentity& identity = message.identity;
    nlohmann::json readings = nlohmann::json::array();
    for (const MeterReading& reading : message.readings) {
        nlohmann::json item = {{"field", reading.field}, {"n", reading.quantity}};
        if (!reading.unit.empty()) {
            item["u"] = reading.unit;
        }
        put_senml_value(item, reading.value);
        readings.push_back(std::move(item));
    }
    return {
        {"codec", "wmbusmeters"},
        {"id", identity.id},
        {"meter", text_or_null(identity.driver)},
        {"media", text_or_null(identity.media)},
        {"name", text_or_null(identity.name)},
        {"device", text_or_null(identity.device)},
        {"rssi_dbm", identity.rssi_dbm ? nlohmann::json(*identity.rssi_dbm) : nullptr},
        {"timestamp",
         identity.timestamp ? nlohmann::json(format_utc(*identity.timestamp)) : nullptr},
        {"readings", std::move(readings)},
        {"notes", message.notes},
    };
}

nlohmann::json senml_pack(const MeterMessage& message, std::string_view base_name) {
    nlohmann::json pack = nlohmann::json::array();
    for (const MeterReading& reading : message.readings) {
        nlohmann::json item = nlohmann::json::object();
        if (pack.empty()) {
            if (!base_name.empty()) {
                item["bn"] = std::string(base_name);
            }
            if (message.identity.timestamp) {
                item["bt"] = to_epoch_seconds(*message.identity.timestamp);
            }
        }
        item["n"] = reading.quantity;
        if (!reading.unit.empty()) {
            item["u"] = reading.unit;
        }
        put_senml_value(item, reading.value);
        pack.push_back(std::move(item));
    }
    return pack;
}

}  // namespace passerelle::connectors::wmbusmeters
