// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/lorawan_device.h"

#include <catch2/catch.hpp>

namespace passerelle {
namespace {

TEST_CASE("a LoRaWAN device is found by its EUI, whatever its case") {
    LorawanDirectory devices;
    REQUIRE(devices.add({"A84041000181C061", "elsys", "hs-a-101", {}, {}}));
    REQUIRE(devices.find("a84041000181c061") != nullptr);
    CHECK(devices.find("A84041000181c061")->entity == "hs-a-101");
    CHECK(devices.all().front().dev_eui == "a84041000181c061");
    CHECK(devices.find("a84041000181c062") == nullptr);
    CHECK_FALSE(devices.add({"a84041000181c061", "lpp", "hs-a-102", {}, {}}));
}

}  // namespace
}  // namespace passerelle
