// SPDX-License-Identifier: Apache-2.0
// The rules engine: readings and the passing of time in, alert transitions out. No I/O, one thread.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/territory.h"
#include "gateway/core/time_zone.h"
#include "rules/compiler/rule_set.h"
#include "rules/engine/alert_event.h"
#include "rules/engine/alert_state.h"
#include "rules/engine/condition_evaluator.h"
#include "rules/engine/explanation.h"
#include "rules/engine/flap_detector.h"
#include "rules/engine/group_store.h"
#include "rules/engine/series_store.h"

namespace passerelle::rules {

class Engine {
public:
    const Territory& territory() const { return territory_; }
    /// How often rules whose conditions change with time alone are evaluated again.
    static constexpr Duration kClockStep = std::chrono::minutes(1);

    /// `territory` must outlive the engine: entity attributes are read from it. `zone` is where
    /// hour(), weekday() and hours of the day in windows are read.
    Engine(std::shared_ptr<const RuleSet> rules, const Territory& territory,
           TimeZone zone = TimeZone::utc());

    /// Evaluates the rules listening to `topic` with this reading, after firing the timers that
    /// fell due before the reading's time. Transitions are appended to `out`.
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

    /// Moves rule time to `now` (never backwards): pending alerts whose `for` elapsed fire, and
    /// rules reading windows, age() or the calendar are evaluated at each minute passed.
    void advance(Timestamp now, std::vector<AlertEvent>& out);

    /// Rule time: the latest of the readings' times and the times given to advance().
    Timestamp now() const { return now_; }
    std::size_t firing_count() const;
    std::size_t pending_count() const;
    /// Timers waiting in the heap: one per key with a deadline, plus stale ones left behind.
    std::size_t timer_count() const { return timers_.size(); }
    /// Readings older than the latest one of their key, which were not evaluated.
    std::uint64_t late_readings() const { return late_readings_; }
    const RuleSet& rules() const { return *rules_; }
    const SeriesStore& series() const { return series_; }
    const GroupStore& groups() const { return groups_; }

private:
    struct KeyState {
        AlertState alert;
        Reading last;    // the latest reading of this key: what a notification reports
        std::string topic;  // where `last` came from: windows read the series beside it
        Reading fired;   // the reading when the alert fired: who is told, start to end
        /// The deadline of this key's live timer in the heap; earlier timers of the key found
        /// there with another deadline are stale and skipped.
        std::optional<Timestamp> armed;
        Timestamp last_notice{};    // the latest firing notice: repeats count from it
        std::uint32_t repeats = 0;  // firing notices sent again so far
        FlapDetector flap;
        EpisodeExtremes extremes;   // of the readings since the alert fired
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

    /// With thousands of rules, the matched ones' data is seldom in cache: its loads are started
    /// for all of them at once, rather than one miss after the other as each is evaluated.
    void prefetch_rules() const;
    void fire_due_timers(Timestamp until, std::vector<AlertEvent>& out);
    void fire_timer(std::vector<AlertEvent>& out);
    void clock_step(Timestamp time, std::vector<AlertEvent>& out);
    void record_series(std::string_view topic, const Reading& reading);
    std::int16_t minute_of_day(Timestamp time) const;
    void update_join(std::uint32_t join, const Reading& reading, std::vector<AlertEvent>& out);
    void evaluate_rule(std::size_t rule_index, std::string_view topic, const Reading& reading,
                       std::vector<AlertEvent>& out);
    /// Evaluates a remembered key again at `time` with its latest reading (clock, join change).
    void reevaluate_keys(std::size_t rule_index, Timestamp time, std::vector<AlertEvent>& out);
    bool forgettable(std::size_t rule_index, const KeyState& state) const;
    void apply(std::size_t rule_index, const std::string& key, KeyState& state,
               const Observation& observation, std::vector<AlertEvent>& out);
    /// Points the slots at the reading's values and, when `registry`, at its entity's registry
    /// ones: a lookup among all entities, skipped when none of the rules to evaluate reads them.
    void bind_reading(const Reading& reading, bool registry = true);
    /// Binds the windows and calendar slots of `rule` for its key's series at `time`.
    void bind_time(const CompiledRule& rule, std::string_view topic, Timestamp last_time,
                   Timestamp time);
    /// Binds the group function slots of `rule`, if it has any, for group `key` at `time`.
    void bind_group(std::size_t rule_index, const std::string& key, Timestamp time);
    /// Declares the registry's members of each group rule's groups (`group.members`).
    void expect_members();
    Observation observe_rule(const RuleCore& rule, Timestamp time);
    std::uint64_t select_actions(const CompiledRule& rule);
    /// A fired or resolved transition: its notice, unless the key flaps (see FlapDetector).
    void transition(std::size_t rule_index, const std::string& key, KeyState& state,
                    AlertStatus status, Timestamp time, std::vector<AlertEvent>& out);
    /// Once a flapping key has been calm long enough: a notice of where it stands now.
    void end_flapping(std::size_t rule_index, const std::string& key, KeyState& state,
                      Timestamp time, std::vector<AlertEvent>& out);
    /// Why the transition being emitted happened, from the slots as bound for it.
    std::shared_ptr<const Explanation> explain(const CompiledRule& rule, const KeyState& state);
    void emit(std::size_t rule_index, const std::string& key, KeyState& state, AlertStatus status,
              Timestamp time, std::vector<AlertEvent>& out);
    std::optional<Timestamp> deadline(std::size_t rule_index, const KeyState& state) const;
    void arm_timer(std::size_t rule_index, const std::string& key, KeyState& state);
    std::string render_key(std::size_t rule_index, const Reading& reading) const;

    std::shared_ptr<const RuleSet> rules_;
    const Territory& territory_;
    std::vector<std::unordered_map<std::string, KeyState>> states_;  // per rule, by key
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
    std::unordered_map<std::string, EntityValues> entity_values_;
    std::vector<std::optional<Value>> join_values_;  // by SlotLayout::join_topics order
    std::vector<const Value*> slots_;                // evaluation inputs, rebound per reading
    std::vector<std::uint32_t> matched_rules_;       // on_reading's scratch, reused: no allocation
    Value entity_value_, provider_value_, quantity_value_, unit_value_;
    std::vector<Value> window_values_;      // by SlotLayout::windows order, bound per rule
    std::array<Value, 5> calendar_values_;  // hour, minute, weekday, day, month
    Timestamp calendar_time_{Duration::min()};
    std::vector<std::uint32_t> clock_rules_;     // rules evaluated again at each clock step
    std::vector<std::uint32_t> matched_series_;  // record_series's scratch
    std::string series_topic_;                   // bind_time's scratch
    std::vector<std::pair<const std::string*, KeyState*>> reevaluated_;  // reevaluate_keys's
    SeriesStore series_;
    GroupStore groups_;
    TimeZone zone_;
    ConditionEvaluator evaluator_;
    ExplainCause cause_ = ExplainCause::Reading;  // what the current evaluation comes from
    bool windows_read_hours_ = false;  // some window keeps only some hours of the day
    Timestamp next_step_{};  // the next clock step; zero until rule time is known
    Timestamp now_{};
    std::uint64_t late_readings_ = 0;
};

}  // namespace passerelle::rules
