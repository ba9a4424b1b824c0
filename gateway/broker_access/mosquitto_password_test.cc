// SPDX-License-Identifier: Apache-2.0
#include "gateway/broker_access/mosquitto_password.h"

#include <catch2/catch.hpp>

namespace passerelle::broker_access {
namespace {

TEST_CASE("password lines are those mosquitto_passwd writes") {
    // Written by `mosquitto_passwd -b` (Mosquitto 2.0.11) for alice / secret.
    const std::string salt = "\xee\x11\x93\x35\x68\xdb\x3f\xa7\x86\xa1\x1c\xe3";
    CHECK(
        password_line_with_salt("alice", "secret", salt, 101) ==
        "alice:$7$101$7hGTNWjbP6eGoRzj$DHiI6U/domKzQPr/+NX+dv7YcEjJOQBFDJnmfP5MwR7iGja4eqXYzvsFYPMr"
        "GmFkicdrRj+gB7w+2CCqwmfewg==");
}

TEST_CASE("each password line has its own salt and never the password") {
    const auto first = password_line("ccas", "correct horse");
    const auto second = password_line("ccas", "correct horse");
    REQUIRE(first.has_value());
    REQUIRE(second.has_value());
    CHECK(first->starts_with("ccas:$7$101$"));
    CHECK(*first != *second);
    CHECK(first->find("correct horse") == std::string::npos);
}

}  // namespace
}  // namespace passerelle::broker_access
