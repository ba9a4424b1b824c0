// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/engine.h"

#include <algorithm>

#include "gateway/core/assert.h"
#include "gateway/core/topic.h"

namespace passerelle::rules {
namespace {

// The slot value when its type matches what the compiler declared, else "unknown".
const Value* typed(const Value* value, expr::Type type) {
    return value != nullptr && value_has_type(*value, type) ? value : nullptr;
}

}  // namespace

Engine::Engine(std::shared_ptr<const RuleSet> rules, const Territory& territory, TimeZone zone)
    : rules_(std::move(rules)), territory_(territory), groups_(*rules_), zone_(std::move(zone)) {
    const SlotLayout& layout = rules_->layout;
    PASSERELLE_ASSERT(rules_->cores.size() == rules_->rules.size(),
                      "a rule set without its cores: only compile_rules builds one");
    states_.resize(rules_->rules.size());
    join_values_.resize(layout.join_topics.size());
    window_values_.resize(layout.windows.size());
    windows_read_hours_ = std::any_of(layout.windows.begin(), layout.windows.end(),
                                      [](const WindowSpec& w) { return w.during.has_value(); });
    for (std::size_t i = 0; i < rules_->rules.size(); ++i) {
        if (rules_->rules[i].clock_driven) {
            clock_rules_.push_back(static_cast<std::uint32_t>(i));
        }
    }
    slots_.assign(layout.size(), nullptr);
    for (const Entity& entity : territory_.entities.all()) {
        EntityValues values{entity.type, entity.building, {}};
        for (std::size_t i = 0; i < layout.attribute_names.size(); ++i) {
            const auto it = entity.attributes.find(layout.attribute_names[i]);
            const Value* value = it == entity.attributes.end() ? nullptr : &it->second;
            values.attributes.push_back(typed(value, layout.attribute_types[i]));
        }
        entity_values_.emplace(entity.id, std::move(values));
    }
    evaluator_.prepare(*rules_);
    expect_members();
}

void Engine::expect_members() {
    for (std::size_t i = 0; i < rules_->rules.size(); ++i) {
        const CompiledRule& rule = rules_->rules[i];
        if (!rule.group || rule.group->member_type.empty()) {
            continue;
        }
        // The key an entity's readings would have: the quantity is the listen filter's.
        const std::string quantity = rule.listen.substr(rule.listen.rfind('/') + 1);
        for (const Entity& entity : territory_.entities.all()) {
            if (entity.type == rule.group->member_type) {
                const Reading reading{entity.provider, entity.id, quantity, 0.0, "", {}};
                groups_.expect(i, render_key(i, reading), entity.id);
            }
        }
    }
}

void Engine::on_reading(std::string_view topic, const Reading& reading,
                        std::vector<AlertEvent>& out) {
    fire_due_timers(reading.time, out);
    now_ = std::max(now_, reading.time);
    if (!rules_->series_retention.empty()) {
        record_series(topic, reading);
    }
    if (const auto join = rules_->join_index.find(topic); join != rules_->join_index.end()) {
        update_join(join->second, reading, out);
    }
    // The index gives the matching rules in file order, as the scan of every rule did.
    rules_->listen_index.match(topic, matched_rules_);
    if (matched_rules_.empty()) {
        return;
    }
    prefetch_rules();
    const bool registry =
        std::any_of(matched_rules_.begin(), matched_rules_.end(),
                    [this](std::uint32_t i) { return rules_->cores[i].reads_registry; });
    bind_reading(reading, registry);
    for (const std::uint32_t i : matched_rules_) {
        if (!rules_->cores[i].selects_entities ||
            rules_->rules[i].entities->contains(reading.entity)) {
            evaluate_rule(i, topic, reading, out);
        }
    }
}

void Engine::prefetch_rules() const {
    for (const std::uint32_t i : matched_rules_) {
        __builtin_prefetch(&rules_->cores[i]);
        __builtin_prefetch(&states_[i]);
    }
    for (const std::uint32_t i : matched_rules_) {
        const RuleCore& core = rules_->cores[i];
        rules_->conditions.prefetch(core.when);
        if (core.has_clear) {
            rules_->conditions.prefetch(core.clear);
        }
    }
}

void Engine::record_series(std::string_view topic, const Reading& reading) {
    const auto* value = std::get_if<double>(&reading.value);
    if (value == nullptr) {
        return;
    }
    rules_->series_index.match(topic, matched_series_);
    if (matched_series_.empty()) {
        return;
    }
    Duration retention{0};
    for (const std::uint32_t i : matched_series_) {
        retention = std::max(retention, rules_->series_retention[i]);
    }
    // A time-zone lookup per reading only when some window needs it.
    series_.record(topic,
                   Sample{reading.time, *value,
                          windows_read_hours_ ? minute_of_day(reading.time) : std::int16_t{0}},
                   retention);
}

std::int16_t Engine::minute_of_day(Timestamp time) const {
    const LocalTime local = zone_.local_time(time);
    return static_cast<std::int16_t>(local.hour * 60 + local.minute);
}

void Engine::update_join(std::uint32_t join, const Reading& reading, std::vector<AlertEvent>& out) {
    auto& joined = join_values_[join];
    const bool changed = !joined || *joined != reading.value;
    joined = reading.value;
    if (!changed) {
        return;
    }
    // A changed signal may decide alerts on its own (the heatwave level falling back to 2
    // stops the pending ones): the keys of the rules reading it are evaluated again now.
    for (const std::uint32_t rule : rules_->join_rules[join]) {
        cause_ = ExplainCause::JoinChange;
        reevaluate_keys(rule, reading.time, out);
    }
}

Engine::Adoption Engine::adopt(const Engine& previous) {
    Adoption adoption;
    now_ = std::max(now_, previous.now_);
    late_readings_ += previous.late_readings_;
    const auto& old_rules = previous.rules_->rules;
    std::vector<bool> carried(old_rules.size(), false);
    for (std::size_t i = 0; i < rules_->rules.size(); ++i) {
        const CompiledRule& rule = rules_->rules[i];
        for (std::size_t j = 0; j < old_rules.size(); ++j) {
            if (old_rules[j].id != rule.id || old_rules[j].fingerprint != rule.fingerprint) {
                continue;
            }
            carried[j] = true;
            ++adoption.rules_kept;
            if (rule.group) {
                groups_.adopt(previous.groups_, i, j);
            }
            // Actions may have been added or removed: an alert is told to the ones still there.
            const std::uint64_t actions =
                rule.actions.size() >= 64 ? ~std::uint64_t{0}
                                          : (std::uint64_t{1} << rule.actions.size()) - 1;
            for (const auto& [key, old_state] : previous.states_[j]) {
                if (old_state.alert.phase == AlertPhase::Inactive && !rule.tracks_keys()) {
                    continue;
                }
                KeyState& state = states_[i].emplace(key, old_state).first->second;
                state.alert.notified_actions &= actions;
                state.armed.reset();
                arm_timer(i, key, state);
                adoption.alerts_kept += old_state.alert.phase != AlertPhase::Inactive ? 1 : 0;
            }
        }
    }
    for (std::size_t j = 0; j < old_rules.size(); ++j) {
        if (carried[j]) {
            continue;
        }
        for (const auto& [key, old_state] : previous.states_[j]) {
            adoption.firing_dropped += old_state.alert.phase == AlertPhase::Firing ? 1 : 0;
        }
    }
    // History is kept whole: the series a new window reads may already be there.
    series_ = previous.series_;
    if (windows_read_hours_ && !previous.windows_read_hours_) {
        series_.restamp([this](Timestamp t) { return minute_of_day(t); });
    }
    next_step_ = previous.next_step_;
    const auto& joins = rules_->layout.join_topics;
    const auto& old_joins = previous.rules_->layout.join_topics;
    for (std::size_t i = 0; i < joins.size(); ++i) {
        const auto it = std::find(old_joins.begin(), old_joins.end(), joins[i]);
        if (it != old_joins.end()) {
            join_values_[i] = previous.join_values_[static_cast<std::size_t>(it - old_joins.begin())];
        }
    }
    return adoption;
}

void Engine::advance(Timestamp now, std::vector<AlertEvent>& out) {
    fire_due_timers(now, out);
    now_ = std::max(now_, now);
}

std::size_t Engine::firing_count() const {
    std::size_t count = 0;
    for (const auto& by_key : states_) {
        for (const auto& [key, state] : by_key) {
            count += state.alert.phase == AlertPhase::Firing ? 1 : 0;
        }
    }
    return count;
}

std::size_t Engine::pending_count() const {
    std::size_t count = 0;
    for (const auto& by_key : states_) {
        for (const auto& [key, state] : by_key) {
            count += state.alert.phase == AlertPhase::Pending ? 1 : 0;
        }
    }
    return count;
}

void Engine::fire_due_timers(Timestamp until, std::vector<AlertEvent>& out) {
    if (!clock_rules_.empty()) {
        if (next_step_ == Timestamp{}) {
            next_step_ = std::chrono::floor<std::chrono::minutes>(std::max(now_, until)) + kClockStep;
        }
        // After a long silence (a replay with a gap), the last day of steps is enough: a
        // condition on age or windows does not need every minute of a week to be evaluated.
        constexpr Duration kLongestCatchUp = std::chrono::hours(24);
        if (until - next_step_ > kLongestCatchUp) {
            next_step_ = std::chrono::floor<std::chrono::minutes>(until - kLongestCatchUp);
        }
    }
    while (true) {
        const bool timer_due = !timers_.empty() && timers_.top().deadline <= until;
        const bool step_due = !clock_rules_.empty() && next_step_ <= until;
        if (timer_due && (!step_due || timers_.top().deadline <= next_step_)) {
            fire_timer(out);
        } else if (step_due) {
            const Timestamp step = next_step_;
            next_step_ += kClockStep;
            clock_step(step, out);
        } else {
            return;
        }
    }
}

void Engine::fire_timer(std::vector<AlertEvent>& out) {
    const Timer timer = timers_.top();
    timers_.pop();
    auto& by_key = states_[timer.rule];
    const auto it = by_key.find(timer.key);
    if (it == by_key.end() || it->second.armed != timer.deadline) {
        return;  // a stale timer: the key's deadline moved, its own timer is in the heap
    }
    KeyState& state = it->second;
    state.armed.reset();
    const CompiledRule& rule = rules_->rules[timer.rule];
    const RuleCore& core = rules_->cores[timer.rule];
    // What the notices of this deadline report and explain: the key's latest reading, at the
    // deadline (a pending alert's `for` elapsing is a deadline too).
    bind_reading(state.last, core.reads_registry);
    if (core.clock_driven) {
        bind_time(rule, state.topic, state.last.time, timer.deadline);
    }
    bind_group(timer.rule, timer.key, timer.deadline);
    if (state.flap.settle(rule.flapping, timer.deadline)) {
        cause_ = ExplainCause::Calm;
        end_flapping(timer.rule, timer.key, state, timer.deadline, out);
    }
    cause_ = ExplainCause::Deadline;
    Timestamp changed_at{};
    const AlertChange change =
        on_time(state.alert, timer.deadline, core.for_duration, changed_at, core.clear_for);
    if (change == AlertChange::Fired) {
        state.alert.notified_actions = select_actions(rule);
        state.fired = state.last;
        state.repeats = 0;
        state.extremes = {};
        state.extremes.add(state.last);
        transition(timer.rule, timer.key, state, AlertStatus::Firing, changed_at, out);
    } else if (change == AlertChange::Resolved) {
        transition(timer.rule, timer.key, state, AlertStatus::Resolved, changed_at, out);
    } else if (state.alert.phase == AlertPhase::Firing && core.repeat.count() > 0 &&
               timer.deadline >= state.last_notice + core.repeat) {
        if (state.flap.flapping()) {
            state.last_notice = timer.deadline;  // no repeat while flapping; the next one later
        } else {
            ++state.repeats;
            cause_ = ExplainCause::Repeat;
            emit(timer.rule, timer.key, state, AlertStatus::Firing, timer.deadline, out);
        }
    }
    arm_timer(timer.rule, timer.key, state);
    if (forgettable(timer.rule, state)) {
        by_key.erase(it);
    }
}

void Engine::clock_step(Timestamp time, std::vector<AlertEvent>& out) {
    now_ = std::max(now_, time);
    for (const std::uint32_t rule : clock_rules_) {
        cause_ = ExplainCause::Clock;
        reevaluate_keys(rule, time, out);
    }
}

void Engine::reevaluate_keys(std::size_t rule_index, Timestamp time, std::vector<AlertEvent>& out) {
    auto& by_key = states_[rule_index];
    if (by_key.empty()) {
        return;
    }
    // In key order, so that a live run and a replay list simultaneous transitions alike.
    auto& keys = reevaluated_;  // reused: a clock step allocates nothing once it has grown
    keys.clear();
    for (auto& [key, state] : by_key) {
        keys.emplace_back(&key, &state);
    }
    std::sort(keys.begin(), keys.end(),
              [](const auto& a, const auto& b) { return *a.first < *b.first; });
    const CompiledRule& rule = rules_->rules[rule_index];
    for (auto& [key, state] : keys) {
        if (time < state->last.time) {
            continue;  // its latest reading is newer than this step (a reading ahead of the clock)
        }
        bind_reading(state->last);
        bind_time(rule, state->topic, state->last.time, time);
        bind_group(rule_index, *key, time);
        apply(rule_index, *key, *state, observe_rule(rules_->cores[rule_index], time), out);
    }
}

std::optional<Timestamp> Engine::deadline(std::size_t rule_index, const KeyState& state) const {
    const RuleCore& rule = rules_->cores[rule_index];
    std::optional<Timestamp> next;
    if (state.alert.phase == AlertPhase::Firing && rule.repeat.count() > 0) {
        next = state.last_notice + rule.repeat;
    } else {
        next = next_deadline(state.alert, rule.for_duration, rule.clear_for);
    }
    if (const auto calm = state.flap.calm_at(rules_->rules[rule_index].flapping);
        calm && (!next || *calm < *next)) {
        next = calm;
    }
    return next;
}

void Engine::arm_timer(std::size_t rule_index, const std::string& key, KeyState& state) {
    const auto next = deadline(rule_index, state);
    // A later timer already armed would come too late: a new one goes in, the old one is stale.
    // An earlier one re-arms itself with the current deadline when it pops.
    if (!next || (state.armed && *state.armed <= *next)) {
        return;
    }
    state.armed = *next;
    timers_.push(Timer{*next, rule_index, key});
}

void Engine::bind_reading(const Reading& reading, bool registry) {
    entity_value_ = reading.entity;
    provider_value_ = reading.provider;
    quantity_value_ = reading.quantity;
    unit_value_ = reading.unit;
    const auto slot = [](BuiltinSlot s) { return static_cast<std::size_t>(s); };
    slots_[slot(BuiltinSlot::Value)] =
        std::holds_alternative<double>(reading.value) ? &reading.value : nullptr;
    slots_[slot(BuiltinSlot::Entity)] = &entity_value_;
    slots_[slot(BuiltinSlot::Provider)] = &provider_value_;
    slots_[slot(BuiltinSlot::Quantity)] = &quantity_value_;
    slots_[slot(BuiltinSlot::Unit)] = &unit_value_;
    const SlotLayout& layout = rules_->layout;
    const EntityValues* values = nullptr;
    if (registry) {
        const auto entity = entity_values_.find(reading.entity);
        values = entity == entity_values_.end() ? nullptr : &entity->second;
    }
    slots_[slot(BuiltinSlot::EntityType)] = values != nullptr ? &values->type : nullptr;
    slots_[slot(BuiltinSlot::Building)] = values != nullptr ? &values->building : nullptr;
    for (std::size_t i = 0; i < layout.attribute_names.size(); ++i) {
        slots_[layout.attribute_slot(i)] = values != nullptr ? values->attributes[i] : nullptr;
    }
    for (std::size_t i = 0; i < layout.join_topics.size(); ++i) {
        const auto& joined = join_values_[i];
        slots_[layout.join_slot(i)] =
            joined && std::holds_alternative<double>(*joined) ? &*joined : nullptr;
    }
}

std::string Engine::render_key(std::size_t rule_index, const Reading& reading) const {
    if (rules_->cores[rule_index].key_is_entity) {
        return reading.entity;
    }
    std::string key = rules_->rules[rule_index].key.render([&](std::string_view name) -> Value {
        if (name == "building") {
            const auto entity = entity_values_.find(reading.entity);
            return entity == entity_values_.end() ? Value(std::string()) : entity->second.building;
        }
        return reading_field(reading, name).value_or(std::string());
    });
    return as_topic_level(std::move(key));  // a key is an MQTT topic level
}

void Engine::bind_group(std::size_t rule_index, const std::string& key, Timestamp time) {
    if (rules_->cores[rule_index].has_group) {
        groups_.bind(rule_index, key, time, slots_);
    }
}

void Engine::bind_time(const CompiledRule& rule, std::string_view topic, Timestamp last_time,
                       Timestamp time) {
    const SlotLayout& layout = rules_->layout;
    for (const std::uint32_t w : rule.windows) {
        const WindowSpec& spec = layout.windows[w];
        std::optional<double> value;
        if (spec.reads_own_key()) {
            value = std::chrono::duration<double>(time - last_time).count();
        } else {
            value = evaluate_window(spec, series_.find(series_topic(spec, topic, series_topic_)),
                                    time);
        }
        if (value) {
            window_values_[w] = *value;
            slots_[layout.window_slot(w)] = &window_values_[w];
        } else {
            slots_[layout.window_slot(w)] = nullptr;
        }
    }
    if (rule.uses_calendar && time != calendar_time_) {
        const LocalTime local = zone_.local_time(time);
        calendar_values_ = {double(local.hour), double(local.minute), double(local.weekday),
                            double(local.day), double(local.month)};
        calendar_time_ = time;
    }
    for (std::size_t i = 0; i < calendar_values_.size(); ++i) {
        slots_[kFirstCalendarSlot + i] = rule.uses_calendar ? &calendar_values_[i] : nullptr;
    }
}

Observation Engine::observe_rule(const RuleCore& rule, Timestamp time) {
    Observation observation;
    observation.time = time;
    observation.when = evaluator_.evaluate(rules_->conditions, rule.when, slots_);
    observation.has_clear_condition = rule.has_clear;
    if (rule.has_clear) {
        observation.clear = evaluator_.evaluate(rules_->conditions, rule.clear, slots_);
    }
    return observation;
}

void Engine::evaluate_rule(std::size_t rule_index, std::string_view topic, const Reading& reading,
                           std::vector<AlertEvent>& out) {
    const RuleCore& rule = rules_->cores[rule_index];
    cause_ = ExplainCause::Reading;
    const std::string key = render_key(rule_index, reading);
    // A group counts each member's latest reading, even one older than the group's latest.
    if (rule.has_group && !groups_.record(rule_index, key, reading, slots_)) {
        return;  // not a member of any group of this rule
    }
    auto& by_key = states_[rule_index];
    auto it = by_key.find(key);
    if (rule.clock_driven) {
        bind_time(rules_->rules[rule_index], topic, reading.time, reading.time);
    }
    bind_group(rule_index, key, reading.time);
    const Observation observation = observe_rule(rule, reading.time);
    if (it == by_key.end()) {
        if (observation.when != true && !rule.tracks_keys) {
            return;  // no state is kept for keys that never matched: memory follows alerts
        }
        it = by_key.emplace(key, KeyState{}).first;
    }
    KeyState& state = it->second;
    if (reading.time < state.last.time) {
        // A late reading (out of order) would move the key's time backwards: state transitions
        // must never come before the ones already notified.
        ++late_readings_;
        return;
    }
    state.last = reading;
    if (state.topic != topic) {
        state.topic.assign(topic);
    }
    if (state.alert.phase == AlertPhase::Firing || state.alert.phase == AlertPhase::Resolving) {
        state.extremes.add(reading);  // the reading that resolves the alert counts too
    }
    apply(rule_index, key, state, observation, out);
    if (forgettable(rule_index, state)) {
        by_key.erase(it);
    }
}

bool Engine::forgettable(std::size_t rule_index, const KeyState& state) const {
    // Memory follows alerts: an inactive key is forgotten unless something still needs it.
    return state.alert.phase == AlertPhase::Inactive && !state.armed &&
           !rules_->cores[rule_index].tracks_keys &&
           !state.flap.recalls(rules_->rules[rule_index].flapping, now_);
}

void Engine::apply(std::size_t rule_index, const std::string& key, KeyState& state,
                   const Observation& observation, std::vector<AlertEvent>& out) {
    const RuleCore& rule = rules_->cores[rule_index];
    const AlertChange change =
        observe(state.alert, observation, rule.for_duration, rule.clear_for);
    if (change == AlertChange::Fired) {
        state.alert.notified_actions = select_actions(rules_->rules[rule_index]);
        state.fired = state.last;
        state.repeats = 0;
        state.extremes = {};
        state.extremes.add(state.last);
        transition(rule_index, key, state, AlertStatus::Firing, state.alert.firing_since, out);
    } else if (change == AlertChange::Resolved) {
        const Timestamp resolved_at = rule.clear_for.count() > 0
                                          ? state.alert.resolving_since + rule.clear_for
                                          : observation.time;
        transition(rule_index, key, state, AlertStatus::Resolved,
                   std::max(resolved_at, state.alert.firing_since), out);
    }
    arm_timer(rule_index, key, state);
}

std::uint64_t Engine::select_actions(const CompiledRule& rule) {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < rule.actions.size(); ++i) {
        const auto& condition = rule.actions[i].when;
        if (!condition || evaluator_.evaluate(*condition, slots_) == true) {
            mask |= std::uint64_t{1} << i;
        }
    }
    return mask;
}

