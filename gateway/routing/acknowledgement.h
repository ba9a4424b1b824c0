// SPDX-License-Identifier: Apache-2.0
// Acknowledgements: a recipient says, on notify/<recipient>/ack, that someone has taken charge of
// an alert, which stops its reminders and its escalation (docs/routing.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/result.h"

namespace passerelle::routing {

struct Acknowledgement {
    std::string recipient;  // the stakeholder whose topic it came on
    std::string id;         // a routed notice's (the group's) id, or one of its alerts' ids
    std::string by;         // who: a name, a phone, a team
    std::string comment;    // optional
};

/// The recipient of an acknowledgement topic, notify/<recipient>/ack; none for other topics.
std::optional<std::string> acknowledgement_recipient(std::string_view topic);

/// `{"id": "5b0c2f5e9d7a1c33", "by": "Mme Martin", "comment": "j'appelle"}` on
/// notify/<recipient>/ack. Errors, each naming what is wrong: ack.bad-json, ack.bad-id (not the
/// 16 hex digits of an id), ack.no-author, ack.too-long (`by` over 200 bytes, `comment` over
/// 2000).
Result<Acknowledgement> parse_acknowledgement(std::string_view topic, std::string_view payload);

}  // namespace passerelle::routing
