// SPDX-License-Identifier: Apache-2.0
// One walk over the tree that resolves names, checks types and emits stack-machine code.
#include "rules/expr/compiler.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gateway/core/spelling.h"
#include "rules/expr/ast.h"
#include "rules/expr/builtins.h"
#include "rules/expr/parser.h"
#include "rules/expr/units.h"

namespace passerelle::rules::expr {
namespace {

OpCode opcode_of(Op op) {
    switch (op) {
        case Op::Add:
            return OpCode::Add;
        case Op::Subtract:
            return OpCode::Subtract;
        case Op::Multiply:
            return OpCode::Multiply;
        case Op::Divide:
            return OpCode::Divide;
        case Op::Modulo:
            return OpCode::Modulo;
        case Op::Equal:
            return OpCode::Equal;
        case Op::NotEqual:
            return OpCode::NotEqual;
        case Op::Less:
            return OpCode::Less;
        case Op::LessEqual:
            return OpCode::LessEqual;
        case Op::Greater:
            return OpCode::Greater;
        case Op::GreaterEqual:
            return OpCode::GreaterEqual;
        case Op::And:
            return OpCode::And;
        case Op::Or:
            return OpCode::Or;
        case Op::Not:
            return OpCode::Not;
        case Op::Negate:
        case Op::None:
            break;
    }
    return OpCode::Negate;
}

std::string plural(std::size_t count, std::string_view noun) {
    return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string arity_text(const Builtin& builtin) {
    if (builtin.max_args == kVariadic) {
        return fmt::format("at least {}", plural(builtin.min_args, "argument"));
    }
    if (builtin.min_args == builtin.max_args) {
        return plural(builtin.min_args, "argument");
    }
    if (builtin.min_args + 1 == builtin.max_args) {
        return fmt::format("{} or {} arguments", builtin.min_args, builtin.max_args);
    }
    return fmt::format("{} to {} arguments", builtin.min_args, builtin.max_args);
}

class Compiler {
public:
    Compiler(const Ast& ast, SymbolTable& symbols) : ast_(ast), symbols_(symbols) {}

    ExprResult<Program> run(bool condition) { return run(ast_.root, condition); }

private:
    // Compiles the subtree under `root`; error offsets stay those of the whole expression.
    ExprResult<Program> run(NodeId root_id, bool condition) {
        const Node& root = ast_.node(root_id);
        const auto type = emit(root_id);
        if (condition && type && *type != Type::Bool) {
            error(root, codes::kNotACondition,
                  fmt::format("a condition must be true or false, but this is {}",
                              type_phrase(*type)));
        }
        if (!errors_.empty() || !type) {
            std::stable_sort(
                errors_.begin(), errors_.end(),
                [](const ExprError& a, const ExprError& b) { return a.offset < b.offset; });
            if (errors_.size() > kMaxReportedErrors) {
                errors_.resize(kMaxReportedErrors);
            }
            return std::move(errors_);
        }
        return std::move(builder_).finish(*type, to_string(ast_, root_id));
    }

    void error(std::size_t offset, std::size_t length, std::string_view code, std::string message) {
        errors_.push_back(ExprError{offset, length, std::string(code), std::move(message)});
    }
    void error(const Node& node, std::string_view code, std::string message) {
        error(node.offset, node.length, code, std::move(message));
    }

    // The type of the node's value, or nullopt when an error below made it unknowable (so that
    // one mistake is not reported again by every operator above it).
    std::optional<Type> emit(NodeId id) {
        const Node& node = ast_.node(id);
        switch (node.kind) {
            case NodeKind::Number:
                if (node.unit) {
                    unit_out_of_comparison(node);
                }
                return constant(node.number, Type::Number);
            case NodeKind::String:
                return constant(node.text, Type::String);
            case NodeKind::Bool:
                return constant(node.flag, Type::Bool);
            case NodeKind::Duration:
                // A number of seconds, so that age(temperature) > 2h reads as it is meant.
                return constant(std::chrono::duration<double>(node.duration).count(),
                                Type::Number);
            case NodeKind::Name:
                return name(node);
            case NodeKind::Unary:
                return unary(node);
            case NodeKind::Binary:
                if (node.op == Op::And || node.op == Op::Or) {
                    return logical(node);
                }
                if (is_comparison(node.op)) {
                    return comparison(node);
                }
                return arithmetic(node);
            case NodeKind::In:
                return in_list(node);
            case NodeKind::Call:
                return call(id, node);
        }
        return std::nullopt;
    }

    Type constant(Value value, Type type) {
        const std::uint32_t index = builder_.add_constant(std::move(value));
        builder_.emit(Instruction{OpCode::Constant, type, index, 0});
        return type;
    }

    std::optional<Type> name(const Node& node) {
        const auto slot = symbols_.variable(node.text);
        if (!slot) {
            if (is_function(node.text)) {
                error(node, codes::kUnknownIdentifier,
                      fmt::format("'{0}' is a function; call it with parentheses, as in {0}(...)",
                                  node.text));
                return std::nullopt;
            }
            auto candidates = symbols_.variable_names();
            candidates.emplace_back("true");
            candidates.emplace_back("false");
            error(node, codes::kUnknownIdentifier,
                  fmt::format("unknown identifier '{}'{}", node.text,
                              did_you_mean(node.text, candidates)));
            return std::nullopt;
        }
        builder_.emit(Instruction{OpCode::Load, slot->type, slot->index, 0});
        builder_.add_slot(*slot, node.text);
        return slot->type;
    }

    bool is_function(std::string_view function) const {
        if (find_builtin(function)) {
            return true;
        }
        const auto names = symbols_.function_names();
        return std::find(names.begin(), names.end(), function) != names.end();
    }

    std::optional<Type> unary(const Node& node) {
        const Node& operand = ast_.node(node.children[0]);
        const auto type = emit(node.children[0]);
        if (node.op == Op::Not) {
            if (type && *type != Type::Bool) {
                error(operand, codes::kType,
                      fmt::format("'not' needs true/false, but this is {}", type_phrase(*type)));
            }
            builder_.emit(Instruction{OpCode::Not, Type::Bool, 0, 0});
            return Type::Bool;
        }
        if (type && *type != Type::Number) {
            error(operand, codes::kType,
                  fmt::format("'-' needs a number, but this is {}", type_phrase(*type)));
        }
        builder_.emit(Instruction{OpCode::Negate, Type::Number, 0, 0});
        return Type::Number;
    }

    // Both sides must be `expected`; reports each side that is not.
    void expect_sides(const Node& node, std::optional<Type> left, std::optional<Type> right,
                      Type expected, std::string_view needs) {
        const std::string_view op = op_text(node.op);
        if (left && *left != expected) {
            error(ast_.node(node.children[0]), codes::kType,
                  fmt::format("'{}' needs {} on both sides, but the left side is {}", op, needs,
                              type_phrase(*left)));
        }
        if (right && *right != expected) {
            error(ast_.node(node.children[1]), codes::kType,
                  fmt::format("'{}' needs {} on both sides, but the right side is {}", op, needs,
                              type_phrase(*right)));
        }
    }

    // `a and b`: a false `a` jumps over `b` and is the answer; otherwise both are combined, so
    // that an absent `a` still lets a false `b` decide.
    std::optional<Type> logical(const Node& node) {
        const bool is_and = node.op == Op::And;
        const auto left = emit(node.children[0]);
        const std::size_t jump = builder_.emit(
            Instruction{is_and ? OpCode::JumpIfFalse : OpCode::JumpIfTrue, Type::Bool, 0, 0});
        const auto right = emit(node.children[1]);
        builder_.emit(Instruction{opcode_of(node.op), Type::Bool, 0, 0});
        builder_.patch_jump_to_here(jump);
        expect_sides(node, left, right, Type::Bool, "true/false");
        return Type::Bool;
    }

    std::optional<Type> arithmetic(const Node& node) {
        const auto left = emit(node.children[0]);
        const auto right = emit(node.children[1]);
        expect_sides(node, left, right, Type::Number, "numbers");
        builder_.emit(Instruction{opcode_of(node.op), Type::Number, 0, 0});
        return Type::Number;
    }

    std::optional<Type> comparison(const Node& node) {
        const Node& left = ast_.node(node.children[0]);
        const Node& right = ast_.node(node.children[1]);
        if (left.unit || right.unit) {
            return unit_comparison(node, left, right);
        }
        const auto left_type = emit(node.children[0]);
        const auto right_type = emit(node.children[1]);
        return compare(node, left_type, right_type);
    }

    std::optional<Type> compare(const Node& node, std::optional<Type> left,
                                std::optional<Type> right) {
        if (left && right) {
            if (*left != *right) {
                error(node, codes::kType,
                      fmt::format("cannot compare {} with {}", type_phrase(*left),
                                  type_phrase(*right)));
            } else if (*left == Type::Bool && node.op != Op::Equal && node.op != Op::NotEqual) {
                error(node, codes::kType,
                      fmt::format("'{}' cannot order true/false values; only '==' and '!=' "
                                  "compare them",
                                  op_text(node.op)));
            }
        }
        builder_.emit(Instruction{opcode_of(node.op), left.value_or(Type::Number), 0, 0});
        return Type::Bool;
    }

    // `value > 50 kW`: the number with a unit is compared as written, the other side converted
    // into its unit — at evaluation for `value`, from the reading's unit; here for `3 kW > 2 W`.
    std::optional<Type> unit_comparison(const Node& node, const Node& left, const Node& right) {
        std::optional<Type> left_type;
        std::optional<Type> right_type;
        if (left.unit && right.unit) {
            const auto converted = convert(right.number, *right.unit, *left.unit);
            if (!converted) {
                error(node, codes::kUnit,
                      fmt::format("cannot compare {} with {}", unit_phrase(left),
                                  unit_phrase(right)));
            }
            left_type = constant(left.number, Type::Number);
            right_type = constant(converted.value_or(right.number), Type::Number);
        } else if (left.unit) {
            left_type = constant(left.number, Type::Number);
            right_type = converted_operand(node.children[1], left);
        } else {
            left_type = converted_operand(node.children[0], right);
            right_type = constant(right.number, Type::Number);
        }
        return compare(node, left_type, right_type);
    }

    // The side compared with `literal`, converted into its unit: only a variable whose unit the
    // symbols know (`value`) can be; a window or a calculation has no unit the rules can check.
    std::optional<Type> converted_operand(NodeId id, const Node& literal) {
        const Node& node = ast_.node(id);
        const auto type = emit(id);
        const auto unit_name =
            node.kind == NodeKind::Name ? symbols_.unit_variable(node.text) : std::nullopt;
        const auto unit_slot = unit_name ? symbols_.variable(*unit_name) : std::nullopt;
        if (!unit_slot || unit_slot->type != Type::String) {
            error(literal, codes::kUnit,
                  fmt::format("{} has no unit known when the rules load, so it cannot be "
                              "compared with '{}': only value, the reading's number, is "
                              "converted from the reading's unit; write a plain number in the "
                              "unit of the readings ({})",
                              describe(id), source_text(literal),
                              equivalents(literal.number, *literal.unit)));
            return type;
        }
        builder_.emit(Instruction{OpCode::Load, Type::String, unit_slot->index, 0});
        builder_.add_slot(*unit_slot, *unit_name);
        builder_.emit(Instruction{OpCode::ConvertUnit, Type::Number, *literal.unit, 0});
        return type;
    }

    void unit_out_of_comparison(const Node& literal) {
        error(literal, codes::kUnit,
              fmt::format("a number with a unit can only be compared with value, as in "
                          "'value > {}'; write a plain number here ({})",
                          source_text(literal), equivalents(literal.number, *literal.unit)));
    }

    // "'28 Cel' (a temperature)".
    std::string unit_phrase(const Node& literal) const {
        return fmt::format("'{}' ({})", source_text(literal),
                           dimension_phrase(units()[*literal.unit].dimension));
    }

    // "'avg(temperature, 1h)'", "the plain number '2'".
    std::string describe(NodeId id) const {
        const Node& node = ast_.node(id);
        if (node.kind == NodeKind::Number) {
            return fmt::format("the plain number '{}'", to_string(ast_, id));
        }
        return fmt::format("'{}'", to_string(ast_, id));
    }

    static std::string source_text(const Node& literal) {
        return fmt::format("{} {}", literal.number, units()[*literal.unit].symbol);
    }

    std::optional<Type> in_list(const Node& node) {
        const std::string_view keyword = node.flag ? "not in" : "in";
        const auto left = emit(node.children[0]);
        if (node.children.size() == 1) {
            error(node, codes::kSyntax, fmt::format("the list after '{}' is empty", keyword));
        }
        std::uint32_t first = 0;
        for (std::size_t i = 1; i < node.children.size(); ++i) {
            const Node& item = ast_.node(node.children[i]);
            std::optional<Value> value;
            Type type = Type::Number;
            if (item.kind == NodeKind::Number) {
                if (item.unit) {
                    unit_out_of_comparison(item);
                }
                value = item.number;
            } else if (item.kind == NodeKind::String) {
                value = item.text;
                type = Type::String;
            } else if (item.kind == NodeKind::Bool) {
                value = item.flag;
                type = Type::Bool;
            } else {
                error(item, codes::kSyntax,
                      "list items must be plain values such as 3 or 'rouge', not names or "
                      "calculations");
                continue;
            }
            const std::uint32_t index = builder_.add_constant(std::move(*value));
            if (i == 1) {
                first = index;
            }
            if (left && type != *left) {
                error(item, codes::kType,
                      fmt::format("this item is {}, but the left side of '{}' is {}",
                                  type_phrase(type), keyword, type_phrase(*left)));
            }
        }
        const auto count = static_cast<std::uint32_t>(node.children.size() - 1);
        builder_.emit(Instruction{node.flag ? OpCode::NotIn : OpCode::In,
                                  left.value_or(Type::Number), first, count});
        return Type::Bool;
    }

    std::optional<Type> call(NodeId id, const Node& node) {
        const auto builtin = find_builtin(node.text);
        if (builtin && !window_call(node)) {
            return builtin_call(node, *builtin);
        }
        return caller_call(id, node);
    }

    // min(flow, 3d) is the caller's window function, min(value, 28) the builtin: a caller function
    // of the same name wins when its arguments are plain and one of them is a duration.
    bool window_call(const Node& node) const {
        bool duration = false;
        for (const NodeId child : node.children) {
            const Node& argument = ast_.node(child);
            if (!literal_argument(argument)) {
                return false;
            }
            duration = duration || argument.kind == NodeKind::Duration;
        }
        if (!duration) {
            return false;
        }
        const auto names = symbols_.function_names();
        return std::find(names.begin(), names.end(), node.text) != names.end();
    }

    std::optional<Type> builtin_call(const Node& node, std::uint32_t index) {
        const Builtin& builtin = builtins()[index];
        const std::size_t count = node.children.size();
        if (count < builtin.min_args || count > builtin.max_args) {
            error(node, codes::kArguments,
                  fmt::format("'{}' takes {}, but {} given", builtin.name, arity_text(builtin),
                              count == 1 ? std::string("1 was") : fmt::format("{} were", count)));
        }
        for (std::size_t i = 0; i < count; ++i) {
            const auto type = emit(node.children[i]);
            if (type && *type != builtin.param_type) {
                error(ast_.node(node.children[i]), codes::kType,
                      fmt::format("'{}' needs {}, but argument {} is {}", builtin.name,
                                  type_phrase(builtin.param_type), i + 1, type_phrase(*type)));
            }
        }
        builder_.emit(Instruction{OpCode::Call, builtin.result_type, index,
                                  static_cast<std::uint32_t>(count)});
        return builtin.result_type;
    }

    void unknown_function(const Node& node) {
        if (symbols_.variable(node.text)) {
            error(node.offset, node.text.size(), codes::kUnknownFunction,
                  fmt::format("'{}' is a value, not a function", node.text));
            return;
        }
        auto candidates = builtin_names();
        const auto callers = symbols_.function_names();
        candidates.insert(candidates.end(), callers.begin(), callers.end());
        error(
            node.offset, node.text.size(), codes::kUnknownFunction,
            fmt::format("unknown function '{}'{}", node.text, did_you_mean(node.text, candidates)));
    }

    static std::optional<Argument> literal_argument(const Node& node) {
        Argument argument;
        argument.offset = node.offset;
        argument.length = node.length;
        switch (node.kind) {
            case NodeKind::Number:
                argument.value = node.number;
                return argument;
            case NodeKind::Bool:
                argument.value = node.flag;
                return argument;
            case NodeKind::String:
                argument.value = node.text;
                return argument;
            case NodeKind::Duration:
                argument.value = node.duration;
                return argument;
            case NodeKind::Name:
                argument.value = Name{node.text};
                return argument;
            default:
                return std::nullopt;
        }
    }

    // Each argument compiled as a program of its own, with the symbols the function chose.
    std::optional<std::vector<Argument>> expression_arguments(const Node& node,
                                                              SymbolTable& symbols) {
        std::vector<Argument> args;
        bool compiled = true;
        for (const NodeId child : node.children) {
            auto program = Compiler(ast_, symbols).run(child, false);
            if (!program) {
                errors_.insert(errors_.end(), program.errors().begin(), program.errors().end());
                compiled = false;
                continue;
            }
            const Node& argument = ast_.node(child);
            args.push_back(
                Argument{Expression{std::make_shared<const Program>(std::move(*program))},
                         argument.offset, argument.length});
        }
        return compiled ? std::optional(std::move(args)) : std::nullopt;
    }

    // A function the caller resolves at compile time into a slot it fills at evaluation time.
    std::optional<Type> caller_call(NodeId id, const Node& node) {
        if (SymbolTable* symbols = symbols_.argument_symbols(node.text)) {
            auto args = expression_arguments(node, *symbols);
            return args ? resolve_call(id, node, *args) : std::nullopt;
        }
        std::vector<Argument> args;
        bool literal = true;
        bool units = false;
        for (const NodeId child : node.children) {
            if (const Node& argument = ast_.node(child); argument.unit) {
                unit_out_of_comparison(argument);
                units = true;
            }
        }
        if (units) {
            return std::nullopt;
        }
        for (const NodeId child : node.children) {
            auto argument = literal_argument(ast_.node(child));
            if (argument) {
                args.push_back(std::move(*argument));
            } else {
                literal = false;
            }
        }
        if (!literal) {
            if (!is_function(node.text)) {
                unknown_function(node);
                return std::nullopt;
            }
            for (const NodeId child : node.children) {
                if (!literal_argument(ast_.node(child))) {
                    error(ast_.node(child), codes::kArguments,
                          fmt::format("the arguments of '{}' must be plain values or names, not "
                                      "calculations",
                                      node.text));
                }
            }
            return std::nullopt;
        }
        return resolve_call(id, node, args);
    }

    std::optional<Type> resolve_call(NodeId id, const Node& node, std::span<const Argument> args) {
        const auto resolved = symbols_.call(node.text, args);
        if (!resolved) {
            unknown_function(node);
            return std::nullopt;
        }
        if (!resolved->has_value()) {
            const Error& failure = resolved->error();
            error(node, failure.code.empty() ? codes::kArguments : failure.code, failure.message);
            return std::nullopt;
        }
        const Slot slot = resolved->value();
        builder_.emit(Instruction{OpCode::Load, slot.type, slot.index, 0});
        builder_.add_slot(slot, to_string(ast_, id));
        return slot.type;
    }

    const Ast& ast_;
    SymbolTable& symbols_;
    ProgramBuilder builder_;
    std::vector<ExprError> errors_;
};

ExprResult<Program> compile_source(std::string_view source, SymbolTable& symbols, bool condition) {
    auto ast = parse(source);
    if (!ast) {
        return ast.errors();
    }
    return Compiler(*ast, symbols).run(condition);
}

}  // namespace

ExprResult<Program> compile(std::string_view source, SymbolTable& symbols) {
    return compile_source(source, symbols, false);
}

ExprResult<Program> compile_condition(std::string_view source, SymbolTable& symbols) {
    return compile_source(source, symbols, true);
}

}  // namespace passerelle::rules::expr
