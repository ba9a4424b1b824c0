// SPDX-License-Identifier: Apache-2.0
// The syntax tree of one expression, stored flat, with the source span of every node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/time.h"
#include "rules/expr/units.h"

namespace passerelle::rules::expr {

using NodeId = std::uint32_t;

enum class NodeKind : std::uint8_t {
    Number,
    String,
    Bool,
    Duration,
    Name,    // `text` is the (possibly dotted) name
    Unary,   // children: operand
    Binary,  // children: left, right
    In,      // children: left, then the list items; `negated` for `not in`
    Call,    // `text` is the function name; children: arguments
};

enum class Op : std::uint8_t {
    None,
    Not,
    Negate,
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
};

struct Node {
    NodeKind kind = NodeKind::Number;
    Op op = Op::None;
    bool flag = false;    // Bool: the value; In: true for `not in`
    double number = 0.0;  // Number
    std::optional<UnitId> unit;  // Number: the unit written after it, as in `50 kW`
    Duration duration{};  // Duration
    std::string text;     // String (unescaped), Name, Call
    std::vector<NodeId> children;
    // Operators above the deepest leaf: 0 for a leaf. Bounded by kMaxExpressionDepth, so that
    // every recursive walk of the tree is.
    std::size_t height = 0;
    // Bytes of the source this node covers, parentheses around it included.
    std::size_t offset = 0;
    std::size_t length = 0;
};

/// Nodes refer to each other by index; children always have smaller indices than their parent.
struct Ast {
    std::vector<Node> nodes;
    NodeId root = 0;

    const Node& node(NodeId id) const { return nodes[id]; }
};

/// The operator as it is written in canonical form: "and", "<=", "-".
std::string_view op_text(Op op);

bool is_comparison(Op op);
bool is_arithmetic(Op op);

/// Canonical text: every operator application in parentheses, keywords spelt out ("and", not
/// "&&"), strings in double quotes, numbers in shortest form, a unit after a space in its
/// canonical symbol (`28 Cel`). Parsing it gives the same tree.
std::string to_string(const Ast& ast);
std::string to_string(const Ast& ast, NodeId id);

}  // namespace passerelle::rules::expr
