#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/core/intake/intake_test_support.h"

namespace lendgate::intake::testing {
namespace {

using nlohmann::json;

const std::string kDvbFile = "samples/desert-valley-bank/DVB_DELQ_20261123_001.csv";

// A lender's assignment in canonical JSON, as a partner would post it.
std::string assignment(const std::string &key, const std::string &zip = "85014") {
    auto doc = json::parse(sourceFile("samples/cactus-auto-finance/assignment_new.json"));
    doc["idempotency_key"] = key;
    doc["payload"]["assignment_id"] = key;
    doc["payload"]["account"] = {{"account_number", "7700123456"}};
    doc["payload"]["debtors"][0]["addresses"][0]["postal_code"] = zip;
    return doc.dump();
}

TEST_F(IntakeTest, BankFileIsJournaledTokenizedAndRoutedToLossMitigation) {
    auto response = post("desert-valley-bank", sourceFile(kDvbFile), "dvb-1", model::MessageType::DelinquencyNotice);
    ASSERT_EQ(response.status, IntakeStatus::Accepted) << response.document;
    EXPECT_EQ(httpStatusOf(response.status), 202);
    auto ack = json::parse(response.document);
    EXPECT_EQ(ack["payload"]["status"], "ACCEPTED");
    EXPECT_EQ(ack["payload"]["counts"]["accepted"], 8);
    ASSERT_EQ(ack["payload"]["records"].size(), 8u);
    for (const auto &record : ack["payload"]["records"]) {
        const auto id = record["message_id"].get<std::string>();
        auto message = journal_->message(id, std::nullopt);
        ASSERT_TRUE(message) << id;
        const auto &body = message.value().body.canonicalJson;
        // The bank's clear account number never reaches the journal.
        EXPECT_EQ(body.find("4401009817"), std::string::npos);
        EXPECT_NE(body.find("\"account_token\":\"tok1:"), std::string::npos);
        EXPECT_FALSE(message.value().summary.caseId.empty());
        auto deliveries = journal_->deliveriesOf(id);
        ASSERT_TRUE(deliveries);
        ASSERT_EQ(deliveries.value().size(), 1u);
        EXPECT_EQ(deliveries.value()[0].destination, "copper-state-lossmit");
        EXPECT_EQ(deliveries.value()[0].ruleId, "notices-to-loss-mitigation");
    }
    EXPECT_EQ(metrics_.value("lendgate_messages_received_total",
                             {{"partner", "desert-valley-bank"}, {"type", "delinquency_notice"}}),
              8);
}

TEST_F(IntakeTest, SameKeyAndBodyIsAnsweredFromTheJournalAndAnotherBodyConflicts) {
    const auto first = post("cactus-auto-finance", assignment("CAF-1"), "req-1");
    ASSERT_EQ(first.status, IntakeStatus::Accepted) << first.document;
    const auto again = post("cactus-auto-finance", assignment("CAF-1"), "req-1");
    EXPECT_EQ(again.status, IntakeStatus::Accepted);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.document, first.document);
    const auto other = post("cactus-auto-finance", assignment("CAF-2"), "req-1");
    EXPECT_EQ(other.status, IntakeStatus::Conflict);
    EXPECT_EQ(httpStatusOf(other.status), 409);
    journal::MessageQuery query;
    query.sender = "cactus-auto-finance";
    EXPECT_EQ(journal_->listMessages(query).value().size(), 1u);
}

TEST_F(IntakeTest, SameContentWithoutAKeyIsRecognised) {
    const auto first = post("cactus-auto-finance", assignment("CAF-3"));
    const auto again = post("cactus-auto-finance", assignment("CAF-3"));
    ASSERT_EQ(first.status, IntakeStatus::Accepted);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.document, first.document);
}

TEST_F(IntakeTest, ZipDecidesTheRepoFirmAndTheCaseComesFromTheAccount) {
    auto phoenix = json::parse(post("cactus-auto-finance", assignment("CAF-4", "85014")).document);
    auto tucson = json::parse(post("cactus-auto-finance", assignment("CAF-5", "85719")).document);
    const auto phoenixId = phoenix["payload"]["records"][0]["message_id"].get<std::string>();
    const auto tucsonId = tucson["payload"]["records"][0]["message_id"].get<std::string>();
    EXPECT_EQ(journal_->deliveriesOf(phoenixId).value().at(0).destination, "valley-recovery");
    EXPECT_EQ(journal_->deliveriesOf(tucsonId).value().at(0).destination, "mesa-asset-recovery");
    // One account at one lender: one case, so its deliveries stay in order.
    EXPECT_EQ(journal_->message(phoenixId, std::nullopt).value().summary.caseId,
              journal_->message(tucsonId, std::nullopt).value().summary.caseId);
}

