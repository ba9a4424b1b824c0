// SPDX-License-Identifier: Apache-2.0
// The injected time source: the system clock in `run`, a hand-advanced one in tests.
#pragma once

#include "gateway/core/time.h"

namespace passerelle {

class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

/// Wall-clock time; the only place the process reads it.
class SystemClock final : public Clock {
public:
    Timestamp now() const override;
};

/// A clock that moves only when told to: deterministic tests and replays.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start = Timestamp{}) : now_(start) {}
    Timestamp now() const override { return now_; }
    void set(Timestamp t) { now_ = t; }
    void advance(Duration d) { now_ += d; }

private:
    Timestamp now_;
};

}  // namespace passerelle
