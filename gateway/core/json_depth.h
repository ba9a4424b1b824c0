// SPDX-License-Identifier: Apache-2.0
// A bound on JSON nesting checked on the text, before any parser sees it.
#pragma once

#include <string_view>

namespace passerelle {

/// Whether `payload` nests arrays and objects no deeper than `max_depth`. Deep nesting costs a
/// parser stack and memory, and no payload Passerelle reads needs it: hostile input is refused
/// before parsing. Brackets inside strings do not count; the text need not be valid JSON.
bool json_nesting_within(std::string_view payload, int max_depth);

}  // namespace passerelle
