// A journal on a real SQLite file in a temporary directory, and builders for
// the batches a test sends it.
#ifndef LENDGATE_TESTS_CORE_JOURNAL_JOURNAL_TEST_SUPPORT_H
#define LENDGATE_TESTS_CORE_JOURNAL_JOURNAL_TEST_SUPPORT_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "core/journal/journal.h"
#include "core/journal/sqlite/sqlite_journal.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::journal::testing {

using lendgate::testing::ManualClock;
using lendgate::testing::TempDir;

inline IntakeRecord record(std::uint64_t number, std::string key, std::string caseId, std::vector<Route> routes = {}) {
    IntakeRecord r;
    r.recordNumber = number;
    r.messageType = "delinquency_notice";
    r.idempotencyKey = key;
    if (!caseId.empty()) r.caseId = caseId;
    r.body = R"({"idempotency_key":")" + key + R"(","n":)" + std::to_string(number) + "}";
    r.routes = std::move(routes);
    return r;
}

inline std::string fakeHash(const std::string &text) {
    return "h" + std::to_string(std::hash<std::string>{}(text));
}

/// A batch whose body hash follows its records' bodies, and whose result
/// document lists the message IDs, like an ACK would.
inline IntakeBatch batch(std::string sender, std::string key, std::vector<IntakeRecord> records) {
    IntakeBatch b;
    b.sender = std::move(sender);
    b.idempotencyKey = std::move(key);
    b.channel = "http";
    std::string all;
    for (const auto &r : records) all += r.body;
    b.bodyHash = fakeHash(all);
    b.records = std::move(records);
    b.buildResult = [](const AcceptedBatch &accepted) {
        std::string doc = "ack " + accepted.submissionId + ":";
        for (const auto &r : accepted.records) doc += " " + r.messageId + (r.duplicate ? "(dup)" : "");
        return doc;
    };
    return b;
}

/// Claims what is due now, marks each delivered, and returns the
/// idempotency keys of their messages in claim order.
inline std::vector<std::string> deliverDue(Journal &journal, const ManualClock &clock) {
    ClaimQuery query;
    query.nowMs = clock.nowUnixMs();
    auto claimed = journal.claimDue(query);
    EXPECT_TRUE(claimed.ok());
    std::vector<std::string> keys;
    if (!claimed) return keys;
    for (const ClaimedDelivery &c : claimed.value()) {
        const std::string &json = c.body.canonicalJson;
        const auto start = json.find("\"idempotency_key\":\"") + 19;
        keys.push_back(json.substr(start, json.find('"', start) - start));
        DeliveryOutcome done;
        done.deliveryId = c.delivery.deliveryId;
        done.claim = c.claim;
        done.atMs = clock.nowUnixMs();
        done.status = 200;
        EXPECT_TRUE(journal.markDelivered(done).ok());
    }
    return keys;
}

class JournalTest : public ::testing::Test {
protected:
    std::unique_ptr<Journal> open(SqliteJournalOptions options = {}) {
        if (options.path.empty()) options.path = path_;
        auto journal = openSqliteJournal(options, clock_);
        if (!journal) {
            ADD_FAILURE() << journal.error().code << ": " << journal.error().message;
            return nullptr;
        }
        return std::move(journal).value();
    }

    /// Rows in a table, counted through a separate connection.
    long rows(const std::string &table, const std::string &where = "1 = 1") {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::Session session("SQLite", path_.string());
        long n = 0;
        session << "SELECT COUNT(*) FROM " + table + " WHERE " + where, Poco::Data::Keywords::into(n),
            Poco::Data::Keywords::now;
        return n;
    }

    AcceptResult acceptOk(const IntakeBatch &b) {
        auto result = journal_->accept(b);
        if (!result) {
            ADD_FAILURE() << result.error().code << ": " << result.error().message;
            return {};
        }
        return std::move(result).value();
    }

    TempDir dir_;
    ManualClock clock_;
    std::filesystem::path path_ = dir_ / "state/journal.db";
    std::unique_ptr<Journal> journal_ = open();
};

}  // namespace lendgate::journal::testing

#endif  // LENDGATE_TESTS_CORE_JOURNAL_JOURNAL_TEST_SUPPORT_H
