// What the case lifecycle tests share: a lender posting canonical records for
// an Arizona loan, the admin API's view of messages and cases, the webhooks a
// firm took, and the messages a partner's drop folder received.
#ifndef LENDGATE_TESTS_E2E_E2E_LIFECYCLE_H
#define LENDGATE_TESTS_E2E_E2E_LIFECYCLE_H

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/core/delivery/test_receiver.h"
#include "tests/e2e/e2e_daemon.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {

inline const std::string kLender = kFixtureLender;
inline const std::string kRepoFirm = "valley-recovery";

/// A date (or date and time) `daysAgo` days ago in Arizona (UTC-7, no daylight time).
std::string arizona(int daysAgo, bool withTime);

/// An Arizona loan (no statutory cure period) for the golden order's vehicle,
/// with a current SCRA check of the given status.
nlohmann::json notice(const std::string &key, const std::string &account, const std::string &scraStatus,
                      const std::string &activeDutyStart = "");
nlohmann::json order(const std::string &key, const std::string &account);
nlohmann::json hardship(const std::string &key, const std::string &account, const std::string &applicationId);
nlohmann::json decision(const std::string &key, const std::string &account, const std::string &applicationId,
                        const std::string &status);

/// Posts one record as the lender; its message id. `ackRecord` gets the
/// ACK's entry for it (the canonical ACK: the fixture lender binds no plugin).
std::string post(const Daemon &daemon, const nlohmann::json &record, nlohmann::json *ackRecord = nullptr);
nlohmann::json message(const Daemon &daemon, const std::string &messageId);
nlohmann::json caseOf(const Daemon &daemon, const std::string &caseId);

/// The firm's accepted webhooks of one event type, in arrival order.
std::vector<nlohmann::json> received(const delivery::testing::TestReceiver &firm, const std::string &eventType);
std::vector<nlohmann::json> decisionsOf(const nlohmann::json &timeline, const std::string &policyId,
                                        const std::string &outcome);

/// A world with the policies on and the firm's webhook at `firm`.
WorldOptions lifecycleWorld(const delivery::testing::TestReceiver &firm);

/// The firm's recovery webhook for one of its assignments, in its own format.
std::string recovery(const std::string &caseId, const std::string &assignmentNumber);

/// The canonical message `messageId` as the partner's drop folder holds it (null until it is there).
nlohmann::json droppedFor(const GatewayWorld &world, const std::string &partner, const std::string &messageId);

/// Posts one of the firm's webhook events (its own format, e.g. recovery());
/// the gateway's message id for it, which the firm's ACK names.
std::string postAsFirm(const Daemon &daemon, const nlohmann::json &event);

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_LIFECYCLE_H
