// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/audit_log.h"

#include <catch2/catch.hpp>

#include "gateway/store/test_store.h"

namespace passerelle::store {
namespace {

AuditRecord sent(const std::string& recipient, const std::string& rule,
                 std::vector<std::string> providers, std::int64_t second) {
    AuditRecord record;
    record.sent = Timestamp(std::chrono::seconds(1'751'000'000 + second));
    record.what.recipient = recipient;
    record.what.rule = rule;
    record.what.alert_id = rule + "-" + std::to_string(second);
    record.what.notice = "firing";
    record.what.topic = "notify/" + recipient + "/" + rule;
    record.what.providers = std::move(providers);
    record.payload_sha256 = sha256_hex(record.what.alert_id);
    return record;
}

void fill(AuditLog& log) {
    REQUIRE(log.append(sent("ccas", "canicule-logement", {"habitat-sud", "ccas"}, 0)));
    REQUIRE(log.append(sent("habitat-sud", "canicule-logement", {"habitat-sud"}, 1)));
    REQUIRE(log.append(sent("eau", "fuite-eau", {"eau"}, 2)));
}

TEST_CASE("the audit log answers by recipient, provider, rule and date") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto log = AuditLog::open(database);
    REQUIRE(log);
    fill(*log);

    CHECK(log->query({})->size() == 3);
    CHECK(log->query({"ccas", "", "", std::nullopt})->size() == 1);
    const auto from_landlord = log->query({"", "habitat-sud", "", std::nullopt});
    REQUIRE(from_landlord);
    REQUIRE(from_landlord->size() == 2);
    CHECK((*from_landlord)[0].what.providers == std::vector<std::string>{"habitat-sud", "ccas"});
    CHECK(log->query({"", "", "fuite-eau", std::nullopt})->front().what.recipient == "eau");
    CHECK(log->query({"", "", "", Timestamp(std::chrono::seconds(1'751'000'001))})->size() == 2);
    CHECK(log->query({"", "habitat", "", std::nullopt})->empty());  // whole names only

    CHECK(*log->records("fuite-eau-2", "firing", "eau"));
    CHECK_FALSE(*log->records("fuite-eau-2", "resolved", "eau"));
    CHECK_FALSE(*log->records("fuite-eau-2", "firing", "ccas"));
}

TEST_CASE("the chain holds across reopening, and carries the payload's hash") {
    testing::ScratchDir dir;
    {
        auto database = migrated_store(dir / "store.db");
        auto log = AuditLog::open(database);
        REQUIRE(log);
        fill(*log);
    }
    auto database = migrated_store(dir / "store.db");
    auto log = AuditLog::open(database);
    REQUIRE(log);
    const auto fourth = log->append(sent("ccas", "canicule-logement", {"ccas"}, 3));
    REQUIRE(fourth);
    CHECK(fourth->seq == 4);
    CHECK(fourth->hash.size() == 64);
    const auto verified = log->verify();
    REQUIRE(verified);
    CHECK(verified->rows == 4);
    CHECK_FALSE(verified->broken_at);
}

TEST_CASE("an edited, a removed or a re-chained row is found by verify") {
    testing::ScratchDir dir;
    auto database = migrated_store(dir / "store.db");
    auto log = AuditLog::open(database);
    REQUIRE(log);
    fill(*log);

    SECTION("edited") {
        REQUIRE(database.execute("UPDATE audit SET recipient = 'logis-nord' WHERE seq = 2"));
        const auto verified = log->verify();
        REQUIRE(verified);
        CHECK(verified->broken_at == 2);
        CHECK_THAT(verified->reason, Catch::Contains("changed"));
    }
    SECTION("removed") {
        REQUIRE(database.execute("DELETE FROM audit WHERE seq = 2"));
        const auto verified = log->verify();
        REQUIRE(verified);
        CHECK(verified->broken_at == 3);
        CHECK_THAT(verified->reason, Catch::Contains("row 2 is missing"));
    }
    SECTION("a hash replaced") {
        REQUIRE(database.execute("UPDATE audit SET hash = 'f00d' WHERE seq = 2"));
        const auto verified = log->verify();
        REQUIRE(verified);
        CHECK(verified->broken_at == 2);
    }
}

TEST_CASE("sha256_hex is the standard digest") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace passerelle::store