TEST_F(IntakeTest, ALendersCancelReachesTheFirmHoldingTheAssignment) {
    auto order = json::parse(post("cactus-auto-finance", assignment("CAF-10", "85719")).document);
    const auto orderId = order["payload"]["records"][0]["message_id"].get<std::string>();
    ASSERT_EQ(journal_->deliveriesOf(orderId).value().at(0).destination, "mesa-asset-recovery");

    auto cancel = json::parse(assignment("CAF-10-CANCEL", "85014"));
    cancel["payload"]["action"] = "CANCEL";
    cancel["payload"]["reason"] = "PAYMENT";
    auto response = post("cactus-auto-finance", cancel.dump());
    ASSERT_EQ(response.status, IntakeStatus::Accepted) << response.document;
    const auto cancelId = json::parse(response.document)["payload"]["records"][0]["message_id"].get<std::string>();
    auto deliveries = journal_->deliveriesOf(cancelId).value();
    // To the firm that holds the order, not to the one the new ZIP would pick; and critical.
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].destination, "mesa-asset-recovery");
    EXPECT_EQ(deliveries[0].ruleId, "assignment-follow-ups-to-assignee");
    EXPECT_TRUE(deliveries[0].critical);
}

// A repo firm's outcome on `caseId`, in the firm's own webhook format: it
// echoes the gateway's reference it got with the assignment.
std::string outcome(const std::string &key, const std::string &caseId) {
    auto doc = json::parse(sourceFile("samples/valley-recovery/outcome_recovered.json"));
    doc["event_id"] = key;
    doc["lendgate"] = {{"case_id", caseId}};
    return doc.dump();
}

TEST_F(IntakeTest, OnlyAPartnerOfACaseMayNameIt) {
    auto order = json::parse(post("cactus-auto-finance", assignment("CAF-20", "85014")).document);
    const auto orderId = order["payload"]["records"][0]["message_id"].get<std::string>();
    const auto caseId = journal_->message(orderId, std::nullopt).value().summary.caseId;

    // The firm that holds the assignment answers on the case: to the lender.
    auto answered = post("valley-recovery", outcome("VRC-1", caseId));
    ASSERT_EQ(answered.status, IntakeStatus::Accepted) << answered.document;
    const auto outcomeId = json::parse(answered.document)["payload"]["records"][0]["message_id"].get<std::string>();
    EXPECT_EQ(journal_->deliveriesOf(outcomeId).value().at(0).destination, "cactus-auto-finance");

    // A servicer with no part in it, or another lender, naming that case is
    // refused alike, and the answer does not echo the id.
    auto otherLender = json::parse(sourceFile("tests/core/model/golden/valid/account_update_cured.json"));
    for (const char *field : {"message_id", "sender", "receiver", "received_at"}) otherLender.erase(field);
    otherLender["case_id"] = caseId;
    auto stranger = post("copper-state-lossmit", otherLender.dump());
    ASSERT_EQ(stranger.status, IntakeStatus::Rejected) << stranger.document;
    EXPECT_EQ(json::parse(stranger.document)["payload"]["records"][0]["errors"][0]["code"], "unknown_case");
    EXPECT_EQ(stranger.document.find(caseId), std::string::npos);
    auto hijack = post("saguaro-fcu", otherLender.dump());
    ASSERT_EQ(hijack.status, IntakeStatus::Rejected) << hijack.document;
    EXPECT_EQ(json::parse(hijack.document)["payload"]["records"][0]["errors"][0]["code"], "unknown_case");
    EXPECT_EQ(journal_->deliveriesOf(orderId).value().size(), 1u);

    // A case nobody has seen is unknown too.
    auto invented = post("valley-recovery", outcome("VRC-2", "01JD3E28JT97KB6CQ643DZVMXX"));
    EXPECT_EQ(invented.status, IntakeStatus::Rejected);
}

