// The ACK a partner gets: an accepted record a policy refused or holds
// carries the reason as a WARNING, a rejected one its errors, and the
// document is a valid canonical `ack` either way.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/intake/ack_document.h"
#include "core/model/message.h"

namespace lendgate::intake {
namespace {

TEST(AckDocument, AnAcceptedOrderAPolicyRefusedCarriesItsReasonAsAWarning) {
    AckTemplate ack({false, "REQ-1", std::string(64, 'a'), "desert-valley-bank", "2026-11-24T10:00:00Z"});
    journal::IntakeRecord refused;
    refused.recordNumber = 1;
    refused.idempotencyKey = "ORDER-1";
    refused.warnings.push_back({"/payload", "policy_refused",
                                "C1: the servicemember's loan predates service; the order is journaled and sent to "
                                "no firm"});
    journal::IntakeRecord plain;
    plain.recordNumber = 2;
    plain.idempotencyKey = "ORDER-2";
    journal::RejectedRecord bad{3, {{"/payload/vin", "invalid_vin", "check digit does not match"}}, "ORDER-3"};
    ack.preparePart({refused, plain}, {bad});
    const std::string document =
        ack.render({"01JD00000000000000000000SB",
                    {{1, "01JD0000000000000000000M01", false}, {2, "01JD0000000000000000000M02", false}}});

    const model::ParseResult parsed = model::parseMessage(document);
    ASSERT_TRUE(parsed.ok()) << (parsed.errors.empty() ? document
                                                       : parsed.errors[0].pointer + " " + parsed.errors[0].message)
                             << document;
    const auto json = nlohmann::json::parse(document);
    const auto &records = json["payload"]["records"];
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0]["status"], "ACCEPTED");
    ASSERT_EQ(records[0]["errors"].size(), 1u);
    EXPECT_EQ(records[0]["errors"][0]["code"], "policy_refused");
    EXPECT_EQ(records[0]["errors"][0]["severity"], "WARNING");
    EXPECT_EQ(records[0]["errors"][0]["field"], "/payload");
    EXPECT_FALSE(records[1].contains("errors")) << "an order nothing stopped has nothing to say";
    EXPECT_EQ(records[2]["status"], "REJECTED");
    EXPECT_EQ(json["payload"]["status"], "PARTIAL");
    EXPECT_EQ(json["payload"]["counts"]["accepted"], 2);
}

// The intake and the drop folder read an ACK's status for every file; the
// ACK of a million-record file must not be parsed into a tree for that.
TEST(AckStatus, IsThePayloadsStatusNotARecordsNorTheSubjects) {
    EXPECT_EQ(ackStatusOf(R"({"message_type":"ack","payload":{"subject":{"status":"X"},"records":[)"
                          R"({"record":1,"status":"ACCEPTED"},{"record":2,"status":"REJECTED"}],"status":"PARTIAL"}})"),
              "PARTIAL");
    EXPECT_EQ(ackStatusOf(R"({"status":"NO","payload":{"status":"REJECTED","counts":{"received":0}}})"), "REJECTED");
    EXPECT_EQ(ackStatusOf(R"({"payload":{"counts":{"status":"NO"}}})"), "");
    EXPECT_EQ(ackStatusOf("not json"), "");
    EXPECT_EQ(ackStatusOf(R"({"payload":{"status":"ACCEPTED")"), "ACCEPTED") << "read up to the status only";
}

}  // namespace
}  // namespace lendgate::intake
