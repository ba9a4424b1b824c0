// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: the input's first line is a JSON pointer, the rest one JSON message, read by
// mappings of every shape (whole message or records, names from the topic or the message, units
// given or read, each time format), the fuzzed pointer in each role. Reading must give readings
// of registry entities with identifier names, finite numbers and SenML units, or errors with a
// known code and a message; and a pointer that does not parse must be refused.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/json/message_adapter.h"
#include "gateway/core/topic.h"
#include "gateway/core/units.h"

namespace {

using namespace passerelle;                    // NOLINT(google-build-using-namespace)
using namespace passerelle::connectors::json;  // NOLINT(google-build-using-namespace)

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

bool known_code(const std::string& code) {
    for (const char* known : {"json.bad-json", "json.not-object", "json.missing-field",
                              "json.bad-field", "json.bad-value", "json.bad-name",
                              "json.unknown-unit", "json.bad-time", "device.unknown"}) {
        if (code == known) {
            return true;
        }
    }
    return false;
}

JsonPointer at(std::string_view text) {
    auto pointer = parse_json_pointer(text);
    require(pointer.has_value());
    return *pointer;
}

TextSource from_member(const JsonPointer& pointer) {
    return {TextSource::Kind::Pointer, "", 0, pointer};
}

FieldSpec field(TextSource quantity, JsonPointer pointer, std::string unit) {
    return {std::move(quantity),
            std::move(pointer),
            std::move(unit),
            std::nullopt,
            0.1,
            2.0,
            false,
            {}};
}

const Territory& territory() {
    static const Territory kTerritory = [] {
        Territory territory;
        for (const char* id : {"hs-a-101", "hs-a-102"}) {
            Entity entity;
            entity.id = id;
            entity.provider = "habitat-sud";
            territory.entities.add(std::move(entity));
        }
        return territory;
    }();
    return kTerritory;
}

std::vector<Mapping> mappings(const JsonPointer& fuzzed) {
    const TextSource level{TextSource::Kind::TopicSegment, "", 1, {}};
    const TextSource temperature{TextSource::Kind::Constant, "temperature", 0, {}};
    std::vector<Mapping> all;
    // The whole message, names from the topic, the fuzzed pointer as the value and as the time.
    Mapping flat{{"capteurs/+/mesure"},
                 level,
                 std::nullopt,
                 std::nullopt,
                 {field(temperature, fuzzed, "Cel"), field(temperature, at("/t"), "Cel")},
                 {}};
    all.push_back(flat);
    for (const TimeFormat format :
         {TimeFormat::Rfc3339, TimeFormat::UnixSeconds, TimeFormat::UnixMilliseconds}) {
        flat.time = TimeSpec{fuzzed, format};
        all.push_back(flat);
    }
    // Records at the fuzzed pointer, entity and quantity and unit from each record.
    FieldSpec read_unit = field(from_member(at("/kind")), at("/v"), "");
    read_unit.unit_pointer = at("/u");
    read_unit.optional = true;
    all.push_back({{"lot"},
                   from_member(at("/device")),
                   fuzzed,
                   TimeSpec{at("/ts"), TimeFormat::UnixMilliseconds},
                   {read_unit},
                   {}});
    // Records at /measures, the fuzzed pointer naming the entity and the quantity.
    all.push_back({{"lot"},
                   from_member(fuzzed),
                   at("/measures"),
                   std::nullopt,
                   {field(from_member(fuzzed), at("/v"), "%RH")},
                   {}});
    return all;
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view pointer_text = input.substr(0, newline);
    const std::string_view payload =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    auto pointer = parse_json_pointer(pointer_text);
    if (!pointer) {
        require(pointer.error().code == "json-pointer.syntax");
        require(!pointer.error().message.empty());
        return 0;
    }
    const Timestamp received = *timestamp_from_epoch_seconds(1784030400.0);
    for (const Mapping& mapping : mappings(*pointer)) {
        const std::string topic = mapping.topics[0] == "lot" ? "lot" : "capteurs/hs-a-101/mesure";
        const MappedMessage mapped = adapt_message(mapping, territory(), topic, payload, received);
        for (const Error& error : mapped.errors) {
            require(known_code(error.code));
            require(!error.message.empty());
        }
        for (const DeviceReport& report : mapped.reports) {
            require(territory().entities.find(report.entity) != nullptr);
            require(!report.readings.empty());
            for (const Reading& reading : report.readings) {
                require(is_identifier(reading.quantity));
                require(reading.unit.empty() || is_senml_unit(reading.unit));
                if (const double* number = std::get_if<double>(&reading.value)) {
                    require(std::isfinite(*number));
                }
            }
        }
    }
    return 0;
}
