// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/diagnostic.h"

#include <cctype>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

namespace passerelle {
namespace {

std::string position(const SourceSpan& span) {
    const std::string line = span.line > 0 ? std::to_string(span.line) : "?";
    const std::string column = span.column > 0 ? std::to_string(span.column) : "?";
    return fmt::format("{}:{}:{}", span.file.empty() ? "<input>" : span.file, line, column);
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace

void Diagnostics::error(std::string code, std::string message, SourceSpan span) {
    items_.push_back({Severity::Error, std::move(code), std::move(message), std::move(span)});
}

void Diagnostics::warning(std::string code, std::string message, SourceSpan span) {
    items_.push_back({Severity::Warning, std::move(code), std::move(message), std::move(span)});
}

void Diagnostics::add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(std::count_if(
        items_.begin(), items_.end(), [](const auto& d) { return d.severity == Severity::Error; }));
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

std::vector<Diagnostic> Diagnostics::sorted() const {
    std::vector<Diagnostic> out = items_;
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.span.file, a.span.line, a.span.column) <
               std::tie(b.span.file, b.span.line, b.span.column);
    });
    return out;
}

std::string redact_keys(std::string_view line) {
    std::string out(line);
    std::size_t at = 0;
    while ((at = out.find("key", at)) != std::string::npos) {
        const bool starts_word = at == 0 || !(std::isalnum(static_cast<unsigned char>(out[at - 1])) ||
                                              out[at - 1] == '_' || out[at - 1] == '-');
        std::size_t i = at + 3;
        while (i < out.size() && (out[i] == ' ' || out[i] == '"' || out[i] == '\'')) {
            ++i;
        }
        at += 3;
        if (!starts_word || i >= out.size() || out[i] != ':') {
            continue;
        }
        // The value, up to what ends a flow-style entry: every character of it masked, so that
        // carets further along the line stay under their text.
        for (++i; i < out.size() && out[i] != ',' && out[i] != '}' && out[i] != '#'; ++i) {
            if (std::isxdigit(static_cast<unsigned char>(out[i])) != 0) {
                out[i] = '*';
            }
        }
    }
    return out;
}

std::string format_diagnostic(const Diagnostic& diagnostic, std::string_view shown_line) {
    // A meter's key written in a file must not reach a terminal or a log through an excerpt.
    const std::string redacted = redact_keys(shown_line);
    const std::string_view source_line = redacted;
    std::string out = fmt::format("{}: {}[{}]: {}\n", position(diagnostic.span),
                                  diagnostic.severity == Severity::Error ? "error" : "warning",
                                  diagnostic.code, diagnostic.message);
    const auto& span = diagnostic.span;
    if (!source_line.empty() && span.line > 0 && span.column > 0 &&
        static_cast<std::size_t>(span.column) <= source_line.size() + 1) {
        const std::string gutter = fmt::format("{:>5} | ", span.line);
        out += gutter;
        out += source_line;
        out += '\n';
        out += fmt::format("{:>5} | ", "");
        // Keep tabs so the caret lines up under the same characters. Columns count bytes; a
        // UTF-8 character (°C) takes one place on screen, so its continuation bytes take none.
        const auto continues = [&](std::size_t i) {
            return i < source_line.size() &&
                   (static_cast<unsigned char>(source_line[i]) & 0xc0) == 0x80;
        };
        const auto start = static_cast<std::size_t>(span.column - 1);
        const auto end = start + static_cast<std::size_t>(std::max(span.length, 1));
        for (std::size_t i = 0; i < start; ++i) {
            if (!continues(i)) {
                out += source_line[i] == '\t' ? '\t' : ' ';
            }
        }
        out += '^';
        for (std::size_t i = start + 1; i < end; ++i) {
            if (!continues(i)) {
                out += '~';
            }
        }
        out += '\n';
    }
    return out;
}

std::string format_diagnostics(const Diagnostics& diagnostics) {
    std::map<std::string, std::vector<std::string>> files;
    std::string out;
    for (const auto& diagnostic : diagnostics.sorted()) {
        const auto& span = diagnostic.span;
        std::string_view line;
        if (!span.file.empty() && span.line > 0) {
            auto it = files.find(span.file);
            if (it == files.end()) {
                it = files.emplace(span.file, read_lines(span.file)).first;
            }
            if (static_cast<std::size_t>(span.line) <= it->second.size()) {
                line = it->second[static_cast<std::size_t>(span.line) - 1];
            }
        }
        out += format_diagnostic(diagnostic, line);
    }
    return out;
}

}  // namespace passerelle
