// SPDX-License-Identifier: Apache-2.0
// Names of the expression types, worded for people who are not programmers.
#include "rules/expr/types.h"

namespace passerelle::rules::expr {

std::string_view type_name(Type type) {
    switch (type) {
        case Type::Number:
            return "number";
        case Type::Bool:
            return "true/false";
        case Type::String:
            return "string";
    }
    return "?";
}

std::string_view type_phrase(Type type) {
    switch (type) {
        case Type::Number:
            return "a number";
        case Type::Bool:
            return "a true/false value";
        case Type::String:
            return "a string";
    }
    return "?";
}

}  // namespace passerelle::rules::expr
