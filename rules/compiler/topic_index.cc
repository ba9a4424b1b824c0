// SPDX-License-Identifier: Apache-2.0
// The topic-filter trie: one node per filter level, walked once per topic level.
#include "rules/compiler/topic_index.h"

#include <algorithm>
#include <array>

namespace passerelle::rules {
namespace {

std::uint64_t hash_level(std::string_view level) {
    return std::hash<std::string_view>{}(level);
}

// Spreads (level, parent) over the table: the level hash alone would put the same name under
// different parents (`temperature` under each entity) in one cluster.
std::uint64_t mix(std::uint64_t hash, std::uint32_t parent) {
    std::uint64_t h = hash ^ (std::uint64_t{parent} * 0x9E3779B97F4A7C15ULL);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

}  // namespace

// Canonical topics have 3 or 4 levels; deeper ones are hashed again at each lookup, no allocation.
struct TopicIndex::Levels {
    static constexpr std::size_t kCached = 16;
    std::string_view topic;
    std::array<std::uint64_t, kCached> hashes{};
    std::uint32_t known = 0;  // bit d: hashes[d] is computed

    std::uint64_t hash(std::size_t depth, std::string_view level) {
        if (depth >= kCached) {
            return hash_level(level);
        }
        if ((known & (1U << depth)) == 0) {
            hashes[depth] = hash_level(level);
            known |= 1U << depth;
        }
        return hashes[depth];
    }
};

TopicIndex::TopicIndex() : nodes_(1), slots_(16) {}

std::size_t TopicIndex::find_slot(std::uint32_t parent, std::string_view level,
                                  std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(mix(hash, parent)) & mask;
    while (true) {
        const Slot& slot = slots_[i];
        if (slot.child == kNone ||
            (slot.hash == hash && slot.parent == parent &&
             std::string_view(arena_).substr(slot.offset, slot.length) == level)) {
            return i;
        }
        i = (i + 1) & mask;  // linear probing: neighbours share a cache line
    }
}

std::uint32_t TopicIndex::child(std::uint32_t parent, std::string_view level,
                                std::uint64_t hash) const {
    return slots_[find_slot(parent, level, hash)].child;
}

void TopicIndex::grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& slot : old) {
        if (slot.child != kNone) {
            const std::string_view name = std::string_view(arena_).substr(slot.offset, slot.length);
            slots_[find_slot(slot.parent, name, slot.hash)] = slot;
        }
    }
}

void TopicIndex::insert(std::string_view filter, std::uint32_t value) {
    ++size_;
    std::uint32_t node = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = filter.find('/', start);
        const std::size_t end = slash == std::string_view::npos ? filter.size() : slash;
        const std::string_view level = filter.substr(start, end - start);
        if (level == "#") {
            // Kept on the parent so that `a/#` also matches `a` (MQTT 5 §4.7.1.2).
            add_value(node, &Node::hash, &MoreValues::hashes, value);
            return;
        }
        const auto next = static_cast<std::uint32_t>(nodes_.size());
        if (level == "+") {
            if (nodes_[node].plus == kNone) {
                nodes_[node].plus = next;
                nodes_.emplace_back();
            }
            node = nodes_[node].plus;
        } else {
            const std::uint64_t hash = hash_level(level);
            std::size_t i = find_slot(node, level, hash);
            if (slots_[i].child == kNone) {
                if (2 * (used_slots_ + 1) > slots_.size()) {
                    grow();
                    i = find_slot(node, level, hash);
                }
                slots_[i] = Slot{hash, node, next, static_cast<std::uint32_t>(arena_.size()),
                                 static_cast<std::uint32_t>(level.size())};
                arena_.append(level);
                ++used_slots_;
                ++nodes_[node].children;
                nodes_.emplace_back();
            }
            node = slots_[i].child;
        }
        if (slash == std::string_view::npos) {
            add_value(node, &Node::end, &MoreValues::ends, value);
            return;
        }
        start = slash + 1;
    }
}

void TopicIndex::add_value(std::uint32_t node, std::uint32_t Node::*first,
                           std::vector<std::uint32_t> MoreValues::*rest, std::uint32_t value) {
    Node& here = nodes_[node];
    if (here.*first == kNone) {
        here.*first = value;
        return;
    }
    if (here.more == kNone) {
        here.more = static_cast<std::uint32_t>(more_.size());
        more_.emplace_back();
    }
    (more_[here.more].*rest).push_back(value);
}

inline void TopicIndex::append_values(const Node& node, std::uint32_t Node::*first,
                                      std::vector<std::uint32_t> MoreValues::*rest,
                                      std::vector<std::uint32_t>& out) const {
    if (node.*first == kNone) {
        return;
    }
    out.push_back(node.*first);
    if (node.more != kNone) {
        const auto& values = more_[node.more].*rest;
        out.insert(out.end(), values.begin(), values.end());
    }
}

void TopicIndex::match(std::string_view topic, std::vector<std::uint32_t>& out) const {
    out.clear();
    Levels levels{topic};
    collect(0, levels, 0, 0, out);
    if (out.size() > 1) {
        // The walk visits exact children before `+` and `#`: restore the order of insertion by
        // value (the rules' file order), and drop a value two of its filters both matched.
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
}

// `start` is where the level `depth` begins in the topic; past the end when every level was
// consumed. Recursion depth is the number of topic levels, which canonical topics keep at 3 or 4.
void TopicIndex::collect(std::uint32_t node, Levels& levels, std::size_t start, std::size_t depth,
                         std::vector<std::uint32_t>& out) const {
    const std::string_view topic = levels.topic;
    const Node& here = nodes_[node];
    // A `$SYS`-like topic is never matched by a filter whose first level is a wildcard.
    const bool wildcards = !(depth == 0 && !topic.empty() && topic.front() == '$');
    if (wildcards) {
        append_values(here, &Node::hash, &MoreValues::hashes, out);
    }
    if (start > topic.size()) {
        append_values(here, &Node::end, &MoreValues::ends, out);
        return;
    }
    const std::size_t slash = topic.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? topic.size() : slash;
    const std::size_t next = slash == std::string_view::npos ? topic.size() + 1 : slash + 1;
    if (here.children != 0) {
        const std::string_view level = topic.substr(start, end - start);
        const std::uint32_t exact = child(node, level, levels.hash(depth, level));
        if (exact != kNone) {
            collect(exact, levels, next, depth + 1, out);
        }
    }
    if (wildcards && here.plus != kNone) {
        collect(here.plus, levels, next, depth + 1, out);
    }
}

}  // namespace passerelle::rules
