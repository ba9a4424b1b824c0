// SPDX-License-Identifier: Apache-2.0
// A Pratt parser over the token list: one function per precedence decision, depth-checked.
#include "rules/expr/parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "rules/expr/lexer.h"

namespace passerelle::rules::expr {
namespace {

// Binding powers: an infix operator continues an expression only if it binds tighter than the
// context it is parsed in.
constexpr int kOrPower = 1;
constexpr int kAndPower = 2;
constexpr int kNotOperandPower = 2;  // `not` takes comparisons but stops at `and`/`or`
constexpr int kComparisonPower = 4;
constexpr int kSumPower = 5;
constexpr int kProductPower = 6;
constexpr int kNegateOperandPower = 6;  // `-a * b` is `(-a) * b`

struct Infix {
    Op op = Op::None;
    int power = 0;
    std::size_t token_count = 1;
    bool is_in = false;
    bool negated = false;
};

// Where a sub-expression ended, to word the error about what should have followed it.
enum class Context { Top, Group, Call, List };

class Parser {
public:
    Parser(std::string_view source, std::vector<Token> tokens)
        : source_(source), tokens_(std::move(tokens)) {}

    ExprResult<Ast> run() {
        const auto root = expression(0);
        if (root && peek().kind != TokenKind::End) {
            unexpected(Context::Top, {});
        }
        if (error_) {
            return std::move(*error_);
        }
        ast_.root = *root;
        return std::move(ast_);
    }

private:
    // RAII count of the current nesting, checked against kMaxExpressionDepth.
    class Nesting {
    public:
        explicit Nesting(std::size_t& depth) : depth_(depth) { ++depth_; }
        ~Nesting() { --depth_; }
        Nesting(const Nesting&) = delete;
        Nesting& operator=(const Nesting&) = delete;

    private:
        std::size_t& depth_;
    };

    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
    }
    const Token& advance() {
        const Token& token = tokens_[pos_];
        if (pos_ + 1 < tokens_.size()) {
            ++pos_;
        }
        return token;
    }
    std::string_view text_of(const Token& token) const {
        return source_.substr(token.offset, token.length);
    }
    static std::size_t column_of(const Token& token) { return token.offset + 1; }

    std::nullopt_t fail(const Token& at, std::string_view code, std::string message) {
        if (!error_) {
            error_ = ExprError{at.offset, at.length, std::string(code), std::move(message)};
        }
        return std::nullopt;
    }

    bool too_deep(const Token& at) {
        if (depth_ > kMaxExpressionDepth) {
            fail(at, codes::kTooDeep, too_deep_message());
            return true;
        }
        return false;
    }

    NodeId add(Node node) {
        ast_.nodes.push_back(std::move(node));
        return static_cast<NodeId>(ast_.nodes.size() - 1);
    }

    // Adds a node with children. A long chain such as `1 + 1 + ... + 1` needs no recursion to
    // parse, but the tree it makes is as high as the chain is long, so height is limited too.
    std::optional<NodeId> add_operator(Node node, const Token& at) {
        for (const NodeId child : node.children) {
            node.height = std::max(node.height, ast_.node(child).height + 1);
        }
        if (node.height > kMaxExpressionDepth) {
            return fail(at, codes::kTooDeep, too_deep_message());
        }
        return add(std::move(node));
    }

    static std::string too_deep_message() {
        return fmt::format(
            "the expression is nested too deeply: more than {} levels of "
            "parentheses, operators or calls",
            kMaxExpressionDepth);
    }

    std::size_t end_of(NodeId id) const { return ast_.node(id).offset + ast_.node(id).length; }

    std::optional<Infix> infix() const {
        switch (peek().kind) {
            case TokenKind::Or:
                return Infix{Op::Or, kOrPower};
            case TokenKind::And:
                return Infix{Op::And, kAndPower};
            case TokenKind::Equal:
                return Infix{Op::Equal, kComparisonPower};
            case TokenKind::NotEqual:
                return Infix{Op::NotEqual, kComparisonPower};
            case TokenKind::Less:
                return Infix{Op::Less, kComparisonPower};
            case TokenKind::LessEqual:
                return Infix{Op::LessEqual, kComparisonPower};
            case TokenKind::Greater:
                return Infix{Op::Greater, kComparisonPower};
            case TokenKind::GreaterEqual:
                return Infix{Op::GreaterEqual, kComparisonPower};
            case TokenKind::In:
                return Infix{Op::None, kComparisonPower, 1, true, false};
            case TokenKind::Not:
                if (peek(1).kind == TokenKind::In) {
                    return Infix{Op::None, kComparisonPower, 2, true, true};
                }
                return std::nullopt;
            case TokenKind::Plus:
                return Infix{Op::Add, kSumPower};
            case TokenKind::Minus:
                return Infix{Op::Subtract, kSumPower};
            case TokenKind::Star:
                return Infix{Op::Multiply, kProductPower};
            case TokenKind::Slash:
                return Infix{Op::Divide, kProductPower};
            case TokenKind::Percent:
                return Infix{Op::Modulo, kProductPower};
            default:
                return std::nullopt;
        }
    }