void Engine::transition(std::size_t rule_index, const std::string& key, KeyState& state,
                        AlertStatus status, Timestamp time, std::vector<AlertEvent>& out) {
    switch (state.flap.on_transition(rules_->rules[rule_index].flapping, time)) {
        case FlapDetector::Verdict::Notify:
            emit(rule_index, key, state, status, time, out);
            break;
        case FlapDetector::Verdict::StartsFlapping:
            emit(rule_index, key, state, AlertStatus::Flapping, time, out);
            break;
        case FlapDetector::Verdict::Quiet:
            break;
    }
}

void Engine::end_flapping(std::size_t rule_index, const std::string& key, KeyState& state,
                          Timestamp time, std::vector<AlertEvent>& out) {
    // Recipients last heard "flapping": they now hear whether the alert stands or not.
    const bool firing =
        state.alert.phase == AlertPhase::Firing || state.alert.phase == AlertPhase::Resolving;
    emit(rule_index, key, state, firing ? AlertStatus::Firing : AlertStatus::Resolved, time, out);
}

std::shared_ptr<const Explanation> Engine::explain(const CompiledRule& rule,
                                                   const KeyState& state) {
    // Transitions are rare: evaluating the conditions again here costs nothing that matters, and
    // the slots are still bound as they were for the transition.
    auto explanation = std::make_shared<Explanation>();
    explanation->cause = cause_;
    explanation->topic = state.topic;
    explanation->when = rule.when_text;
    explanation->when_result = evaluator_.evaluate(rule.when, slots_);
    if (rule.clear) {
        explanation->clear = rule.clear_text;
        explanation->clear_result = evaluator_.evaluate(*rule.clear, slots_);
    }
    const auto add_inputs = [&](const expr::Program& program) {
        for (const auto& ref : program.slots()) {
            auto& inputs = explanation->inputs;
            if (std::none_of(inputs.begin(), inputs.end(),
                             [&](const ExplainedInput& in) { return in.source == ref.source; })) {
                const Value* value = slots_[ref.slot.index];
                inputs.push_back({ref.source, value ? std::optional<Value>(*value) : std::nullopt});
            }
        }
    };
    add_inputs(rule.when);
    if (rule.clear) {
        add_inputs(*rule.clear);
    }
    for (const auto& action : rule.actions) {
        if (action.when) {
            add_inputs(*action.when);  // who is told: entity.vulnerable for the CCAS
        }
    }
    explanation->pending_since = state.alert.pending_since;
    explanation->firing_since = state.alert.firing_since;
    if (state.alert.phase == AlertPhase::Resolving ||
        (state.alert.phase == AlertPhase::Inactive && rule.clear_for.count() > 0)) {
        explanation->resolving_since = state.alert.resolving_since;
    }
    explanation->for_duration = rule.for_duration;
    explanation->clear_for = rule.clear_for;
    return explanation;
}

