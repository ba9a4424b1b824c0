// SPDX-License-Identifier: Apache-2.0
// The stack machine: verification when a program is built, allocation-free evaluation after.
#include "rules/expr/program.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "gateway/core/assert.h"
#include "rules/expr/builtins.h"
#include "rules/expr/units.h"

namespace passerelle::rules::expr {
namespace {

Type type_of(const Value& value) {
    switch (value.index()) {
        case 0:
            return Type::Number;
        case 1:
            return Type::Bool;
        default:
            return Type::String;
    }
}

Cell constant_cell(const Value& value) {
    if (const auto* number = std::get_if<double>(&value)) {
        return Cell::of_number(*number);
    }
    if (const auto* flag = std::get_if<bool>(&value)) {
        return Cell::of_bool(*flag);
    }
    return Cell::of_text(std::get<std::string>(value));
}

// An input of the wrong type (a sensor that switched from numbers to strings) or a non-finite
// number is treated as missing rather than trusted.
Cell load(const Value* value, Type type) {
    if (value == nullptr) {
        return Cell::absent();
    }
    switch (type) {
        case Type::Number: {
            const auto* number = std::get_if<double>(value);
            return number != nullptr && std::isfinite(*number) ? Cell::of_number(*number)
                                                               : Cell::absent();
        }
        case Type::Bool: {
            const auto* flag = std::get_if<bool>(value);
            return flag != nullptr ? Cell::of_bool(*flag) : Cell::absent();
        }
        case Type::String: {
            const auto* text = std::get_if<std::string>(value);
            return text != nullptr ? Cell::of_text(*text) : Cell::absent();
        }
    }
    return Cell::absent();
}

Cell finite_number(double value) {
    return std::isfinite(value) ? Cell::of_number(value) : Cell::absent();
}

// A reading's number in the unit a comparison wants, given the unit the reading carries: a pass
// over the unit table, no allocation. Absent for a unit the table lacks or of another dimension.
Cell convert_unit(const Cell& number, const Cell& unit, UnitId target) {
    if (!number.present || !unit.present) {
        return Cell::absent();
    }
    const auto from = find_unit(unit.text);
    const auto converted = from ? convert(number.number, *from, target) : std::nullopt;
    return converted ? finite_number(*converted) : Cell::absent();
}

double floored_modulo(double left, double right) {
    double result = std::fmod(left, right);
    if (result != 0.0 && ((result < 0.0) != (right < 0.0))) {
        result += right;
    }
    return result;
}

Cell arithmetic(OpCode op, const Cell& left, const Cell& right) {
    if (!left.present || !right.present) {
        return Cell::absent();
    }
    switch (op) {
        case OpCode::Add:
            return finite_number(left.number + right.number);
        case OpCode::Subtract:
            return finite_number(left.number - right.number);
        case OpCode::Multiply:
            return finite_number(left.number * right.number);
        case OpCode::Divide:
            return finite_number(left.number / right.number);
        case OpCode::Modulo:
            return finite_number(floored_modulo(left.number, right.number));
        default:
            return Cell::absent();
    }
}

// -1, 0 or 1, by the operands' type.
int order(Type type, const Cell& left, const Cell& right) {
    switch (type) {
        case Type::Number:
            return left.number < right.number ? -1 : (left.number > right.number ? 1 : 0);
        case Type::Bool:
            return left.flag == right.flag ? 0 : (left.flag ? 1 : -1);
        case Type::String: {
            const int c = left.text.compare(right.text);
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
    }
    return 0;
}

Cell comparison(OpCode op, Type type, const Cell& left, const Cell& right) {
    if (!left.present || !right.present) {
        return Cell::absent();
    }
    const int c = order(type, left, right);
    switch (op) {
        case OpCode::Equal:
            return Cell::of_bool(c == 0);
        case OpCode::NotEqual:
            return Cell::of_bool(c != 0);
        case OpCode::Less:
            return Cell::of_bool(c < 0);
        case OpCode::LessEqual:
            return Cell::of_bool(c <= 0);
        case OpCode::Greater:
            return Cell::of_bool(c > 0);
        case OpCode::GreaterEqual:
            return Cell::of_bool(c >= 0);
        default:
            return Cell::absent();
    }
}

// Kleene logic: a known false decides `and`, a known true decides `or`, whatever is missing.
Cell logical_and(const Cell& left, const Cell& right) {
    if ((left.present && !left.flag) || (right.present && !right.flag)) {
        return Cell::of_bool(false);
    }
    return left.present && right.present ? Cell::of_bool(true) : Cell::absent();
}

Cell logical_or(const Cell& left, const Cell& right) {
    if ((left.present && left.flag) || (right.present && right.flag)) {
        return Cell::of_bool(true);
    }
    return left.present && right.present ? Cell::of_bool(false) : Cell::absent();
}

std::string_view op_name(OpCode op) {
    switch (op) {
        case OpCode::Constant:
            return "constant";
        case OpCode::Load:
            return "load";
        case OpCode::Not:
            return "not";
        case OpCode::Negate:
            return "negate";
        case OpCode::ConvertUnit:
            return "convert-unit";
        case OpCode::Add:
            return "add";
        case OpCode::Subtract:
            return "subtract";
        case OpCode::Multiply:
            return "multiply";
        case OpCode::Divide:
            return "divide";
        case OpCode::Modulo:
            return "modulo";
        case OpCode::Equal:
            return "equal";
        case OpCode::NotEqual:
            return "not-equal";
        case OpCode::Less:
            return "less";
        case OpCode::LessEqual:
            return "less-equal";
        case OpCode::Greater:
            return "greater";
        case OpCode::GreaterEqual:
            return "greater-equal";
        case OpCode::In:
            return "in";
        case OpCode::NotIn:
            return "not-in";
        case OpCode::JumpIfFalse:
            return "jump-if-false";
        case OpCode::JumpIfTrue:
            return "jump-if-true";
        case OpCode::And:
            return "and";
        case OpCode::Or:
            return "or";
        case OpCode::Call:
            return "call";
    }
    return "?";
}

std::string quoted(std::string_view text) {
    return fmt::format("\"{}\"", text);
}

std::string constant_text(const Value& value) {
    if (const auto* text = std::get_if<std::string>(&value)) {
        return quoted(*text);
    }
    return format_value(value);
}

// Replays the code with a stack of types: every index in range, no underflow, every operand of
// the type its instruction expects, jumps forward to a point with the same stack, one result.
class Verifier {
public:
    Verifier(const std::vector<Instruction>& code, const std::vector<Value>& constants,
             std::uint32_t slot_count)
        : code_(code), constants_(constants), slot_count_(slot_count) {}

    std::size_t run(Type result_type) {
        std::vector<std::optional<std::size_t>> depth_at(code_.size() + 1);
        for (std::size_t pc = 0; pc < code_.size(); ++pc) {
            if (depth_at[pc]) {
                PASSERELLE_ASSERT(*depth_at[pc] == stack_.size(), "jump target stack mismatch");
            }
            const Instruction& ins = code_[pc];
            step(ins);
            if (ins.op == OpCode::JumpIfFalse || ins.op == OpCode::JumpIfTrue) {
                PASSERELLE_ASSERT(ins.a > pc && ins.a <= code_.size(), "jump out of range");
                PASSERELLE_ASSERT(!depth_at[ins.a] || *depth_at[ins.a] == stack_.size(),
                                  "jumps to one target disagree on the stack");
                depth_at[ins.a] = stack_.size();
            }
        }
        if (depth_at[code_.size()]) {
            PASSERELLE_ASSERT(*depth_at[code_.size()] == stack_.size(), "final jump mismatch");
        }
        PASSERELLE_ASSERT(stack_.size() == 1, "a program must leave exactly one value");
        PASSERELLE_ASSERT(stack_.back() == result_type, "program result of the wrong type");
        return max_depth_;
    }

private:
    void pop(Type type) {
        PASSERELLE_ASSERT(!stack_.empty(), "program stack underflow");
        PASSERELLE_ASSERT(stack_.back() == type, "operand of the wrong type");
        stack_.pop_back();
    }
    void push(Type type) {
        stack_.push_back(type);
        max_depth_ = std::max(max_depth_, stack_.size());
    }
    void check_constant(std::size_t index, Type type) const {
        PASSERELLE_ASSERT(index < constants_.size(), "constant index out of range");
        PASSERELLE_ASSERT(type_of(constants_[index]) == type, "constant of the wrong type");
    }

    void step(const Instruction& ins) {
        switch (ins.op) {
            case OpCode::Constant:
                check_constant(ins.a, ins.type);
                push(ins.type);
                return;
            case OpCode::Load:
                PASSERELLE_ASSERT(ins.a < slot_count_, "slot index not declared");
                push(ins.type);
                return;
            case OpCode::Not:
                pop(Type::Bool);
                push(Type::Bool);
                return;
            case OpCode::Negate:
                pop(Type::Number);
                push(Type::Number);
                return;
            case OpCode::ConvertUnit:
                PASSERELLE_ASSERT(ins.a < units().size(), "unknown unit");
                pop(Type::String);
                pop(Type::Number);
                push(Type::Number);
                return;
            case OpCode::Add:
            case OpCode::Subtract:
            case OpCode::Multiply:
            case OpCode::Divide:
            case OpCode::Modulo:
                pop(Type::Number);
                pop(Type::Number);
                push(Type::Number);
                return;
            case OpCode::Less:
            case OpCode::LessEqual:
            case OpCode::Greater:
            case OpCode::GreaterEqual:
                PASSERELLE_ASSERT(ins.type != Type::Bool, "ordering of booleans");
                [[fallthrough]];
            case OpCode::Equal:
            case OpCode::NotEqual:
                pop(ins.type);
                pop(ins.type);
                push(Type::Bool);
                return;
            case OpCode::In:
            case OpCode::NotIn:
                PASSERELLE_ASSERT(ins.b <= constants_.size() && ins.a <= constants_.size() - ins.b,
                                  "list constants out of range");
                for (std::size_t i = ins.a; i < std::size_t{ins.a} + ins.b; ++i) {
                    check_constant(i, ins.type);
                }
                pop(ins.type);
                push(Type::Bool);
                return;
            case OpCode::JumpIfFalse:
            case OpCode::JumpIfTrue:
                PASSERELLE_ASSERT(!stack_.empty() && stack_.back() == Type::Bool,
                                  "jump on a non-boolean");
                return;
            case OpCode::And:
            case OpCode::Or:
                pop(Type::Bool);
                pop(Type::Bool);
                push(Type::Bool);
                return;
            case OpCode::Call: {
                PASSERELLE_ASSERT(ins.a < builtins().size(), "unknown builtin");
                const Builtin& builtin = builtins()[ins.a];
                PASSERELLE_ASSERT(ins.b >= builtin.min_args && ins.b <= builtin.max_args,
                                  "builtin called with a wrong argument count");
                for (std::uint32_t i = 0; i < ins.b; ++i) {
                    pop(builtin.param_type);
                }
                push(builtin.result_type);
                return;
            }
        }
        PASSERELLE_ASSERT(false, "unknown opcode");
    }

    const std::vector<Instruction>& code_;
    const std::vector<Value>& constants_;
    std::uint32_t slot_count_;
    std::vector<Type> stack_;
    std::size_t max_depth_ = 0;
};

}  // namespace

std::string EvalResult::to_string() const {
    if (!cell_.present) {
        return "absent";
    }
    switch (type_) {
        case Type::Number:
            return fmt::format("{}", cell_.number);
        case Type::Bool:
            return cell_.flag ? "true" : "false";
        case Type::String:
            return quoted(cell_.text);
    }
    return "?";
}

void EvalScratch::reserve_for(const Program& program) {
    reserve(program.max_stack());
}

namespace {

// The machine itself, for code a Verifier accepted: the stack stays within its max_stack.
Cell run(std::span<const Instruction> code, std::span<const Value> constants, SlotView inputs,
         Cell* const stack) {
    std::size_t top = 0;  // cells on the stack
    std::size_t pc = 0;
    while (pc < code.size()) {
        const Instruction& ins = code[pc];
        ++pc;
        switch (ins.op) {
            case OpCode::Constant:
                stack[top++] = constant_cell(constants[ins.a]);
                break;
            case OpCode::Load:
                stack[top++] = load(inputs[ins.a], ins.type);
                break;
            case OpCode::Not:
                if (stack[top - 1].present) {
                    stack[top - 1].flag = !stack[top - 1].flag;
                }
                break;
            case OpCode::Negate:
                if (stack[top - 1].present) {
                    stack[top - 1].number = -stack[top - 1].number;
                }
                break;
            case OpCode::ConvertUnit:
                stack[top - 2] =
                    convert_unit(stack[top - 2], stack[top - 1], static_cast<UnitId>(ins.a));
                --top;
                break;
            case OpCode::Add:
            case OpCode::Subtract:
            case OpCode::Multiply:
            case OpCode::Divide:
            case OpCode::Modulo:
                stack[top - 2] = arithmetic(ins.op, stack[top - 2], stack[top - 1]);
                --top;
                break;
            case OpCode::Equal:
            case OpCode::NotEqual:
            case OpCode::Less:
            case OpCode::LessEqual:
            case OpCode::Greater:
            case OpCode::GreaterEqual:
                stack[top - 2] = comparison(ins.op, ins.type, stack[top - 2], stack[top - 1]);
                --top;
                break;
            case OpCode::In:
            case OpCode::NotIn: {
                Cell& item = stack[top - 1];
                if (!item.present) {
                    break;
                }
                bool found = false;
                for (std::size_t i = ins.a; i < std::size_t{ins.a} + ins.b && !found; ++i) {
                    found = order(ins.type, item, constant_cell(constants[i])) == 0;
                }
                item = Cell::of_bool(ins.op == OpCode::In ? found : !found);
                break;
            }
            case OpCode::JumpIfFalse:
                if (stack[top - 1].present && !stack[top - 1].flag) {
                    pc = ins.a;
                }
                break;
            case OpCode::JumpIfTrue:
                if (stack[top - 1].present && stack[top - 1].flag) {
                    pc = ins.a;
                }
                break;
            case OpCode::And:
                stack[top - 2] = logical_and(stack[top - 2], stack[top - 1]);
                --top;
                break;
            case OpCode::Or:
                stack[top - 2] = logical_or(stack[top - 2], stack[top - 1]);
                --top;
                break;
            case OpCode::Call: {
                const Builtin& builtin = builtins()[ins.a];
                const std::span<const Cell> args(stack + (top - ins.b), ins.b);
                const bool all_present = std::all_of(args.begin(), args.end(),
                                                     [](const Cell& arg) { return arg.present; });
                Cell result = all_present ? builtin.apply(args) : Cell::absent();
                if (result.present && builtin.result_type == Type::Number &&
                    !std::isfinite(result.number)) {
                    result = Cell::absent();
                }
                top -= ins.b;
                stack[top++] = result;
                break;
            }
        }
    }
    return stack[0];
}

Truth truth_of(const EvalResult& result) {
    if (result.is_absent()) {
        return Truth::Absent;
    }
    return result.boolean() ? Truth::True : Truth::False;
}

}  // namespace

EvalResult Program::evaluate(SlotView inputs, EvalScratch& scratch) const {
    PASSERELLE_ASSERT(inputs.size() >= slot_count_, "evaluate: fewer inputs than slots");
    scratch.reserve_for(*this);
    return EvalResult(result_type_, run(code_, constants_, inputs, scratch.stack_.data()));
}

Truth Program::evaluate_condition(SlotView inputs, EvalScratch& scratch) const {
    PASSERELLE_ASSERT(result_type_ == Type::Bool, "evaluate_condition on a non-condition");
    return truth_of(evaluate(inputs, scratch));
}

// Everything it calls is inlined here (flatten): the engine evaluates every rule's conditions
// through it, and the calls cost about 13 % of a reading with 10 rules.
[[gnu::flatten]] Truth Program::evaluate_copied_condition(std::span<const Instruction> code,
                                                          std::span<const Value> constants,
                                                          std::size_t max_stack, SlotView inputs,
                                                          EvalScratch& scratch) {
    scratch.reserve(max_stack);
    return truth_of(EvalResult(Type::Bool, run(code, constants, inputs, scratch.stack_.data())));
}

std::string Program::disassemble() const {
    std::string out;
    for (std::size_t pc = 0; pc < code_.size(); ++pc) {
        const Instruction& ins = code_[pc];
        std::string operands;
        switch (ins.op) {
            case OpCode::Constant:
                operands = constant_text(constants_[ins.a]);
                break;
            case OpCode::Load: {
                const auto it = std::find_if(slots_.begin(), slots_.end(), [&](const SlotRef& ref) {
                    return ref.slot.index == ins.a;
                });
                operands = fmt::format("#{} {} ({})", ins.a, it != slots_.end() ? it->source : "?",
                                       type_name(ins.type));
                break;
            }
            case OpCode::Equal:
            case OpCode::NotEqual:
            case OpCode::Less:
            case OpCode::LessEqual:
            case OpCode::Greater:
            case OpCode::GreaterEqual:
                operands = std::string(type_name(ins.type));
                break;
            case OpCode::In:
            case OpCode::NotIn:
                for (std::size_t i = ins.a; i < std::size_t{ins.a} + ins.b; ++i) {
                    operands += i == ins.a ? "[" : ", ";
                    operands += constant_text(constants_[i]);
                }
                operands += "]";
                break;
            case OpCode::ConvertUnit:
                operands = std::string(units()[ins.a].symbol);
                break;
            case OpCode::JumpIfFalse:
            case OpCode::JumpIfTrue:
                operands = fmt::format("-> {}", ins.a);
                break;
            case OpCode::Call:
                operands = fmt::format("{}/{}", builtins()[ins.a].name, ins.b);
                break;
            default:
                break;
        }
        out += operands.empty() ? fmt::format("{:>3}  {}\n", pc, op_name(ins.op))
                                : fmt::format("{:>3}  {:<14}{}\n", pc, op_name(ins.op), operands);
    }
    return out;
}

std::uint32_t ProgramBuilder::add_constant(Value value) {
    program_.constants_.push_back(std::move(value));
    return static_cast<std::uint32_t>(program_.constants_.size() - 1);
}

std::size_t ProgramBuilder::emit(Instruction instruction) {
    program_.code_.push_back(instruction);
    return program_.code_.size() - 1;
}

void ProgramBuilder::patch_jump_to_here(std::size_t jump_index) {
    PASSERELLE_ASSERT(jump_index < program_.code_.size(), "patching a missing jump");
    program_.code_[jump_index].a = static_cast<std::uint32_t>(program_.code_.size());
}

void ProgramBuilder::add_slot(Slot slot, std::string source) {
    for (const SlotRef& ref : program_.slots_) {
        if (ref.slot.index == slot.index) {
            return;
        }
    }
    PASSERELLE_ASSERT(slot.index < UINT32_MAX, "slot index out of range");
    program_.slot_count_ = std::max(program_.slot_count_, slot.index + 1);
    program_.slots_.push_back(SlotRef{slot, std::move(source)});
}

Program ProgramBuilder::finish(Type result_type, std::string canonical) && {
    program_.result_type_ = result_type;
    program_.canonical_ = std::move(canonical);
    program_.max_stack_ =
        Verifier(program_.code_, program_.constants_, program_.slot_count_).run(result_type);
    return std::move(program_);
}

}  // namespace passerelle::rules::expr