    std::optional<NodeId> expression(int min_power) {
        auto left = prefix();
        while (left) {
            const auto op = infix();
            if (!op || op->power <= min_power) {
                break;
            }
            const Token& op_token = peek();
            for (std::size_t i = 0; i < op->token_count; ++i) {
                advance();
            }
            if (op->is_in) {
                left = in_list(*left, op->negated, op_token);
            } else {
                const auto right = expression(op->power);
                if (!right) {
                    return std::nullopt;
                }
                Node node;
                node.kind = NodeKind::Binary;
                node.op = op->op;
                node.children = {*left, *right};
                node.offset = ast_.node(*left).offset;
                node.length = end_of(*right) - node.offset;
                left = add_operator(std::move(node), op_token);
            }
            if (left && op->power == kComparisonPower) {
                const auto next = infix();
                if (next && next->power == kComparisonPower) {
                    return fail(peek(), codes::kSyntax,
                                "comparisons cannot be chained; write 'a < b and b < c' instead");
                }
            }
        }
        return left;
    }

    std::optional<NodeId> prefix() {
        const Token& token = peek();
        switch (token.kind) {
            case TokenKind::Number:
            case TokenKind::Duration:
            case TokenKind::String:
            case TokenKind::True:
            case TokenKind::False:
                return literal(advance());
            case TokenKind::Name:
                if (peek(1).kind == TokenKind::LeftParen) {
                    return call();
                }
                return literal(advance());
            case TokenKind::LeftParen:
                return group();
            case TokenKind::Not:
            case TokenKind::Minus:
                return unary();
            case TokenKind::End:
                return fail(token, codes::kSyntax, "unexpected end of expression");
            case TokenKind::LeftBracket:
                return fail(token, codes::kSyntax,
                            "a list [...] can only follow 'in', as in 'level in [3, 4]'");
            default:
                return fail(
                    token, codes::kSyntax,
                    fmt::format("expected a value or a name, but found '{}'", text_of(token)));
        }
    }

    NodeId literal(const Token& token) {
        Node node;
        node.offset = token.offset;
        node.length = token.length;
        switch (token.kind) {
            case TokenKind::Number:
                node.kind = NodeKind::Number;
                node.number = token.number;
                node.unit = token.unit;
                break;
            case TokenKind::Duration:
                node.kind = NodeKind::Duration;
                node.duration = token.duration;
                break;
            case TokenKind::String:
                node.kind = NodeKind::String;
                node.text = token.text;
                break;
            case TokenKind::True:
            case TokenKind::False:
                node.kind = NodeKind::Bool;
                node.flag = token.kind == TokenKind::True;
                break;
            default:
                node.kind = NodeKind::Name;
                node.text = token.text;
                break;
        }
        return add(std::move(node));
    }

    std::optional<NodeId> unary() {
        const Token& op_token = advance();
        const Nesting nesting(depth_);
        if (too_deep(op_token)) {
            return std::nullopt;
        }
        const bool is_not = op_token.kind == TokenKind::Not;
        const auto operand = expression(is_not ? kNotOperandPower : kNegateOperandPower);
        if (!operand) {
            return std::nullopt;
        }
        Node& inner = ast_.nodes[*operand];
        if (!is_not && inner.kind == NodeKind::Number) {
            // `-5` is a literal, so that it can appear in lists and function arguments; `-5 Cel`
            // keeps its unit.
            inner.number = -inner.number;
            inner.length = end_of(*operand) - op_token.offset;
            inner.offset = op_token.offset;
            return operand;
        }
        Node node;
        node.kind = NodeKind::Unary;
        node.op = is_not ? Op::Not : Op::Negate;
        node.children = {*operand};
        node.offset = op_token.offset;
        node.length = end_of(*operand) - op_token.offset;
        return add_operator(std::move(node), op_token);
    }

    std::optional<NodeId> group() {
        const Token& open = advance();
        const Nesting nesting(depth_);
        if (too_deep(open)) {
            return std::nullopt;
        }
        const auto inner = expression(0);
        if (!inner) {
            return std::nullopt;
        }
        if (peek().kind != TokenKind::RightParen) {
            return unexpected(Context::Group, open);
        }
        const Token& close = advance();
        // The node now covers its parentheses, so that errors underline `(a + b)` whole.
        Node& node = ast_.nodes[*inner];
        node.offset = open.offset;
        node.length = close.offset + close.length - open.offset;
        return inner;
    }