void Engine::emit(std::size_t rule_index, const std::string& key, KeyState& state,
                  AlertStatus status, Timestamp time, std::vector<AlertEvent>& out) {
    const CompiledRule& rule = rules_->rules[rule_index];
    AlertEvent event;
    event.rule = &rule;
    event.key = key;
    event.status = status;
    event.started_at = state.alert.firing_since;
    event.alert_id = make_alert_id(rule.id, key, state.alert.firing_since);
    event.time = time;
    event.reading = state.last;
    event.firing_reading = state.fired;
    event.actions = state.alert.notified_actions;
    event.explanation = explain(rule, state);
    const bool repeat = status == AlertStatus::Firing && state.repeats > 0;
    if (!rule.signals.empty() && status != AlertStatus::Flapping && !repeat) {
        // Derived signals say where the alert stands: set on firing, reset on resolution.
        const bool firing = status == AlertStatus::Firing;
        for (const auto& signal : rule.signals) {
            const auto& program = firing ? signal.value : signal.resolved_value;
            event.signal_values.push_back(program ? evaluator_.value(*program, slots_)
                                                  : std::optional<Value>(firing ? 1.0 : 0.0));
        }
    }
    event.extremes = state.extremes;
    if (rule.group) {
        event.group = groups_.facts(rule_index, key);
    }
    event.zone = zone_;
    if (status == AlertStatus::Firing) {
        event.repeat = state.repeats;
        state.last_notice = time;
    }
    out.push_back(std::move(event));
}

}  // namespace passerelle::rules
