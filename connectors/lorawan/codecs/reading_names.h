// SPDX-License-Identifier: Apache-2.0
// The published names of a frame's readings (the rule is in payload.h).
#pragma once

#include "connectors/lorawan/codecs/payload.h"

namespace passerelle::connectors::lorawan {

/// A quantity on several channels becomes `<quantity>_<channel>`; a name that still repeats keeps
/// its last value, with a note. Order is kept otherwise.
void name_readings(DecodedPayload& payload);

}  // namespace passerelle::connectors::lorawan
