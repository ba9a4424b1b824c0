// SPDX-License-Identifier: Apache-2.0
#include "gateway/daemon/persistence.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "gateway/core/assert.h"

namespace passerelle::daemon {

Persistence::Persistence(std::unique_ptr<store::Store> store, PersistenceLimits limits)
    : store_(std::move(store)), limits_(limits) {
    PASSERELLE_ASSERT(store_ != nullptr, "Persistence without a store");
    auto size = store_->outbox().size();
    outbox_size_ = size ? static_cast<std::size_t>(*size) : 0;
}

Status Persistence::replay(Timestamp since,
                           const std::function<void(const store::ReadingHistory::Entry&)>& visit) {
    return store_->history().read(since, visit);
}

Result<std::vector<ReadyNotification>> Persistence::unacknowledged() {
    constexpr std::size_t kPage = 1000;
    std::vector<ReadyNotification> ready;
    for (std::int64_t after = 0;;) {
        auto page = store_->outbox().pending(after, kPage);
        if (!page) {
            return page.error();
        }
        for (auto& entry : *page) {
            const auto id = static_cast<std::uint64_t>(entry.id);
            tracked_[id] = Tracked{entry.what, store::sha256_hex(entry.payload), true};
            ready.push_back(ReadyNotification{id, std::move(entry.what), std::move(entry.payload)});
            after = entry.id;
        }
        if (page->size() < kPage) {
            break;
        }
    }
    outbox_size_ = ready.size();
    return ready;
}

void Persistence::mark_unwritten() {
    if (store_->history().buffered() == 0 && dead_letters_.empty() && !position_unwritten_ &&
        route_groups_.empty() && unrecorded_.empty()) {
        oldest_unwritten_ = std::chrono::steady_clock::now();
    }
}

void Persistence::evaluated(std::uint64_t sequence) {
    if (sequence <= evaluated_through_) {
        return;
    }
    mark_unwritten();
    evaluated_through_ = sequence;
    position_unwritten_ = true;
}

void Persistence::add_reading(const std::string& topic, const Reading& reading) {
    mark_unwritten();
    store_->history().add(topic, reading);
}

void Persistence::add_dead_letter(store::StoredDeadLetter letter) {
    mark_unwritten();
    dead_letters_.push_back(std::move(letter));
}

bool Persistence::is_new(const store::NotificationRecord& what) {
    for (const Staged& staged : staged_) {
        if (staged.what.alert_id == what.alert_id && staged.what.notice == what.notice &&
            staged.what.recipient == what.recipient) {
            return false;
        }
    }
    // A store that cannot be read answers "new": a repeat is better than a loss.
    const auto queued = store_->outbox().holds(what.alert_id, what.notice, what.recipient);
    const auto sent = store_->audit().records(what.alert_id, what.notice, what.recipient);
    if ((queued && *queued) || (sent && *sent)) {
        ++counters_.repeats_skipped;
        return false;
    }
    return true;
}

void Persistence::stage(store::NotificationRecord what, std::string payload) {
    staged_.push_back(Staged{std::move(what), std::move(payload)});
}

void Persistence::audit_received(store::NotificationRecord what, const std::string& payload,
                                 Timestamp now) {
    mark_unwritten();
    unrecorded_.push_back(
        Unrecorded{0, Tracked{std::move(what), store::sha256_hex(payload), false}, now});
}

void Persistence::stage_route_group(const std::string& key, std::optional<std::string> state) {
    mark_unwritten();
    route_groups_[key] = std::move(state);
}

Result<std::vector<std::pair<std::string, std::string>>> Persistence::route_groups() {
    return store_->route_state().all();
}

bool Persistence::commit_due(std::chrono::steady_clock::time_point now) const {
    const std::size_t waiting = store_->history().buffered() + dead_letters_.size();
    if (!staged_.empty() || (!failing_ && waiting >= limits_.batch)) {
        return true;
    }
    const bool unwritten =
        waiting > 0 || !unrecorded_.empty() || position_unwritten_ || !route_groups_.empty();
    return unwritten && now - oldest_unwritten_ >= limits_.interval;
}

std::vector<ReadyNotification> Persistence::commit(Timestamp now) {
    auto& database = store_->database();
    auto& history = store_->history();
    std::vector<std::int64_t> ids;  // 0: no durable copy (outbox full)
    Status written = Ok{};
    {
        auto transaction = store::Transaction::begin(database);
        written = transaction ? Status(Ok{}) : Status(transaction.error());
        if (written) {
            written = history.write_buffered();
        }
        for (std::size_t i = 0; written && i < dead_letters_.size(); ++i) {
            written = store_->dead_letters().add(dead_letters_[i]);
        }
        if (written && position_unwritten_) {
            written = store_->journal_position().set_evaluated_through(evaluated_through_);
        }
        for (std::size_t i = 0; written && i < unrecorded_.size(); ++i) {
            written = write_acknowledgement(unrecorded_[i]);
        }
        for (auto group = route_groups_.begin(); written && group != route_groups_.end(); ++group) {
            written = group->second ? store_->route_state().put(group->first, *group->second)
                                    : store_->route_state().remove(group->first);
        }
        for (std::size_t i = 0; written && i < staged_.size(); ++i) {
            if (outbox_size_ + ids.size() >= limits_.outbox_limit) {
                ids.push_back(0);
                continue;
            }
            const Staged& staged = staged_[i];
            auto put = store_->outbox().put(
                store::OutboxEntry{0, staged.what, staged.payload, 1, false, now});
            written = put ? Status(Ok{}) : Status(put.error());
            ids.push_back(put ? *put : 0);
        }
        if (written) {
            written = transaction->commit();
        }
    }  // an uncommitted transaction rolls back here
    if (written) {
        counters_.readings_written += history.buffered();
        counters_.audited += unrecorded_.size();
        history.clear_buffered();
        dead_letters_.clear();
        unrecorded_.clear();
        route_groups_.clear();
        if (position_unwritten_) {
            position_unwritten_ = false;
            store_->journal().release_through(evaluated_through_);
        }
        write_succeeded();
    } else {
        write_failed(written.error());
        ids.assign(staged_.size(), 0);
        counters_.readings_lost += history.shed(limits_.unwritten_limit);
        if (dead_letters_.size() > limits_.unwritten_limit) {
            dead_letters_.erase(
                dead_letters_.begin(),
                dead_letters_.end() - static_cast<std::ptrdiff_t>(limits_.unwritten_limit));
        }
        // Retried at the next commit_due(), an interval from now.
        oldest_unwritten_ = std::chrono::steady_clock::now();
    }
    std::vector<ReadyNotification> ready;
    ready.reserve(staged_.size());
    std::size_t overflow = 0;
    for (std::size_t i = 0; i < staged_.size(); ++i) {
        Staged& staged = staged_[i];
        const bool durable = ids[i] != 0;
        const std::uint64_t id = durable ? static_cast<std::uint64_t>(ids[i]) : volatile_id();
        if (durable) {
            ++outbox_size_;
        } else if (written) {
            ++overflow;
        }
        tracked_[id] = Tracked{staged.what, store::sha256_hex(staged.payload), durable};
        ready.push_back(ReadyNotification{id, std::move(staged.what), std::move(staged.payload)});
    }
    staged_.clear();
    if (overflow > 0) {
        if (counters_.outbox_overflow == 0) {
            spdlog::error(
                "store: the outbox holds {} notifications waiting for the broker; "
                "further ones go out without a durable copy (outbox_overflow)",
                outbox_size_);
        }
        counters_.outbox_overflow += overflow;
    }
    return ready;
}

Status Persistence::write_acknowledgement(const Unrecorded& ack) {
    if (ack.tracked.durable) {
        if (auto removed = store_->outbox().remove(static_cast<std::int64_t>(ack.id)); !removed) {
            return removed;
        }
    }
    store::AuditRecord record;
    record.sent = ack.sent;
    record.what = ack.tracked.what;
    if (!record.what.agreements.empty()) {
        record.agreement = fmt::format("{}", fmt::join(record.what.agreements, ", "));
    }
    record.payload_sha256 = ack.tracked.payload_sha256;
    auto appended = store_->audit().append(std::move(record));
    if (!appended) {
        return appended.error();
    }
    return Ok{};
}

void Persistence::delivered(std::uint64_t id, Timestamp now) {
    const auto it = tracked_.find(id);
    if (it == tracked_.end()) {
        return;  // not a notification's id
    }
    Unrecorded ack{id, std::move(it->second), now};
    tracked_.erase(it);
    Status written = Ok{};
    {
        auto transaction = store::Transaction::begin(store_->database());
        written = transaction ? write_acknowledgement(ack) : Status(transaction.error());
        if (written) {
            written = transaction->commit();
        }
    }
    if (ack.tracked.durable && written) {
        --outbox_size_;
    }
    if (written) {
        ++counters_.audited;
        write_succeeded();
        return;
    }
    write_failed(written.error());
    if (!unrecorded_.empty() && unrecorded_.size() >= limits_.unwritten_limit) {
        unrecorded_.erase(unrecorded_.begin());
    }
    if (unrecorded_.empty() && store_->history().buffered() == 0 && dead_letters_.empty()) {
        oldest_unwritten_ = std::chrono::steady_clock::now();
    }
    unrecorded_.push_back(std::move(ack));
}

std::optional<store::NotificationRecord> Persistence::refused(std::uint64_t id) {
    const auto it = tracked_.find(id);
    if (it == tracked_.end()) {
        return std::nullopt;
    }
    const bool durable = it->second.durable;
    store::NotificationRecord what = std::move(it->second.what);
    tracked_.erase(it);
    if (!durable) {
        return what;
    }
    if (auto removed = store_->outbox().remove(static_cast<std::int64_t>(id)); !removed) {
        write_failed(removed.error());  // it stays, and is refused again after a restart
        return what;
    }
    --outbox_size_;
    return what;
}

void Persistence::housekeeping(Timestamp now, const Retention& retention) {
    auto pruned = store_->history().prune(now - retention.history);
    if (!pruned) {
        write_failed(pruned.error());
        return;
    }
    std::int64_t thinned = 0;
    if (retention.downsample_after) {
        auto removed = store_->history().downsample(now - *retention.downsample_after,
                                                    retention.downsample_to);
        if (!removed) {
            write_failed(removed.error());
            return;
        }
        thinned = *removed;
    }
    auto letters = store_->dead_letters().prune(now - retention.dead_letters);
    if (!letters) {
        write_failed(letters.error());
        return;
    }
    if (*pruned > 0 || thinned > 0 || *letters > 0) {
        spdlog::info(
            "store: {} readings and {} dead letters past their retention removed, {} old "
            "readings thinned",
            *pruned, *letters, thinned);
    }
}

void Persistence::write_failed(const Error& error) {
    ++counters_.write_errors;
    if (!failing_) {
        spdlog::error(
            "store: {}; the rules go on, notifications are sent without their durable "
            "copy and readings wait in memory until it can write again",
            error.message);
        failing_ = true;
    }
}

void Persistence::write_succeeded() {
    if (failing_) {
        spdlog::info("store: writing again");
        failing_ = false;
    }
}

}  // namespace passerelle::daemon
