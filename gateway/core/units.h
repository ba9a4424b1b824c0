// SPDX-License-Identifier: Apache-2.0
// Units of the SenML registry (RFC 8428 §12.1, RFC 8798) that canonical readings may carry.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle {

bool is_senml_unit(std::string_view unit);

/// For a unit people often write but the registry lacks ("m3/h", "°C", "kwh"), the registry unit to use
/// instead, with a word on conversion when one is needed.
std::optional<std::string> senml_unit_hint(std::string_view unit);

}  // namespace passerelle
