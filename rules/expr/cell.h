// SPDX-License-Identifier: Apache-2.0
// Cell: one value on the evaluation stack, possibly absent, never owning memory.
#pragma once

#include <string_view>

namespace passerelle::rules::expr {

/// The type is known statically from the program, so a cell only records presence and the field
/// of its type. `text` points into the program's constants or the caller's input values.
struct Cell {
    double number = 0.0;
    std::string_view text;
    bool flag = false;
    bool present = false;

    static Cell absent() { return Cell{}; }
    static Cell of_number(double value) { return Cell{value, {}, false, true}; }
    static Cell of_bool(bool value) { return Cell{0.0, {}, value, true}; }
    static Cell of_text(std::string_view value) { return Cell{0.0, value, false, true}; }
};

}  // namespace passerelle::rules::expr
