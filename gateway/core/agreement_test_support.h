// SPDX-License-Identifier: Apache-2.0
// Test support for tests that are not about data sharing: agreements that let every party
// receive every other party's data, personal data excepted.
#pragma once

#include "gateway/core/territory.h"

namespace passerelle::test_support {

inline void share_all(Territory& territory) {
    for (const Stakeholder& from : territory.stakeholders) {
        Agreement agreement;
        agreement.id = "tests-" + from.id;
        agreement.from = from.id;
        for (const Stakeholder& to : territory.stakeholders) {
            if (to.id != from.id) {
                agreement.to.push_back(to.id);
            }
        }
        agreement.data = {"*"};
        agreement.purpose = "tests";
        territory.agreements.push_back(std::move(agreement));
    }
}

}  // namespace passerelle::test_support
