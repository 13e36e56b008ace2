// A real journal with the shipped policies and one repo firm, and golden
// messages of one case journaled as a partner sent them: what the lifecycle's
// tests fold back into the case's facts.
#ifndef LENDGATE_TESTS_CORE_LIFECYCLE_LIFECYCLE_TEST_SUPPORT_H
#define LENDGATE_TESTS_CORE_LIFECYCLE_LIFECYCLE_TEST_SUPPORT_H

#include <cstdint>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/config/gateway_config.h"
#include "core/journal/ulid.h"
#include "tests/core/journal/journal_test_support.h"
#include "tests/core/policy/policy_test_support.h"

namespace lendgate::lifecycle {

inline constexpr std::int64_t kHour = std::int64_t{3600} * 1000;

inline std::string isoAt(std::int64_t ms) {
    return model::Timestamp::fromUnix(ms / 1000, 0, 0).toString();
}

class LifecycleJournalTest : public journal::testing::JournalTest {
protected:
    LifecycleJournalTest() {
        config_.policies = std::make_shared<policy::PolicyConfig>(policy::test::shippedConfig());
        config::Partner firm;
        firm.id = "valley-recovery";
        firm.role = model::PartnerRole::RepoFirm;
        config_.partners.push_back(firm);
    }

    // A golden message of the case, happening now, as `sender` sent it, with
    // `payloadChanges` merged into its payload (null: none).
    void journaled(const std::string &sender, const std::string &key, const std::string &golden,
                   const nlohmann::json &payloadChanges, std::vector<journal::Route> routes = {}) {
        std::ifstream in(std::string(LENDGATE_SOURCE_DIR) + "/tests/core/model/golden/valid/" + golden + ".json");
        nlohmann::json message = nlohmann::json::parse(in);
        for (const char *assigned : {"message_id", "sender", "receiver", "received_at", "case_id"})
            message.erase(assigned);
        message["idempotency_key"] = key;
        message["occurred_at"] = isoAt(clock_.nowUnixMs());
        if (!payloadChanges.is_null()) message["payload"].merge_patch(payloadChanges);
        journal::IntakeRecord r = journal::testing::record(1, key, "case-1", std::move(routes));
        r.messageType = message["message_type"].get<std::string>();
        r.body = message.dump();
        acceptOk(journal::testing::batch(sender, key, {r}));
    }

    std::vector<std::string> dueKeys() { return journal::testing::deliverDue(*journal_, clock_); }

    config::GatewayConfig config_;
    journal::UlidGenerator ulids_{clock_};
};

}  // namespace lendgate::lifecycle

#endif  // LENDGATE_TESTS_CORE_LIFECYCLE_LIFECYCLE_TEST_SUPPORT_H
