// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/codec_registry.h"

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "connectors/lorawan/codecs/codec_json.h"
#include "connectors/lorawan/codecs/codec_test_support.h"

namespace passerelle::connectors::lorawan {

TEST_CASE("the registry lists the four codecs, each found by its name", "[lorawan][registry]") {
    std::set<std::string> names;
    for (const PayloadCodec& codec : payload_codecs()) {
        CHECK(codec.decode != nullptr);
        CHECK_FALSE(codec.description.empty());
        CHECK(find_codec(codec.name) == &codec);
        names.emplace(codec.name);
    }
    CHECK(names == std::set<std::string>{"lpp", "elsys", "milesight", "dragino-lht65"});
    CHECK(find_codec("zigbee") == nullptr);
    CHECK(find_codec("") == nullptr);
}

TEST_CASE("the decode JSON is a SenML pack with the notes", "[lorawan][registry]") {
    const auto payload = testing::decoded("lpp", "02 67 00 E1 02 8E 01");
    const auto json = to_json("lpp", payload);
    CHECK(json == nlohmann::json::parse(R"({"codec":"lpp","notes":[],"readings":[
        {"n":"temperature","u":"Cel","v":22.5},{"n":"switch","v":1.0}]})"));
}

}  // namespace passerelle::connectors::lorawan
