// SPDX-License-Identifier: Apache-2.0
// A trie of MQTT topic filters: which of many filters match one topic, at the cost of its levels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::rules {

/// Hashes std::string and std::string_view alike, so a lookup by a topic builds no string.
struct StringViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
        return std::hash<std::string_view>{}(text);
    }
};

/// Filters (MQTT 5 §4.7: `+` one level, `#` the rest including the parent level, a leading
/// wildcard never matches a `$` topic), each with a value (a rule index); agrees with
/// passerelle::topic_matches. Built once, then only read: match() is const and thread-compatible.
class TopicIndex {
public:
    TopicIndex();

    /// `filter` must be valid (validate_topic_filter); a value may go under several filters.
    void insert(std::string_view filter, std::uint32_t value);

    /// Replaces `out` with the values of every filter matching `topic`, in ascending order and each
    /// once. Allocates nothing once `out` has the capacity of the largest result.
    void match(std::string_view topic, std::vector<std::uint32_t>& out) const;

    /// Number of insert() calls.
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    static constexpr std::uint32_t kNone = UINT32_MAX;
    // A node holds its first value of each kind itself: a walk then reads no other memory for the
    // usual one filter per node, where a vector per node cost a cache miss with 10 000 filters.
    struct Node {
        std::uint32_t plus = kNone;  // the child reached through a `+` level
        std::uint32_t children = 0;  // exact-level children, in slots_
        std::uint32_t end = kNone;   // the first filter that ends at this node
        std::uint32_t hash = kNone;  // the first filter ending here with `/#`
        std::uint32_t more = kNone;  // the node's further values, in more_
    };
    struct MoreValues {
        std::vector<std::uint32_t> ends;
        std::vector<std::uint32_t> hashes;
    };
    // Every exact-level edge of the trie in one open-addressing table, rather than a hash map per
    // node: a lookup is one probe in a flat array and one compare in the arena of level names,
    // which stay in cache with 10 000 filters where per-node maps chased three pointers.
    struct Slot {
        std::uint64_t hash = 0;  // of the level's name
        std::uint32_t parent = kNone;
        std::uint32_t child = kNone;  // kNone: an empty slot
        std::uint32_t offset = 0;     // the level's name in arena_
        std::uint32_t length = 0;
    };
    /// A topic's levels, each hashed at most once per match although two branches may look it up.
    struct Levels;

    std::size_t find_slot(std::uint32_t parent, std::string_view level, std::uint64_t hash) const;
    std::uint32_t child(std::uint32_t parent, std::string_view level, std::uint64_t hash) const;
    void grow();
    /// Adds `value` to a node's `first` (end or hash) or, when taken, to its list in more_.
    void add_value(std::uint32_t node, std::uint32_t Node::*first,
                   std::vector<std::uint32_t> MoreValues::*rest, std::uint32_t value);
    /// Appends a node's values of one kind to `out`.
    void append_values(const Node& node, std::uint32_t Node::*first,
                       std::vector<std::uint32_t> MoreValues::*rest,
                       std::vector<std::uint32_t>& out) const;
    void collect(std::uint32_t node, Levels& levels, std::size_t start, std::size_t depth,
                 std::vector<std::uint32_t>& out) const;

    std::vector<Node> nodes_;  // nodes_[0] is the root: the level before the first one
    std::vector<MoreValues> more_;
    std::vector<Slot> slots_;  // a power of two long, at most half full
    std::size_t used_slots_ = 0;
    std::string arena_;        // the names of all exact levels, one after the other
    std::size_t size_ = 0;
};

}  // namespace passerelle::rules
