// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/meter.h"

namespace passerelle {

bool MeterDirectory::add(MeterBinding meter) {
    const auto [first, last] = by_id_.equal_range(meter.id);
    for (auto it = first; it != last; ++it) {
        const MeterBinding& known = meters_[it->second];
        if (known.manufacturer.empty() || meter.manufacturer.empty() ||
            known.manufacturer == meter.manufacturer) {
            return false;
        }
    }
    by_id_.emplace(meter.id, meters_.size());
    meters_.push_back(std::move(meter));
    return true;
}

const MeterBinding* MeterDirectory::find(std::string_view id, std::string_view manufacturer) const {
    const auto [first, last] = by_id_.equal_range(std::string(id));
    const MeterBinding* any = nullptr;
    std::size_t candidates = 0;
    for (auto it = first; it != last; ++it) {
        const MeterBinding& known = meters_[it->second];
        if (!manufacturer.empty() && known.manufacturer == manufacturer) {
            return &known;
        }
        if (known.manufacturer.empty() || manufacturer.empty()) {
            any = &known;
            ++candidates;
        }
    }
    // Without the manufacturer, a number two makers share names no meter for sure.
    return candidates == 1 ? any : nullptr;
}

}  // namespace passerelle
