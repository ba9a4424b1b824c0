// SPDX-License-Identifier: Apache-2.0
// MapSymbolTable: variables and caller functions declared one by one.
#include "rules/expr/symbol_table.h"

#include <algorithm>
#include <utility>

#include "gateway/core/assert.h"

namespace passerelle::rules::expr {

Slot MapSymbolTable::add_variable(std::string name, Type type) {
    const Slot slot = allocate_slot(type);
    add_variable(std::move(name), slot);
    return slot;
}

void MapSymbolTable::add_variable(std::string name, Slot slot) {
    PASSERELLE_ASSERT(!contains(name), "MapSymbolTable: name declared twice");
    next_index_ = std::max(next_index_, slot.index + 1);
    variables_.emplace(std::move(name), slot);
}

void MapSymbolTable::add_function(std::string name, Function function) {
    PASSERELLE_ASSERT(!contains(name), "MapSymbolTable: name declared twice");
    functions_.emplace(std::move(name), std::move(function));
}

Slot MapSymbolTable::allocate_slot(Type type) {
    return Slot{next_index_++, type};
}

bool MapSymbolTable::contains(std::string_view name) const {
    return variables_.find(name) != variables_.end() || functions_.find(name) != functions_.end();
}

std::optional<Slot> MapSymbolTable::variable(std::string_view name) const {
    const auto it = variables_.find(name);
    if (it == variables_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::vector<std::string> MapSymbolTable::variable_names() const {
    std::vector<std::string> names;
    names.reserve(variables_.size());
    for (const auto& [name, slot] : variables_) {
        names.push_back(name);
    }
    return names;
}

std::vector<std::string> MapSymbolTable::function_names() const {
    std::vector<std::string> names;
    names.reserve(functions_.size());
    for (const auto& [name, function] : functions_) {
        names.push_back(name);
    }
    return names;
}

std::optional<Result<Slot>> MapSymbolTable::call(std::string_view name,
                                                 std::span<const Argument> args) {
    const auto it = functions_.find(name);
    if (it == functions_.end()) {
        return std::nullopt;
    }
    return it->second(args);
}

}  // namespace passerelle::rules::expr
