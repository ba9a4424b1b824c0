// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry for one LoRaWAN payload codec, built once per codec (lorawan_lpp_fuzz,
// lorawan_elsys_fuzz...) with PASSERELLE_FUZZ_CODEC naming it, so each codec gets the fuzzer's
// whole attention and a corpus of its own. The first byte chooses the fPort (0: none given, n:
// port n - 1), the rest is the payload.
//
// The codec must fail cleanly (a code of its own with a message) or give readings with unique
// names that are topic levels, finite values, and names and units it declares (below, from the
// tables of docs/connectors/lorawan.md); the same bytes followed by others it must not see decode
// alike (nothing is read past the payload); the decode output serialises.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "connectors/lorawan/codecs/codec_json.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "gateway/core/units.h"

#ifndef PASSERELLE_FUZZ_CODEC
#error "PASSERELLE_FUZZ_CODEC names the codec this target fuzzes"
#endif

namespace {

namespace lorawan = passerelle::connectors::lorawan;

struct Quantity {
    std::string_view name;  // before the naming suffixes _<channel> or _<n>
    std::string_view unit;
};

// What each codec may give.
const std::set<std::pair<std::string_view, std::string_view>>& declared(std::string_view codec) {
    using Set = std::set<std::pair<std::string_view, std::string_view>>;
    static const Set lpp = {
        {"digital_input", ""},
        {"digital_output", ""},
        {"analog_input", ""},
        {"analog_output", ""},
        {"illuminance", "lx"},
        {"presence", ""},
        {"temperature", "Cel"},
        {"humidity", "%RH"},
        {"acceleration_x", "m/s2"},
        {"acceleration_y", "m/s2"},
        {"acceleration_z", "m/s2"},
        {"pressure", "Pa"},
        {"angular_velocity_x", ""},
        {"angular_velocity_y", ""},
        {"angular_velocity_z", ""},
        {"latitude", "lat"},
        {"longitude", "lon"},
        {"altitude", "m"},
        {"generic", ""},
        {"voltage", "V"},
        {"current", "A"},
        {"frequency", "Hz"},
        {"percentage", "%"},
        {"power", "W"},
        {"distance", "m"},
        {"energy", "kWh"},
        {"direction", "deg"},
        {"unix_time", "s"},
        {"switch", ""},
    };
    static const Set elsys = {
        {"temperature", "Cel"},
        {"humidity", "%RH"},
        {"acceleration_x", "m/s2"},
        {"acceleration_y", "m/s2"},
        {"acceleration_z", "m/s2"},
        {"illuminance", "lx"},
        {"motion", "count"},
        {"co2", "ppm"},
        {"battery", "V"},
        {"analog", "V"},
        {"gps_latitude_raw", ""},
        {"gps_longitude_raw", ""},
        {"pulse", "count"},
        {"pulse_1_total", "count"},
        {"pulse_2_total", "count"},
        {"external_temperature", "Cel"},
        {"digital_input", ""},
        {"distance", "m"},
        {"acceleration_motion", "count"},
        {"ir_temperature_internal", "Cel"},
        {"ir_temperature_external", "Cel"},
        {"occupancy", ""},
        {"water_leak", ""},
        {"grideye_reference", "Cel"},
        {"grideye", "Cel"},
        {"pressure", "Pa"},
        {"sound_peak", "dB"},
        {"sound_average", "dB"},
        {"external_analog", "V"},
        {"tvoc", "ppm"},
    };
    static const Set milesight = {
        {"battery", "%EL"},    {"temperature", "Cel"},       {"humidity", "%RH"}, {"activity", ""},
        {"illuminance", "lx"}, {"infrared_and_visible", ""}, {"infrared", ""},    {"co2", "ppm"},
        {"tvoc", "ppm"},       {"pressure", "Pa"},
    };
    static const Set dragino = {
        {"battery", "V"},    {"battery_status", ""},          {"temperature", "Cel"},
        {"humidity", "%RH"}, {"external_temperature", "Cel"}, {"interrupt_level", ""},
        {"interrupt", ""},   {"illuminance", "lx"},           {"adc_voltage", "V"},
        {"count", "count"},
    };
    static const Set none;
    if (codec == "lpp") {
        return lpp;
    }
    if (codec == "elsys") {
        return elsys;
    }
    if (codec == "milesight") {
        return milesight;
    }
    return codec == "dragino-lht65" ? dragino : none;
}

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

// "temperature_3" → "temperature", "external_temperature_2_1" → "external_temperature",
// "grideye_07" → "grideye": the names the naming rules (payload.h) and codecs number.
std::string_view unnumbered(std::string_view name) {
    while (true) {
        const std::size_t underscore = name.rfind('_');
        if (underscore == std::string_view::npos || underscore + 1 == name.size() ||
            name.find_first_not_of("0123456789", underscore + 1) != std::string_view::npos) {
            return name;
        }
        name = name.substr(0, underscore);
    }
}

std::string decode_output(const lorawan::PayloadCodec& codec, const lorawan::PayloadInput& input) {
    auto decoded = lorawan::decode_payload(codec, input);
    if (!decoded) {
        require(decoded.error().code.starts_with(std::string(codec.name) + "."));
        require(!decoded.error().message.empty());
        return decoded.error().code + ": " + decoded.error().message;
    }
    std::set<std::string> names;
    const auto& quantities = declared(codec.name);
    for (const lorawan::CodecReading& reading : decoded->readings) {
        require(!reading.quantity.empty());
        require(reading.quantity.find_first_of("/+#") == std::string::npos);
        require(names.insert(reading.quantity).second);
        require(quantities.contains({unnumbered(reading.quantity), reading.unit}));
        require(reading.unit.empty() || passerelle::is_senml_unit(reading.unit));
        if (const auto* number = std::get_if<double>(&reading.value)) {
            require(std::isfinite(*number));
        }
    }
    // dump() throws on invalid UTF-8: every text kept must be valid.
    return lorawan::to_json(codec.name, *decoded).dump();
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const lorawan::PayloadCodec* const codec = lorawan::find_codec(PASSERELLE_FUZZ_CODEC);
    require(codec != nullptr && !declared(codec->name).empty());
    if (size == 0) {
        return 0;
    }
    std::optional<int> f_port;
    if (data[0] != 0) {
        f_port = data[0] - 1;
    }
    const std::span<const std::uint8_t> payload(data + 1, size - 1);
    // libFuzzer's buffer ends with the payload, so ASan catches a read past it; the copy followed
    // by bytes of its own catches one that would land in memory the codec could read.
    std::vector<std::uint8_t> padded(payload.begin(), payload.end());
    padded.insert(padded.end(), 16, 0x55);
    const std::string output = decode_output(*codec, {payload, f_port});
    require(decode_output(*codec, {std::span(padded).first(payload.size()), f_port}) == output);
    return 0;
}
