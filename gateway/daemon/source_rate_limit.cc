// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/source_rate_limit.h"

#include <algorithm>

namespace passerelle::daemon {

SourceRateLimit::SourceRateLimit(double per_second, double burst)
    : per_second_(per_second), burst_(std::max(burst, 1.0)) {}

std::string_view SourceRateLimit::source_of(std::string_view topic) {
    const auto first = topic.find('/');
    if (first == std::string_view::npos) {
        return topic;
    }
    const auto second = topic.find('/', first + 1);
    return second == std::string_view::npos ? topic : topic.substr(0, second);
}

bool SourceRateLimit::admit(std::string_view topic, Clock::time_point now) {
    if (per_second_ <= 0) {
        return true;
    }
    const std::string_view source = source_of(topic);
    auto it = buckets_.find(std::string(source));
    if (it == buckets_.end()) {
        if (buckets_.size() >= kMaxSources) {
            buckets_.clear();
        }
        it = buckets_.emplace(std::string(source), Bucket{burst_, now}).first;
    }
    Bucket& bucket = it->second;
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(elapsed, 0.0) * per_second_);
    bucket.refilled = now;
    if (bucket.tokens < 1.0) {
        return false;
    }
    bucket.tokens -= 1.0;
    return true;
}

}  // namespace passerelle::daemon
