// SPDX-License-Identifier: Apache-2.0
#include "connectors/mbus/vif_table.h"

#include <string>

#include <catch2/catch.hpp>

#include "gateway/core/units.h"

namespace passerelle::connectors::mbus {
namespace {

TEST_CASE("primary VIF table") {
    auto energy = primary_vif(0x06);
    REQUIRE(energy);
    CHECK(energy->quantity == "energy");
    CHECK(energy->unit == "Wh");
    CHECK(energy->exponent == 3);

    auto volume = primary_vif(0x93);  // extension bit ignored
    REQUIRE(volume);
    CHECK(volume->quantity == "volume");
    CHECK(volume->exponent == -3);

    auto flow = primary_vif(0x3B);
    REQUIRE(flow);
    CHECK(flow->quantity == "volume_flow");
    CHECK(flow->unit == "m3/s");
    CHECK(flow->divide == 3600.0);

    CHECK(primary_vif(0x22)->quantity == "on_time");
    CHECK(primary_vif(0x22)->multiply == 3600.0);
    CHECK(primary_vif(0x27)->quantity == "operating_time");
    CHECK(primary_vif(0x27)->multiply == 86400.0);
    CHECK(primary_vif(0x5B)->quantity == "flow_temperature");
    CHECK(primary_vif(0x5F)->quantity == "return_temperature");
    CHECK(primary_vif(0x62)->quantity == "temperature_difference");
    CHECK(primary_vif(0x62)->unit == "K");
    CHECK(primary_vif(0x67)->quantity == "external_temperature");
    CHECK(primary_vif(0x68)->unit == "Pa");
    CHECK(primary_vif(0x6C)->kind == ValueKind::DateTime);
    CHECK(primary_vif(0x6D)->kind == ValueKind::DateTime);
    CHECK(primary_vif(0x78)->kind == ValueKind::Identifier);
    CHECK(primary_vif(0x0B)->divide == 3600.0);  // kJ to Wh
    CHECK(primary_vif(0x74)->quantity == "actuality_duration");
    CHECK(primary_vif(0x70)->quantity == "averaging_duration");
    CHECK_FALSE(primary_vif(0x6F));
    CHECK_FALSE(primary_vif(0x7C));
    CHECK_FALSE(primary_vif(0x7F));
}

TEST_CASE("extension tables FD and FB") {
    CHECK(extension_fd(0x08)->quantity == "access_number");
    CHECK(extension_fd(0x0E)->quantity == "firmware_version");
    CHECK(extension_fd(0x17)->quantity == "error_flags");
    CHECK(extension_fd(0x1B)->quantity == "digital_input");
    CHECK(extension_fd(0x3A)->quantity == "dimensionless");
    CHECK(extension_fd(0x48)->quantity == "voltage");
    CHECK(extension_fd(0x48)->exponent == -1);
    CHECK(extension_fd(0x59)->quantity == "current");
    CHECK(extension_fd(0x59)->exponent == -3);
    CHECK(extension_fd(0x61)->quantity == "cumulation_counter");
    CHECK(extension_fd(0x74)->quantity == "remaining_battery");
    CHECK_FALSE(extension_fd(0x7F));

    CHECK(extension_fb(0x01)->quantity == "energy");
    CHECK(extension_fb(0x01)->exponent == 6);  // 1 MWh
    CHECK(extension_fb(0x09)->exponent == 9);  // 1 GJ
    CHECK(extension_fb(0x09)->divide == 3600.0);
    CHECK(extension_fb(0x11)->exponent == 3);  // 1000 m3
    CHECK(extension_fb(0x29)->quantity == "power");
    CHECK(extension_fb(0x1A)->unit == "%RH");
    CHECK_FALSE(extension_fb(0x02));
}

TEST_CASE("combinable VIFEs") {
    CHECK(combinable_vife(0x3C).effect == VifeEffect::Suffix);
    CHECK(combinable_vife(0x3C).text == "_backward");
    CHECK(combinable_vife(0xBB).text == "_forward");
    CHECK(combinable_vife(0x74).effect == VifeEffect::Scale);
    CHECK(combinable_vife(0x74).exponent == -2);
    CHECK(combinable_vife(0x7D).exponent == 3);
    CHECK(combinable_vife(0x22).effect == VifeEffect::SuffixNoUnit);
    CHECK(combinable_vife(0x15).effect == VifeEffect::ErrorCode);
    CHECK(combinable_vife(0x15).text == "no data available (undefined value)");
    CHECK(combinable_vife(0x59).effect == VifeEffect::Duration);
    CHECK(combinable_vife(0x59).text == "_upper_limit_first_exceed_duration");
    CHECK(combinable_vife(0x59).multiply == 60.0);
    CHECK(combinable_vife(0x49).effect == VifeEffect::Count);
    CHECK(combinable_vife(0x4B).effect == VifeEffect::DateTime);
    CHECK(combinable_vife(0x79).exponent == -2);
    CHECK(combinable_vife(0x7F).effect == VifeEffect::Manufacturer);
    CHECK(combinable_vife(0x12).effect == VifeEffect::Unknown);
    CHECK(combinable_vife(0x69).effect == VifeEffect::Unknown);
    CHECK(combinable_vife(0x6F).effect == VifeEffect::DateTime);
    CHECK(combinable_vife(0x61).effect == VifeEffect::Duration);
    CHECK(combinable_vife(0x61).multiply == 60.0);
    CHECK(combinable_vife(0x00).effect == VifeEffect::Scale);
}

TEST_CASE("every unit the tables give is a SenML unit, except mass flow") {
    for (unsigned code = 0; code < 0x80; ++code) {
        for (const auto& entry : {primary_vif(static_cast<std::uint8_t>(code)),
                                  extension_fd(static_cast<std::uint8_t>(code)),
                                  extension_fb(static_cast<std::uint8_t>(code))}) {
            if (entry && !entry->unit.empty() && entry->quantity != "mass_flow") {
                INFO("code 0x" << std::hex << code << " unit " << std::string(entry->unit));
                CHECK(is_senml_unit(entry->unit));
            }
        }
    }
}

}  // namespace
}  // namespace passerelle::connectors::mbus
