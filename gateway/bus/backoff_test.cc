// SPDX-License-Identifier: Apache-2.0
// Reconnect back-off: doubling, cap, reset.
#include "gateway/bus/backoff.h"

#include <catch2/catch.hpp>

namespace passerelle::bus {
namespace {

using std::chrono::milliseconds;

TEST_CASE("doubles up to the maximum and resets", "[backoff]") {
    Backoff backoff(milliseconds{500}, milliseconds{3000});
    CHECK(backoff.next() == milliseconds{500});
    CHECK(backoff.next() == milliseconds{1000});
    CHECK(backoff.next() == milliseconds{2000});
    CHECK(backoff.next() == milliseconds{3000});
    CHECK(backoff.next() == milliseconds{3000});
    backoff.reset();
    CHECK(backoff.next() == milliseconds{500});
}

TEST_CASE("degenerate settings stay sane", "[backoff]") {
    Backoff zero(milliseconds{0}, milliseconds{0});
    CHECK(zero.next() == milliseconds{1});
    CHECK(zero.next() == milliseconds{1});
    Backoff inverted(milliseconds{200}, milliseconds{100});
    CHECK(inverted.next() == milliseconds{200});
    CHECK(inverted.next() == milliseconds{200});
    Backoff huge(milliseconds{1}, milliseconds::max());
    for (int i = 0; i < 100; ++i) {
        CHECK(huge.next() > milliseconds{0});
    }
}

}  // namespace
}  // namespace passerelle::bus
