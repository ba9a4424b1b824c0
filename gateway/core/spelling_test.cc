// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/spelling.h"

#include <catch2/catch.hpp>

TEST_CASE("near misses get a suggestion, far ones none", "[spelling]") {
    const std::vector<std::string> keys{"temperature", "humidity", "for", "when"};
    CHECK(passerelle::did_you_mean("temprature", keys) == "; did you mean 'temperature'?");
    CHECK(passerelle::did_you_mean("fr", keys) == "; did you mean 'for'?");
    CHECK(passerelle::did_you_mean("Humidity", keys) == "; did you mean 'humidity'?");
    CHECK(passerelle::did_you_mean("pressure", keys).empty());
    CHECK(passerelle::edit_distance("kitten", "sitting") == 3);
    CHECK(passerelle::edit_distance("cacs", "ccas") == 1);
    CHECK(passerelle::did_you_mean("cacs", {"ccas", "ville"}) == "; did you mean 'ccas'?");
}
