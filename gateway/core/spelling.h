// SPDX-License-Identifier: Apache-2.0
// "Did you mean …?" suggestions for misspelt keys, functions, recipients and topics.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate within a distance that grows with the word's length, if any.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// "; did you mean 'x'?" or an empty string: ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace passerelle
