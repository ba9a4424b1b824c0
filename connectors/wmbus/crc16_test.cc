// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/crc16.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

TEST_CASE("CRC-16/EN-13757 of the standard check string") {
    // The catalogue check value of CRC-16/EN-13757 over "123456789".
    const std::vector<std::uint8_t> check{'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    CHECK(crc16_en13757(check) == 0xC2B7);
}

TEST_CASE("CRC-16 of a link block and of a DIF/VIF sequence") {
    // First block of a Sontex telegram with its CRCs kept (wmbusmeters simulation_dll_crcs.txt).
    CHECK(crc16_en13757(bytes_of("3444EE4D813929271608")) == 0x811D);
    // The format signature of a Multical 21 full frame (its compact frames carry ED A8).
    CHECK(crc16_en13757(bytes_of("02FF2004134413615B6167")) == 0xA8ED);
    CHECK(crc16_en13757({}) == 0xFFFF);
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