    std::optional<NodeId> call() {
        const Token& name = advance();
        const Token& open = advance();
        const Nesting nesting(depth_);
        if (too_deep(open)) {
            return std::nullopt;
        }
        Node node;
        node.kind = NodeKind::Call;
        node.text = name.text;
        node.offset = name.offset;
        if (peek().kind != TokenKind::RightParen) {
            if (!items(node.children, Context::Call, open)) {
                return std::nullopt;
            }
        }
        const Token& close = advance();
        node.length = close.offset + close.length - name.offset;
        return add_operator(std::move(node), name);
    }

    std::optional<NodeId> in_list(NodeId left, bool negated, const Token& in_token) {
        if (peek().kind != TokenKind::LeftBracket) {
            return fail(peek(), codes::kSyntax,
                        fmt::format("expected a list such as [3, 4] after '{}'",
                                    negated ? "not in" : "in"));
        }
        const Token& open = advance();
        const Nesting nesting(depth_);
        if (too_deep(open)) {
            return std::nullopt;
        }
        Node node;
        node.kind = NodeKind::In;
        node.flag = negated;
        node.children = {left};
        node.offset = ast_.node(left).offset;
        if (peek().kind != TokenKind::RightBracket) {
            if (!items(node.children, Context::List, open)) {
                return std::nullopt;
            }
        }
        const Token& close = advance();
        node.length = close.offset + close.length - node.offset;
        return add_operator(std::move(node), in_token);
    }

    // Comma-separated expressions up to (not past) the closing token of `context`.
    bool items(std::vector<NodeId>& out, Context context, const Token& open) {
        const TokenKind close =
            context == Context::Call ? TokenKind::RightParen : TokenKind::RightBracket;
        while (true) {
            const auto item = expression(0);
            if (!item) {
                return false;
            }
            out.push_back(*item);
            if (peek().kind == TokenKind::Comma) {
                advance();
                continue;
            }
            if (peek().kind == close) {
                return true;
            }
            unexpected(context, open);
            return false;
        }
    }

    // A token that cannot continue the expression where it stands.
    std::nullopt_t unexpected(Context context, const Token& open) {
        const Token& token = peek();
        const std::string_view text = text_of(token);
        if (token.kind == TokenKind::Name) {
            std::string lower(text);
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            for (const std::string_view keyword : {"and", "or", "not", "in"}) {
                if (lower == keyword) {
                    return fail(
                        token, codes::kSyntax,
                        fmt::format("unexpected '{}' here; did you mean '{}'?", text, keyword));
                }
            }
        }
        const bool value_like = token.kind == TokenKind::Number ||
                                token.kind == TokenKind::Duration ||
                                token.kind == TokenKind::String || token.kind == TokenKind::Name ||
                                token.kind == TokenKind::True || token.kind == TokenKind::False ||
                                token.kind == TokenKind::LeftParen || token.kind == TokenKind::Not;
        if (value_like) {
            const bool in_sequence = context == Context::Call || context == Context::List;
            return fail(token, codes::kSyntax,
                        fmt::format("unexpected '{}' here; is {} missing before it?", text,
                                    in_sequence ? "a comma or an operator" : "an operator"));
        }
        switch (context) {
            case Context::Top:
                if (token.kind == TokenKind::RightParen) {
                    return fail(token, codes::kSyntax, "unexpected ')' without a matching '('");
                }
                if (token.kind == TokenKind::RightBracket) {
                    return fail(token, codes::kSyntax, "unexpected ']' without a matching '['");
                }
                if (token.kind == TokenKind::LeftBracket) {
                    return fail(token, codes::kSyntax,
                                "a list [...] can only follow 'in', as in 'level in [3, 4]'");
                }
                return fail(token, codes::kSyntax, fmt::format("unexpected '{}' here", text));
            case Context::Group:
                return fail(token, codes::kSyntax,
                            fmt::format("expected ')' to close '(' at column {}", column_of(open)));
            case Context::Call:
            case Context::List: {
                const char closing = context == Context::Call ? ')' : ']';
                const char opening = context == Context::Call ? '(' : '[';
                if (token.kind == TokenKind::End) {
                    return fail(token, codes::kSyntax,
                                fmt::format("expected '{}' to close '{}' at column {}", closing,
                                            opening, column_of(open)));
                }
                return fail(token, codes::kSyntax,
                            fmt::format("expected ',' or '{}' to close '{}' at column {}", closing,
                                        opening, column_of(open)));
            }
        }
        return std::nullopt;
    }

    std::string_view source_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;
    Ast ast_;
    std::optional<ExprError> error_;
};

}  // namespace

ExprResult<Ast> parse(std::string_view source) {
    auto tokens = lex(source);
    if (!tokens) {
        return tokens.errors();
    }
    if (tokens->size() == 1) {
        return ExprError{0, 0, std::string(codes::kSyntax), "the expression is empty"};
    }
    return Parser(source, std::move(*tokens)).run();
}

}  // namespace passerelle::rules::expr
