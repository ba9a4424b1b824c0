// SPDX-License-Identifier: Apache-2.0
// The compact notation of a rule test's input series: "27 29x12 26", "20+0.5x8", "_", "\"rouge\"".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/reading.h"

namespace passerelle::ruletest {

/// One step of a series: a value, or nothing (a gap: no reading at that step).
using SeriesItem = std::optional<Value>;

/// A mistake in a series, by byte position in its text so that the caller can point into the file.
struct SeriesError {
    std::size_t offset = 0;
    std::size_t length = 1;
    std::string message;
};

struct ParsedSeries {
    std::vector<SeriesItem> items;
    std::vector<SeriesError> errors;

    bool ok() const { return errors.empty(); }
};

/// A series may not expand to more steps than this: a typo such as `1x1000000000` must not
/// exhaust memory.
inline constexpr std::size_t kMaxSeriesItems = 100000;

/// Parses space-separated items: `N`, `NxK` (N, K times), `A+BxK` / `A-BxK` (K+1 values from A by
/// steps of B), `_` and `_xK` (gaps), `"text"`, `true`, `false`, each of the last three with an
/// optional `xK`. Every mistake is reported, not only the first.
ParsedSeries parse_series(std::string_view text);

}  // namespace passerelle::ruletest
