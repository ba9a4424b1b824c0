// SPDX-License-Identifier: Apache-2.0
// Greedy, per table in address order: a point joins the open request if the gap before it is
// small enough and the request stays within the size limit. Optimal for sorted intervals.
#include "connectors/modbus/request_plan.h"

#include <algorithm>
#include <numeric>

namespace passerelle::connectors::modbus {

std::vector<ReadRequest> plan_requests(std::span<const Point> points, PlanLimits limits) {
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (points[a].table != points[b].table) {
            return points[a].table < points[b].table;
        }
        return points[a].address < points[b].address;
    });

    std::vector<ReadRequest> requests;
    std::uint32_t open_end = 0;  // one past the last register of the open request
    for (std::size_t index : order) {
        const Point& point = points[index];
        const std::uint32_t start = point.address;
        const std::uint32_t end = start + static_cast<std::uint32_t>(width_of(point.type));
        const std::uint32_t limit =
            is_bit_table(point.table) ? limits.max_bits : limits.max_registers;
        if (!requests.empty()) {
            ReadRequest& open = requests.back();
            const std::uint32_t new_end = std::max(open_end, end);
            if (open.table == point.table && start <= open_end + limits.max_gap &&
                new_end - open.address <= limit) {
                open_end = new_end;
                open.count = static_cast<std::uint16_t>(open_end - open.address);
                open.points.push_back(index);
                continue;
            }
        }
        requests.push_back(ReadRequest{
            point.table, point.address, static_cast<std::uint16_t>(end - start), {index}});
        open_end = end;
    }
    return requests;
}

}  // namespace passerelle::connectors::modbus
