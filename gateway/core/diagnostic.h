// SPDX-License-Identifier: Apache-2.0
// Diagnostics about files people write (config, rules): where, what, and how to fix it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

/// A place in a file. Lines and columns are 1-based; 0 means unknown (printed as `?`).
struct SourceSpan {
    std::string file;
    int line = 0;
    int column = 0;
    int length = 1;  // characters underlined by the caret line
};

enum class Severity { Error, Warning };

struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code;  // stable, documented: "rules.unknown-key"
    std::string message;
    SourceSpan span;
};

/// Collects diagnostics instead of throwing, so a user sees every problem of a file at once.
class Diagnostics {
public:
    void error(std::string code, std::string message, SourceSpan span);
    void warning(std::string code, std::string message, SourceSpan span);
    void add(Diagnostic diagnostic);
    void append(const Diagnostics& other);

    bool has_errors() const;
    std::size_t error_count() const;
    std::size_t warning_count() const;
    const std::vector<Diagnostic>& all() const { return items_; }
    /// Sorted by file, line, column, as compilers print them.
    std::vector<Diagnostic> sorted() const;

private:
    std::vector<Diagnostic> items_;
};

/// GCC style: `file:line:column: error[code]: message`, then the source line and a caret line when
/// `source_line` is given (the text of line `span.line`, without its newline). The hex digits of a
/// `key:` value on that line are shown as `*` (see redact_keys).
std::string format_diagnostic(const Diagnostic& diagnostic, std::string_view source_line = {});
/// `line` with the hex digits of any `key:` value replaced by `*`: meters' keys never show in an
/// excerpt (`key_env:` and `key_file:` name where a key is, and stay).
std::string redact_keys(std::string_view line);

/// Formats all diagnostics, reading each file once to show the offending line.
std::string format_diagnostics(const Diagnostics& diagnostics);

}  // namespace passerelle
