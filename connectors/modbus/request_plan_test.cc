// SPDX-License-Identifier: Apache-2.0
#include "connectors/modbus/request_plan.h"

#include <vector>

#include <catch2/catch.hpp>

using namespace passerelle::connectors::modbus;

namespace {

Point point(Table table, std::uint16_t address, DataType type = DataType::Int16) {
    Point p;
    p.name = "p" + std::to_string(address);
    p.table = table;
    p.address = address;
    p.type = type;
    return p;
}

}  // namespace

TEST_CASE("contiguous points of one table make one request") {
    const std::vector points{point(Table::Input, 2), point(Table::Input, 0),
                             point(Table::Input, 3, DataType::Float32)};
    const auto plan = plan_requests(points);
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].table == Table::Input);
    CHECK(plan[0].address == 0);
    CHECK(plan[0].count == 5);
    CHECK(plan[0].points == std::vector<std::size_t>{1, 0, 2});
}

TEST_CASE("a gap up to max_gap is read through, a wider one splits") {
    const std::vector points{point(Table::Holding, 0), point(Table::Holding, 9),
                             point(Table::Holding, 19)};
    // 0..0, gap 1..8 (8 registers), 9: joined; gap 10..18 (9 registers): split.
    const auto plan = plan_requests(points);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].address == 0);
    CHECK(plan[0].count == 10);
    CHECK(plan[1].address == 19);
    CHECK(plan[1].count == 1);

    const auto strict = plan_requests(points, PlanLimits{.max_gap = 0});
    CHECK(strict.size() == 3);
}

TEST_CASE("tables are never mixed, and come in table order") {
    const std::vector points{point(Table::Coil, 0, DataType::Bool), point(Table::Input, 1),
                             point(Table::Holding, 0), point(Table::Discrete, 0, DataType::Bool)};
    const auto plan = plan_requests(points);
    REQUIRE(plan.size() == 4);
    CHECK(plan[0].table == Table::Holding);
    CHECK(plan[1].table == Table::Input);
    CHECK(plan[2].table == Table::Coil);
    CHECK(plan[3].table == Table::Discrete);
}

TEST_CASE("at most 125 registers per request, points never split") {
    std::vector<Point> points;
    for (std::uint16_t address = 0; address < 130; address += 2) {
        points.push_back(point(Table::Holding, address, DataType::Float32));
    }
    const auto plan = plan_requests(points);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].address == 0);
    CHECK(plan[0].count == 124);  // 62 floats; the 63rd would end at 126
    CHECK(plan[1].address == 124);
    CHECK(plan[1].count == 6);

    const auto ecl = plan_requests(points, PlanLimits{.max_registers = 123});
    CHECK(ecl[0].count == 122);
}

TEST_CASE("coils batch up to 2000 bits") {
    std::vector<Point> points;
    for (std::uint16_t address = 0; address < 2100; address += 5) {
        points.push_back(point(Table::Coil, address, DataType::Bool));
    }
    const auto plan = plan_requests(points);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].count == 1996);
    CHECK(plan[1].address == 2000);
}

TEST_CASE("an empty map needs no request") {
    CHECK(plan_requests(std::vector<Point>{}).empty());
}
