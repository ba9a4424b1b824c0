// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/lorawan_device.h"

#include <cctype>

namespace passerelle {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

bool LorawanDirectory::add(LorawanBinding device) {
    device.dev_eui = lower(device.dev_eui);
    if (!by_eui_.emplace(device.dev_eui, devices_.size()).second) {
        return false;
    }
    devices_.push_back(std::move(device));
    return true;
}

const LorawanBinding* LorawanDirectory::find(std::string_view dev_eui) const {
    const auto it = by_eui_.find(lower(dev_eui));
    return it == by_eui_.end() ? nullptr : &devices_[it->second];
}

}  // namespace passerelle
