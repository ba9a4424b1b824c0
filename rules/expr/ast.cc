// SPDX-License-Identifier: Apache-2.0
// Canonical printing of expression trees, used by tests, error hints and explanations.
#include "rules/expr/ast.h"

#include <fmt/format.h>

namespace passerelle::rules::expr {
namespace {

void append_string_literal(std::string& out, const std::string& text) {
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
}

void append(std::string& out, const Ast& ast, NodeId id) {
    const Node& node = ast.node(id);
    switch (node.kind) {
        case NodeKind::Number:
            out += fmt::format("{}", node.number);
            if (node.unit) {
                out += ' ';
                out += units()[*node.unit].symbol;
            }
            return;
        case NodeKind::String:
            append_string_literal(out, node.text);
            return;
        case NodeKind::Bool:
            out += node.flag ? "true" : "false";
            return;
        case NodeKind::Duration:
            out += format_duration(node.duration);
            return;
        case NodeKind::Name:
            out += node.text;
            return;
        case NodeKind::Unary:
            out += node.op == Op::Not ? "(not " : "(-";
            // "--5" would not read back as the same tree; "- -5" does.
            if (node.op == Op::Negate && ast.node(node.children[0]).kind == NodeKind::Number &&
                ast.node(node.children[0]).number < 0) {
                out += ' ';
            }
            append(out, ast, node.children[0]);
            out += ')';
            return;
        case NodeKind::Binary:
            out += '(';
            append(out, ast, node.children[0]);
            out += fmt::format(" {} ", op_text(node.op));
            append(out, ast, node.children[1]);
            out += ')';
            return;
        case NodeKind::In:
            out += '(';
            append(out, ast, node.children[0]);
            out += node.flag ? " not in [" : " in [";
            for (std::size_t i = 1; i < node.children.size(); ++i) {
                if (i > 1) {
                    out += ", ";
                }
                append(out, ast, node.children[i]);
            }
            out += "])";
            return;
        case NodeKind::Call:
            out += node.text;
            out += '(';
            for (std::size_t i = 0; i < node.children.size(); ++i) {
                if (i > 0) {
                    out += ", ";
                }
                append(out, ast, node.children[i]);
            }
            out += ')';
            return;
    }
}

}  // namespace

std::string_view op_text(Op op) {
    switch (op) {
        case Op::None:
            return "";
        case Op::Not:
            return "not";
        case Op::Negate:
            return "-";
        case Op::And:
            return "and";
        case Op::Or:
            return "or";
        case Op::Equal:
            return "==";
        case Op::NotEqual:
            return "!=";
        case Op::Less:
            return "<";
        case Op::LessEqual:
            return "<=";
        case Op::Greater:
            return ">";
        case Op::GreaterEqual:
            return ">=";
        case Op::Add:
            return "+";
        case Op::Subtract:
            return "-";
        case Op::Multiply:
            return "*";
        case Op::Divide:
            return "/";
        case Op::Modulo:
            return "%";
    }
    return "?";
}

bool is_comparison(Op op) {
    return op == Op::Equal || op == Op::NotEqual || op == Op::Less || op == Op::LessEqual ||
           op == Op::Greater || op == Op::GreaterEqual;
}

bool is_arithmetic(Op op) {
    return op == Op::Add || op == Op::Subtract || op == Op::Multiply || op == Op::Divide ||
           op == Op::Modulo;
}

std::string to_string(const Ast& ast) {
    return to_string(ast, ast.root);
}

std::string to_string(const Ast& ast, NodeId id) {
    std::string out;
    append(out, ast, id);
    return out;
}

}  // namespace passerelle::rules::expr
