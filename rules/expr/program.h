// SPDX-License-Identifier: Apache-2.0
// A compiled expression: flat stack-machine code, its constants and inputs, and its evaluator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/reading.h"
#include "rules/expr/cell.h"
#include "rules/expr/types.h"

namespace passerelle::rules::expr {

/// The caller's input values, indexed by slot; nullptr means absent (e.g. a signal never received).
using SlotView = std::span<const Value* const>;

enum class OpCode : std::uint8_t {
    Constant,     // push constants[a]
    Load,         // push inputs[a]; absent if missing, of another type than `type`, or not finite
    Not,          // bool -> bool
    Negate,       // number -> number
    ConvertUnit,  // number, unit string -> the number in units()[a]; absent for another dimension
    Add,          // number, number -> number; absent when the result is not finite
    Subtract,
    Multiply,
    Divide,
    Modulo,  // floored: the result has the sign of the right side
    Equal,   // type, type -> bool
    NotEqual,
    Less,  // number or string operands (strings by bytes)
    LessEqual,
    Greater,
    GreaterEqual,
    In,  // type -> bool: is the top one of constants[a, a + b)?
    NotIn,
    JumpIfFalse,  // top is false: jump to a, keeping it (short-circuit `and`)
    JumpIfTrue,   // top is true: jump to a, keeping it (short-circuit `or`)
    And,          // bool, bool -> bool, three-valued
    Or,
    Call,  // b arguments -> builtins()[a].result_type
};

struct Instruction {
    OpCode op = OpCode::Constant;
    Type type = Type::Number;  // Constant, Load: the value's; comparisons, In: the operands'
    std::uint32_t a = 0;
    std::uint32_t b = 0;
};

/// An input a program reads, with the text that produced it (`value`, `last("…")`), so that an
/// explanation can print "value = 29.1".
struct SlotRef {
    Slot slot;
    std::string source;
};

/// A condition's outcome. Absent: some data was missing and the rest did not decide the answer;
/// callers treat it as "not satisfied" and may say why.
enum class Truth : std::uint8_t { False, True, Absent };

/// A value produced by evaluation. Text views point into the program or the caller's inputs and
/// are valid while both are.
class EvalResult {
public:
    EvalResult(Type type, Cell cell) : type_(type), cell_(cell) {}

    Type type() const { return type_; }
    bool is_absent() const { return !cell_.present; }
    double number() const { return cell_.number; }
    bool boolean() const { return cell_.flag; }
    std::string_view text() const { return cell_.text; }
    /// "absent", "29.5", "true", "\"rouge\"".
    std::string to_string() const;

private:
    Type type_;
    Cell cell_;
};

class Program;

/// The evaluation stack, allocated once and reused: evaluation itself never allocates once the
/// scratch is large enough. One scratch serves any number of programs, one at a time.
class EvalScratch {
public:
    EvalScratch() = default;
    explicit EvalScratch(const Program& program) { reserve_for(program); }
    /// Grows the stack if `program` needs more; the only allocation evaluation may do.
    void reserve_for(const Program& program);
    /// Grows the stack to `depth` cells if it is shorter.
    void reserve(std::size_t depth) {
        if (stack_.size() < depth) {
            stack_.resize(depth);
        }
    }

private:
    friend class Program;
    std::vector<Cell> stack_;
};

/// Immutable once built; evaluate() is const and may run for any number of inputs.
class Program {
public:
    Type result_type() const { return result_type_; }
    /// The input span given to evaluate() must have at least this many entries.
    std::uint32_t slot_count() const { return slot_count_; }
    /// The inputs this program reads, each once, in order of first appearance.
    std::span<const SlotRef> slots() const { return slots_; }
    std::size_t max_stack() const { return max_stack_; }
    std::span<const Instruction> code() const { return code_; }
    std::span<const Value> constants() const { return constants_; }
    /// The expression in canonical form (see to_string(const Ast&)).
    const std::string& canonical() const { return canonical_; }
    /// One instruction per line, for tests and `passerelle check --explain`.
    std::string disassemble() const;

    /// Runs the program. Never fails: missing data, wrongly typed inputs, division by zero and
    /// other non-finite arithmetic make the affected values absent.
    EvalResult evaluate(SlotView inputs, EvalScratch& scratch) const;
    /// evaluate() for programs whose result type is Bool.
    Truth evaluate_condition(SlotView inputs, EvalScratch& scratch) const;
    /// evaluate_condition() of a condition's code() and constants() copied elsewhere, so that a
    /// caller may pack many conditions together; `max_stack` at least the Program's max_stack().
    static Truth evaluate_copied_condition(std::span<const Instruction> code,
                                           std::span<const Value> constants, std::size_t max_stack,
                                           SlotView inputs, EvalScratch& scratch);

private:
    friend class ProgramBuilder;
    Program() = default;

    std::vector<Instruction> code_;
    std::vector<Value> constants_;
    std::vector<SlotRef> slots_;
    std::uint32_t slot_count_ = 0;
    std::size_t max_stack_ = 0;
    Type result_type_ = Type::Bool;
    std::string canonical_;
};

/// Assembles a Program. finish() verifies the code (operand indices, stack depth and the types
/// flowing through it), so the evaluator can trust any program it is given.
class ProgramBuilder {
public:
    std::uint32_t add_constant(Value value);
    /// Appends an instruction and returns its index.
    std::size_t emit(Instruction instruction);
    /// Points the jump at `jump_index` to the next instruction to be emitted.
    void patch_jump_to_here(std::size_t jump_index);
    /// Records that the program reads `slot`; the first source text for an index is kept.
    void add_slot(Slot slot, std::string source);
    Program finish(Type result_type, std::string canonical) &&;

private:
    Program program_;
};

}  // namespace passerelle::rules::expr
