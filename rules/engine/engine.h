// SPDX-License-Identifier: Apache-2.0
// The rules engine: readings and the passing of time in, alert transitions out. No I/O, one thread.
#pragma once

#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/territory.h"
#include "rules/compiler/rule_set.h"
#include "rules/engine/alert_event.h"
#include "rules/engine/alert_state.h"
#include "rules/engine/condition_evaluator.h"

namespace passerelle::rules {

class Engine {
public:
    /// `territory` must outlive the engine: entity attributes are read from it.
    Engine(std::shared_ptr<const RuleSet> rules, const Territory& territory);

    /// Evaluates the rules listening to `topic` with this reading, after firing the timers that fell
    /// due before the reading's time. Transitions are appended to `out`.
    void on_reading(std::string_view topic, const Reading& reading, std::vector<AlertEvent>& out);

    /// What a reload kept and lost.
    struct Adoption {
        std::size_t rules_kept = 0;      // same id and fingerprint: their alerts carried over
        std::size_t alerts_kept = 0;     // pending or firing
        std::size_t firing_dropped = 0;  // firing alerts of rules removed or changed
    };
    /// Takes over the state of the engine this one replaces (hot reload): alerts of rules whose id
    /// and fingerprint are unchanged, the latest values of joined topics, and rule time.
    Adoption adopt(const Engine& previous);

    /// Moves rule time to `now` (never backwards): pending alerts whose `for` elapsed fire.
    void advance(Timestamp now, std::vector<AlertEvent>& out);

    /// Rule time: the latest of the readings' times and the times given to advance().
    Timestamp now() const { return now_; }
    std::size_t firing_count() const;
    std::size_t pending_count() const;
    /// Timers waiting in the heap: at most one per key.
    std::size_t timer_count() const { return timers_.size(); }
    /// Readings older than the latest one of their key, which were not evaluated.
    std::uint64_t late_readings() const { return late_readings_; }
    const RuleSet& rules() const { return *rules_; }

private:
    struct KeyState {
        AlertState alert;
        Reading last;    // the latest reading of this key: what a notification reports
        Reading fired;   // the reading when the alert fired: who is told, start to end
        bool timer_armed = false;  // a timer of this key is in the heap (at most one)
    };
    struct Timer {
        Timestamp deadline;
        std::size_t rule;
        std::string key;
        bool operator>(const Timer& other) const { return deadline > other.deadline; }
    };
    /// Values of the registry that conditions may read, prepared once per entity.
    struct EntityValues {
        Value type;
        Value building;
        std::vector<const Value*> attributes;  // by SlotLayout::attribute_names order
    };

    void fire_due_timers(Timestamp until, std::vector<AlertEvent>& out);
    void evaluate_rule(std::size_t rule_index, const Reading& reading, std::vector<AlertEvent>& out);
    void bind_reading(const Reading& reading);
    std::uint64_t select_actions(const CompiledRule& rule);
    void emit(std::size_t rule_index, const std::string& key, KeyState& state, AlertStatus status,
              Timestamp time, std::vector<AlertEvent>& out);
    void arm_timer(std::size_t rule_index, const std::string& key, KeyState& state);
    std::string render_key(const CompiledRule& rule, const Reading& reading) const;

    std::shared_ptr<const RuleSet> rules_;
    const Territory& territory_;
    std::vector<std::unordered_map<std::string, KeyState>> states_;  // per rule, by key
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
    std::unordered_map<std::string, EntityValues> entity_values_;
    std::vector<std::optional<Value>> join_values_;  // by SlotLayout::join_topics order
    std::vector<const Value*> slots_;                // evaluation inputs, rebound per reading
    std::vector<std::uint32_t> matched_rules_;       // on_reading's scratch, reused: no allocation
    Value entity_value_, provider_value_, quantity_value_, unit_value_;
    ConditionEvaluator evaluator_;
    Timestamp now_{};
    std::uint64_t late_readings_ = 0;
};

}  // namespace passerelle::rules
