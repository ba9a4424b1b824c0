// SPDX-License-Identifier: Apache-2.0
// The example territory run for real: a copy of it to change freely, the gateway and the
// simulator as child processes, and the notifications compared with what `replay` computes.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/test_client.h"

namespace passerelle::testing {

/// How long a gateway stopped after a scenario may take: it handles the readings still queued
/// before it exits, which takes long in the sanitized build.
constexpr std::chrono::milliseconds kDrainGrace{60'000};

/// One notification: alert id, rule, key, status, recipient.
using Notice = std::tuple<std::string, std::string, std::string, std::string, std::string>;

/// Copies examples/territoire (entities, rules, meters' keys, configuration) into `dir` and returns
/// the path of its passerelle.yaml.
std::string copy_example_territory(const std::filesystem::path& dir);

/// `passerelle run -c config --broker url --data data`, its output in `dir`/`name`.{out,err}.
std::unique_ptr<ChildProcess> start_gateway(const std::filesystem::path& dir,
                                            const std::string& name, const std::string& config,
                                            const std::string& broker_url,
                                            const std::filesystem::path& data);

/// `passerelle simulate` of `scenario` at `speed`, recording its readings in
/// `dir`/`scenario`.jsonl, without watching notifications; `extra` options appended.
std::unique_ptr<ChildProcess> start_simulate(const std::filesystem::path& dir,
                                             const std::string& config,
                                             const std::string& broker_url,
                                             const std::string& scenario, double speed,
                                             std::vector<std::string> extra = {});

/// The CCAS's desks of the example territory say their clients are connected (retained
/// "online" on their presence topics), as the demo's do: its route's fallback desk gets nothing,
/// and the gateway notifies what a replay computes.
void announce_desks_online(const std::string& broker_url);

/// The notifications `observer` received on notify/#, the desks' presences left out.
std::multiset<Notice> notices_received(const TestClient& observer);
/// How many of them the broker sent again (DUP flag), for want of the observer's acknowledgement.
std::size_t notices_redelivered(const TestClient& observer);

/// What `passerelle replay` of `input` notifies.
std::multiset<Notice> replay_notices(const std::filesystem::path& dir,
                                     const std::filesystem::path& input, const std::string& config);

/// Waits until `observer` holds at least `count` notifications, or `timeout`.
void wait_for_notices(TestClient& observer, std::size_t count, std::chrono::milliseconds timeout);

}  // namespace passerelle::testing
