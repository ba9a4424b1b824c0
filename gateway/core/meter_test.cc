// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/meter.h"

#include <catch2/catch.hpp>

namespace passerelle {
namespace {

MeterBinding meter(std::string id, std::string manufacturer, std::string entity) {
    MeterBinding binding;
    binding.id = std::move(id);
    binding.manufacturer = std::move(manufacturer);
    binding.entity = std::move(entity);
    return binding;
}

TEST_CASE("a meter is found by its id, whatever the manufacturer when none is declared") {
    MeterDirectory meters;
    REQUIRE(meters.add(meter("76348799", "", "cpt-1")));
    REQUIRE(meters.find("76348799", "KAM") != nullptr);
    CHECK(meters.find("76348799", "KAM")->entity == "cpt-1");
    CHECK(meters.find("76348799", "")->entity == "cpt-1");
    CHECK(meters.find("76348798", "KAM") == nullptr);
}

TEST_CASE("two manufacturers may use the same id, and each telegram finds its own meter") {
    MeterDirectory meters;
    REQUIRE(meters.add(meter("12345678", "KAM", "cpt-kam")));
    REQUIRE(meters.add(meter("12345678", "SEN", "cpt-sen")));
    CHECK(meters.find("12345678", "SEN")->entity == "cpt-sen");
    CHECK(meters.find("12345678", "KAM")->entity == "cpt-kam");
    CHECK(meters.find("12345678", "LUG") == nullptr);
    CHECK(meters.find("12345678", "") == nullptr);
}

TEST_CASE("a meter declared twice is refused") {
    MeterDirectory meters;
    REQUIRE(meters.add(meter("12345678", "KAM", "a")));
    CHECK_FALSE(meters.add(meter("12345678", "KAM", "b")));
    CHECK_FALSE(meters.add(meter("12345678", "", "c")));
    MeterDirectory any_first;
    REQUIRE(any_first.add(meter("12345678", "", "a")));
    CHECK_FALSE(any_first.add(meter("12345678", "SEN", "b")));
    CHECK(any_first.all().size() == 1);
}

}  // namespace
}  // namespace passerelle
