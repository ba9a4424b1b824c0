// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/engine.h"

#include <algorithm>

#include "gateway/core/topic.h"

namespace passerelle::rules {
namespace {

// The slot value when its type matches what the compiler declared, else "unknown".
const Value* typed(const Value* value, expr::Type type) {
    return value != nullptr && value_has_type(*value, type) ? value : nullptr;
}

}  // namespace

Engine::Engine(std::shared_ptr<const RuleSet> rules, const Territory& territory)
    : rules_(std::move(rules)), territory_(territory) {
    const SlotLayout& layout = rules_->layout;
    states_.resize(rules_->rules.size());
    join_values_.resize(layout.join_topics.size());
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
}

void Engine::on_reading(std::string_view topic, const Reading& reading,
                        std::vector<AlertEvent>& out) {
    fire_due_timers(reading.time, out);
    now_ = std::max(now_, reading.time);
    if (const auto join = rules_->join_index.find(topic); join != rules_->join_index.end()) {
        join_values_[join->second] = reading.value;
    }
    // The index gives the matching rules in file order, as the scan of every rule did.
    rules_->listen_index.match(topic, matched_rules_);
    if (matched_rules_.empty()) {
        return;
    }
    bind_reading(reading);
    for (const std::uint32_t i : matched_rules_) {
        evaluate_rule(i, reading, out);
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
            // Actions may have been added or removed: an alert is told to the ones still there.
            const std::uint64_t actions =
                rule.actions.size() >= 64 ? ~std::uint64_t{0}
                                          : (std::uint64_t{1} << rule.actions.size()) - 1;
            for (const auto& [key, old_state] : previous.states_[j]) {
                if (old_state.alert.phase == AlertPhase::Inactive) {
                    continue;
                }
                KeyState& state = states_[i].emplace(key, old_state).first->second;
                state.alert.notified_actions &= actions;
                state.timer_armed = false;
                if (state.alert.phase == AlertPhase::Pending) {
                    arm_timer(i, key, state);
                }
                ++adoption.alerts_kept;
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
    while (!timers_.empty() && timers_.top().deadline <= until) {
        const Timer timer = timers_.top();
        timers_.pop();
        auto& by_key = states_[timer.rule];
        const auto it = by_key.find(timer.key);
        if (it == by_key.end()) {
            continue;
        }
        KeyState& state = it->second;
        state.timer_armed = false;
        const CompiledRule& rule = rules_->rules[timer.rule];
        Timestamp fired_at{};
        if (on_time(state.alert, timer.deadline, rule.for_duration, fired_at) == AlertChange::Fired) {
            bind_reading(state.last);
            state.alert.notified_actions = select_actions(rule);
            state.fired = state.last;
            emit(timer.rule, timer.key, state, AlertStatus::Firing, fired_at, out);
        } else if (state.alert.phase == AlertPhase::Pending) {
            // The alert went back to inactive and pending again since: its deadline is later.
            arm_timer(timer.rule, timer.key, state);
        } else if (state.alert.phase == AlertPhase::Inactive) {
            by_key.erase(it);
        }
    }
}

void Engine::arm_timer(std::size_t rule_index, const std::string& key, KeyState& state) {
    if (state.timer_armed) {
        return;  // the armed timer re-arms itself with the current deadline when it pops
    }
    state.timer_armed = true;
    timers_.push(
        Timer{state.alert.pending_since + rules_->rules[rule_index].for_duration, rule_index, key});
}

void Engine::bind_reading(const Reading& reading) {
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
    const auto entity = entity_values_.find(reading.entity);
    const EntityValues* values = entity == entity_values_.end() ? nullptr : &entity->second;
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

std::string Engine::render_key(const CompiledRule& rule, const Reading& reading) const {
    if (rule.key_is_entity) {
        return reading.entity;
    }
    std::string key = rule.key.render([&reading](std::string_view name) {
        return reading_field(reading, name).value_or(std::string());
    });
    // A key is an MQTT topic level: anything else than an identifier character becomes '_'.
    for (char& c : key) {
        if (!is_identifier(std::string_view(&c, 1))) {
            c = '_';
        }
    }
    return key.empty() ? std::string("_") : key;
}

void Engine::evaluate_rule(std::size_t rule_index, const Reading& reading,
                           std::vector<AlertEvent>& out) {
    const CompiledRule& rule = rules_->rules[rule_index];
    const std::string key = render_key(rule, reading);
    auto& by_key = states_[rule_index];
    auto it = by_key.find(key);
    Observation observation;
    observation.time = reading.time;
    observation.when = evaluator_.evaluate(rule.when, slots_);
    observation.has_clear_condition = rule.clear.has_value();
    if (rule.clear) {
        observation.clear = evaluator_.evaluate(*rule.clear, slots_);
    }
    if (it == by_key.end()) {
        if (observation.when != true) {
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
    const AlertChange change = observe(state.alert, observation, rule.for_duration);
    if (change == AlertChange::Fired) {
        state.alert.notified_actions = select_actions(rule);
        state.fired = reading;
        emit(rule_index, key, state, AlertStatus::Firing, state.alert.firing_since, out);
    } else if (change == AlertChange::Resolved) {
        emit(rule_index, key, state, AlertStatus::Resolved,
             std::max(reading.time, state.alert.firing_since), out);
    }
    if (state.alert.phase == AlertPhase::Pending) {
        arm_timer(rule_index, key, state);
    }
    if (state.alert.phase == AlertPhase::Inactive && !state.timer_armed) {
        by_key.erase(it);
    }
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
    out.push_back(std::move(event));
}

}  // namespace passerelle::rules