TEST_F(IntakeTest, BadRecordsAreRejectedWithFieldAndCodeAndTheRestTaken) {
    auto bad = json::parse(assignment("CAF-7"));
    bad["payload"]["collateral"]["vin"] = "1HGCM82633A00435X";  // wrong check digit
    const auto lines = assignment("CAF-6") + "\n" + bad.dump() + "\n";
    auto response = post("cactus-auto-finance", lines, "mixed");
    ASSERT_EQ(response.status, IntakeStatus::Partial) << response.document;
    auto ack = json::parse(response.document);
    EXPECT_EQ(ack["payload"]["status"], "PARTIAL");
    EXPECT_EQ(ack["payload"]["records"][1]["status"], "REJECTED");
    EXPECT_EQ(ack["payload"]["records"][1]["record"], 2);
    EXPECT_EQ(ack["payload"]["records"][1]["errors"][0]["field"], "/payload/collateral/vin");
    // The value itself is never echoed.
    EXPECT_EQ(response.document.find("1HGCM82633A00435X"), std::string::npos);

    auto onlyBad = post("cactus-auto-finance", bad.dump(), "only-bad");
    EXPECT_EQ(onlyBad.status, IntakeStatus::Rejected);
    EXPECT_EQ(httpStatusOf(onlyBad.status), 422);
}

TEST_F(IntakeTest, APartnerCannotSendTypesItsRoleMayNotOrSpeakForAnother) {
    auto forbidden = post("valley-recovery", assignment("X-1"), "", model::MessageType::RepossessionAssignment);
    EXPECT_EQ(forbidden.status, IntakeStatus::Forbidden);
    EXPECT_EQ(httpStatusOf(forbidden.status), 403);

    auto spoofed = json::parse(assignment("CAF-8"));
    spoofed["sender"] = "desert-valley-bank";
    auto response = post("cactus-auto-finance", spoofed.dump());
    ASSERT_EQ(response.status, IntakeStatus::Rejected) << response.document;
    EXPECT_EQ(json::parse(response.document)["payload"]["records"][0]["errors"][0]["code"], "sender_mismatch");
}

TEST_F(IntakeTest, AFileWithWrongControlTotalsIsRefusedWholeAndNothingJournaled) {
    auto file = sourceFile(kDvbFile);
    const auto trailer = file.rfind("\nT,");
    ASSERT_NE(trailer, std::string::npos);
    file = file.substr(0, trailer) + "\nT,1,1.00\n";
    auto response = post("desert-valley-bank", file, "bad-totals", model::MessageType::DelinquencyNotice);
    ASSERT_EQ(response.status, IntakeStatus::Unusable) << response.document;
    EXPECT_EQ(httpStatusOf(response.status), 400);
    auto ack = json::parse(response.document);
    EXPECT_EQ(ack["payload"]["status"], "REJECTED");
    EXPECT_FALSE(ack["payload"]["errors"].empty());
    journal::MessageQuery query;
    EXPECT_TRUE(journal_->listMessages(query).value().empty());
}

TEST_F(IntakeTest, ConcurrentRequestsShareCommits) {
    constexpr int kRequests = 64;
    std::vector<std::thread> clients;
    std::atomic<int> accepted{0};
    for (int i = 0; i < kRequests; ++i)
        clients.emplace_back([&, i] {
            if (post("cactus-auto-finance", assignment("CAF-G" + std::to_string(i))).status == IntakeStatus::Accepted)
                ++accepted;
        });
    for (auto &client : clients) client.join();
    EXPECT_EQ(accepted.load(), kRequests);
    EXPECT_EQ(commits_->batches(), static_cast<std::size_t>(kRequests));
    EXPECT_LE(commits_->commits(), commits_->batches());
}

TEST_F(IntakeTest, AfterStopNothingIsAcknowledged) {
    commits_->stop();
    auto response = post("cactus-auto-finance", assignment("CAF-9"));
    EXPECT_EQ(response.status, IntakeStatus::Unavailable);
    EXPECT_EQ(httpStatusOf(response.status), 503);
}

