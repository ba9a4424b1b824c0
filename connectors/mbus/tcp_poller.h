// SPDX-License-Identifier: Apache-2.0
// Polls wired M-Bus meters behind serial-to-TCP servers, each on its own interval, and hands every
// result to a callback.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/mbus/mbus_decoder.h"
#include "connectors/mbus/tcp_master.h"
#include "gateway/core/clock.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::mbus {

struct PollTarget {
    std::string entity;  // carried to the callback, untouched
    std::string host;
    std::uint16_t port = 0;
    std::uint8_t address = 0;                    // primary address, 0..250 or 254
    std::chrono::milliseconds interval{60'000};  // zero or less is taken as 1 s
};

/// Called with the target, what TcpMaster::read_meter() returned, and when the read ended.
using PollCallback = std::function<void(
    const PollTarget& target, Result<std::vector<DecodedTelegram>> result, Timestamp when)>;

/// One thread per host:port. The meters of one endpoint share its connection and are read one
/// after the other, since their bus is half-duplex; endpoints do not wait for each other. Every
/// target is read once at start(), then every `interval`; a read that overruns skips the slots
/// it missed instead of catching up in a burst. An absent meter delays the others on its endpoint
/// by at most its own timeout x attempts (x telegrams). Callbacks never run concurrently, and
/// never after stop() returned.
class TcpPoller {
public:
    /// `clock` stamps results and must outlive the poller; waits use the steady clock.
    TcpPoller(std::vector<PollTarget> targets, MasterSettings settings, const Clock& clock,
              PollCallback on_result);
    /// Stops.
    ~TcpPoller();
    TcpPoller(const TcpPoller&) = delete;
    TcpPoller& operator=(const TcpPoller&) = delete;

    /// Starts the threads; once only.
    void start();
    /// Wakes the threads, interrupts any request in flight (it reports nothing) and joins them:
    /// returns as soon as a running callback has returned. Final: the poller cannot restart.
    /// Not from a callback, which would wait for itself.
    void stop();

private:
    struct Endpoint {
        std::unique_ptr<TcpMaster> master;
        std::vector<PollTarget> targets;
    };
    void run(Endpoint& endpoint);
    /// Waits until `until` or stop(); true when stopped.
    bool wait_for_stop(std::chrono::steady_clock::time_point until);

    std::vector<Endpoint> endpoints_;
    const Clock& clock_;
    PollCallback on_result_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
    std::mutex callback_mutex_;
    std::vector<std::thread> threads_;
};

}  // namespace passerelle::connectors::mbus
