// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/member_symbols.h"

#include <algorithm>

#include <fmt/format.h>

namespace passerelle::rules {

std::optional<Result<expr::Slot>> MemberSymbols::call(std::string_view name,
                                                      std::span<const expr::Argument> args) {
    (void)args;
    const auto names = rule_.function_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        return std::nullopt;
    }
    return std::optional<Result<expr::Slot>>(
        std::in_place,
        make_error("expr.arguments",
                   fmt::format("{}() cannot be used inside a group function: what is counted "
                               "for each member reads its own reading and registry entry only "
                               "(value, entity.<attribute>…)",
                               name)));
}

}  // namespace passerelle::rules