// The sample's detail rows again and again, each with its own record id and
// account, and a trailer that adds up: a nightly file too large for one part.
std::string largeBankFile(std::size_t rows, std::int64_t totalAdjustment = 0) {
    const auto sample = sourceFile(kDvbFile);
    std::vector<std::string> details;
    std::string header;
    std::istringstream lines(sample);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("D,"))
            details.push_back(line);
        else if (!line.starts_with("T,"))
            header += line + "\n";
    }
    std::string out = header;
    std::int64_t cents = 0;
    for (std::size_t i = 0; i < rows; ++i) {
        std::string row = details[i % details.size()];
        // Columns 1 and 2 (record id, account) are plain; the rest is kept byte for byte.
        const auto first = row.find(',', 2);
        const auto second = row.find(',', first + 1);
        const auto id = "DQ-BULK-" + std::to_string(i);
        const auto account = std::to_string(5500000000LL + static_cast<long long>(i));
        out += "D," + id + "," + account + row.substr(second) + "\n";
    }
    // The trailer's sum is over AMT_PAST_DUE_CENTS: recompute it the way the bank would.
    std::istringstream written(out);
    for (std::string line; std::getline(written, line);) {
        if (!line.starts_with("D,")) continue;
        // Quoted address cells hold commas: walk the row as CSV.
        int column = 0;
        bool quoted = false;
        std::string cell;
        for (char c : line + ",") {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted) {
                if (column == 28) cents += std::stoll(cell);
                ++column;
                cell.clear();
            } else
                cell += c;
        }
    }
    return out + "T," + std::to_string(rows) + "," + std::to_string(cents + totalAdjustment) + "\n";
}

TEST_F(IntakeTest, ALargeFileIsJournaledInPartsAndAcknowledgedRecordByRecord) {
    constexpr std::size_t kRows = 16000;
    const auto file = largeBankFile(kRows);
    ASSERT_GT(file.size(), kPartsThresholdBytes);
    journal::StringSource source(file);
    IntakeRequest request;
    request.sender = "desert-valley-bank";
    request.declaredType = model::MessageType::DelinquencyNotice;
    request.reference = "DVB_DELQ_20261124_001.csv";
    request.isFile = true;
    request.channel = "sftp_drop";
    request.source = &source;
    request.maxBytes = 64u << 20;
    auto response = intake_->ingest(request);
    ASSERT_EQ(response.status, IntakeStatus::Accepted) << response.document.substr(0, 400);
    auto ack = json::parse(response.document);
    EXPECT_EQ(ack["payload"]["counts"]["accepted"], kRows);
    ASSERT_EQ(ack["payload"]["records"].size(), kRows);
    EXPECT_EQ(ack["payload"]["records"][12345]["record"], 12346);
    EXPECT_EQ(ack["payload"]["records"][12345]["idempotency_key"], "DVB-DQ-BULK-12345");
    EXPECT_EQ(ack["payload"]["subject"]["reference"], "DVB_DELQ_20261124_001.csv");
    // The stored ACK is a valid canonical ack and what GET /v1/acks answers.
    EXPECT_TRUE(model::parseMessage(response.document).ok());
    auto stored = journal_->submission(response.submissionId, "desert-valley-bank");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored.value().acceptedCount, static_cast<std::int64_t>(kRows));
    EXPECT_EQ(stored.value().resultDocument, response.document);
    EXPECT_GE(commits_->batches(), kRows / kRecordsPerPart + 1);

    // The same file dropped again under another name is the same submission.
    journal::StringSource again(file);
    request.source = &again;
    request.reference = "DVB_DELQ_20261124_001_resent.csv";
    auto repeated = intake_->ingest(request);
    EXPECT_TRUE(repeated.replayed);
    EXPECT_EQ(repeated.submissionId, response.submissionId);
}

TEST_F(IntakeTest, ALargeFileWithWrongTotalsIsRefusedBeforeAnyPartIsJournaled) {
    const auto file = largeBankFile(16000, 1);
    journal::StringSource source(file);
    IntakeRequest request;
    request.sender = "desert-valley-bank";
    request.declaredType = model::MessageType::DelinquencyNotice;
    request.reference = "DVB_DELQ_20261124_002.csv";
    request.isFile = true;
    request.source = &source;
    request.maxBytes = 64u << 20;
    auto response = intake_->ingest(request);
    ASSERT_EQ(response.status, IntakeStatus::Unusable) << response.document.substr(0, 400);
    EXPECT_EQ(json::parse(response.document)["payload"]["errors"][0]["code"], "control_totals");
    journal::MessageQuery query;
    EXPECT_TRUE(journal_->listMessages(query).value().empty());
    EXPECT_EQ(commits_->batches(), 0u);
}

}  // namespace
}  // namespace lendgate::intake::testing
