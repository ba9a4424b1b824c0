// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: compiles arbitrary text as an expression and a condition, evaluates what
// compiles on absent, plausible and hostile inputs, and checks the invariants callers rely on.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rules/expr/compiler.h"
#include "rules/expr/test_symbols.h"

namespace {

using passerelle::rules::expr::compile;
using passerelle::rules::expr::compile_condition;
using passerelle::rules::expr::EvalResult;
using passerelle::rules::expr::EvalScratch;
using passerelle::rules::expr::ExprError;
using passerelle::rules::expr::Program;
using passerelle::rules::expr::Type;
using passerelle::rules::expr::testing::Inputs;
using passerelle::rules::expr::testing::TestSymbols;

// A broken invariant must look like a crash to the fuzzer.
void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

void check_errors(const std::vector<ExprError>& errors, std::string_view text) {
    require(!errors.empty());
    for (const auto& error : errors) {
        require(error.offset <= text.size() && error.length <= text.size() - error.offset);
        require(!error.message.empty() && !error.code.empty());
    }
}

std::vector<std::string> run(const Program& program) {
    const std::size_t size = std::max<std::size_t>(program.slot_count(), 7);
    std::vector<Inputs> sets(3, Inputs(size));
    sets[1].set(0, 29.5).set(1, 28.0).set(2, 3.0).set(3, true).set(4, std::string("rouge"));
    sets[1].set(5, std::string("Cel")).set(6, false);
    sets[2].set(0, std::numeric_limits<double>::quiet_NaN()).set(1, -0.0).set(2, 1e308);
    sets[2].set(3, 1.0).set(4, 3.0).set(5, std::string()).set(6, true);
    for (std::uint32_t slot = 7; slot < size; ++slot) {
        sets[1].set(slot, 1.0);
        sets[2].set(slot, -1e308);
    }
    std::vector<std::string> results;
    EvalScratch scratch;
    for (const auto& inputs : sets) {
        const EvalResult result = program.evaluate(inputs.view(), scratch);
        require(result.type() == program.result_type());
        require(result.is_absent() || result.type() != Type::Number ||
                std::isfinite(result.number()));
        results.push_back(result.to_string());
    }
    return results;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    TestSymbols symbols;
    const auto program = compile(text, symbols);
    TestSymbols condition_symbols;
    const auto condition = compile_condition(text, condition_symbols);
    if (!program) {
        check_errors(program.errors(), text);
        require(!condition);
        return 0;
    }
    require(condition.has_value() == (program->result_type() == Type::Bool));
    const auto results = run(*program);
    (void)program->disassemble();

    TestSymbols again_symbols;
    const auto again = compile(program->canonical(), again_symbols);
    if (again) {
        require(again->canonical() == program->canonical());
        require(run(*again) == results);
    } else {
        const std::string& code = again.error().code;
        require(code == "expr.too-deep" || code == "expr.too-long");
    }
    return 0;
}
