// SPDX-License-Identifier: Apache-2.0
// TimeZone: IANA time zones read from the system's TZif files, for rules that speak local time.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle {

namespace detail {
struct TimeZoneData;
}  // namespace detail

/// A wall-clock reading in some zone.
struct LocalTime {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    int hour = 0;
    int minute = 0;
    int second = 0;
    int weekday = 4;             // ISO 8601: 1 = Monday ... 7 = Sunday
    int utc_offset_seconds = 0;  // local time minus UTC, e.g. 7200 in Paris in summer
    /// "CEST", "+03" or "UTC". Points into the zone's data, which every copy of the TimeZone
    /// shares: valid while one of them lives.
    std::string_view abbreviation;
};

/// An IANA time zone ("Europe/Paris"), or UTC. Immutable; copies are cheap and share the data.
/// Lookups never allocate.
///
/// libstdc++ 12 has no std::chrono tzdb, hence this. The data comes from TZif files (RFC 8536,
/// versions 1 to 4): the 64-bit transitions of version 2+ files, then the POSIX TZ rule of the
/// footer ("CET-1CEST,M3.5.0,M10.5.0/3") after the last transition, so "slim" files and dates
/// past 2037 are right. Leap-second records are skipped: the "right/" zones, whose times count
/// leap seconds, come out up to 27 s off.
class TimeZone {
public:
    /// UTC. A moved-from TimeZone may only be assigned to or destroyed.
    TimeZone();

    /// The zone named "UTC": offset 0, abbreviation "UTC".
    static TimeZone utc();

    /// Loads an IANA zone such as "Europe/Paris" from $TZDIR when set and not empty, else from
    /// /usr/share/zoneinfo. Errors, each naming the zone:
    /// - tz.bad-name: not a plain zone name (empty, over 255 bytes, characters other than
    ///   [A-Za-z0-9_+-/], or a leading, trailing or doubled '/'), so "../etc/passwd" never opens;
    /// - tz.unknown-zone: no such file;
    /// - tz.unreadable, tz.too-large: the file cannot be read, or is over 1 MiB;
    /// - anything parse() returns.
    static Result<TimeZone> load(std::string_view name);

    /// Parses a TZif image; `name` becomes name() and goes into messages. For load(), tests and
    /// fuzzing: any bytes give a zone or an Error, never undefined behaviour. Errors:
    /// - tz.bad-tzif: not TZif, truncated, inconsistent or beyond the sanity limits;
    /// - tz.bad-rule: the footer's POSIX TZ string cannot be read (the message says why).
    static Result<TimeZone> parse(std::string_view name, std::span<const unsigned char> tzif);

    /// "Europe/Paris" as loaded, "UTC" for utc().
    const std::string& name() const;

    /// The wall-clock time at `t` (seconds are floored: microseconds are dropped).
    LocalTime local_time(Timestamp t) const;

    /// The instant at which the zone's clocks read this local time. Fields out of range are
    /// normalised like mktime (month 13 is January of the next year, day 0 the last day of the
    /// previous month, hour 24 the next midnight). When the clocks show the time twice (the hour
    /// repeated when summer time ends), the earlier instant. When they never show it (the hour
    /// skipped when summer time starts), the instant read with the UTC offset in effect before
    /// the skip: Paris 02:30 on the last Sunday of March gives 01:30Z, which is 03:30 CEST. This
    /// is what glibc's mktime does with tm_isdst = -1 at every start of summer time in tzdata
    /// (at some historical changes of standard offset, glibc takes the offset after instead).
    /// Assumes that the offset changes at most once within two days, as in tzdata. Saturates at
    /// the limits of Timestamp.
    Timestamp to_utc(int year, int month, int day, int hour, int minute, int second) const;

private:
    explicit TimeZone(std::shared_ptr<const detail::TimeZoneData> data);

    std::shared_ptr<const detail::TimeZoneData> data_;  // never null
};

}  // namespace passerelle
