#include "core/model/message.h"

#include <string>

#include <gtest/gtest.h>

namespace lendgate::model {
namespace {

// A small valid notice; tests splice problems into it.
std::string notice(const std::string &payloadExtra = "",
                   const std::string &borrower = R"({"role":"BORROWER","name":{"last":"Okafor"}})",
                   const std::string &vin = "1FTFW1E50KFA12345", const std::string &amount = R"("612.40")") {
    return R"({"message_type":"delinquency_notice","schema_version":"1.0","idempotency_key":"K-1",)"
           R"("occurred_at":"2026-11-20T08:30:00-07:00","payload":{"loan":{"account_token":"tok_1",)"
           R"("product":"AUTO_LOAN","governing_state":"AZ"},"parties":[)" +
           borrower + R"(],"collateral":{"vin":")" + vin +
           R"("},"as_of":"2026-11-19","days_past_due":45,)"
           R"("amount_past_due":)" +
           amount + payloadExtra + "}}";
}

bool hasError(const ParseResult &result, const std::string &pointer, const std::string &code) {
    for (const FieldError &error : result.errors) {
        if (error.pointer == pointer && error.code == code) return true;
    }
    return false;
}

TEST(ParseMessage, AmountsKeepTrailingZerosAndAddUpExactly) {
    const ParseResult result = parseMessage(notice(R"(,"balance":"14250.00","payoff_amount":"100.10")"));
    ASSERT_TRUE(result.ok());
    const auto &payload = std::get<DelinquencyNotice>(result.message->payload);
    EXPECT_EQ(payload.amountPastDue.toString(), "612.40");
    EXPECT_EQ(payload.payoffAmount->toString(), "100.10");
    EXPECT_EQ(payload.amountPastDue.plus(*payload.balance)->plus(*payload.payoffAmount)->toString(), "14962.50");
    EXPECT_NE(toCanonicalJson(*result.message).find(R"("payoff_amount":"100.10")"), std::string::npos);
}

TEST(ParseMessage, CanonicalisesKeyOrderAndWhitespace) {
    const std::string scrambled = R"({ "payload": {"amount_past_due": "0.50", "days_past_due": 3, "as_of": "2026-11-19",
        "collateral": {"vin": "1FTFW1E50KFA12345"}, "parties": [{"name": {"last": "Okafor"}, "role": "BORROWER"}],
        "loan": {"governing_state": "AZ", "product": "AUTO_LOAN", "account_token": "tok_1"}},
        "occurred_at": "2026-11-20T08:30:00-07:00", "idempotency_key": "K-1", "schema_version": "1.0",
        "message_type": "delinquency_notice" })";
    const ParseResult result = parseMessage(scrambled);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(
        toCanonicalJson(*result.message),
        R"({"message_type":"delinquency_notice","schema_version":"1.0","idempotency_key":"K-1",)"
        R"("occurred_at":"2026-11-20T08:30:00-07:00","payload":{"loan":{"account_token":"tok_1",)"
        R"("product":"AUTO_LOAN","governing_state":"AZ"},"parties":[{"role":"BORROWER","name":{"last":"Okafor"}}],)"
        R"("collateral":{"vin":"1FTFW1E50KFA12345"},"as_of":"2026-11-19","days_past_due":3,"amount_past_due":"0.50"}})");
}

TEST(ParseMessage, ErrorMessagesNeverContainTheOffendingValues) {
    // Each distinctive value breaks a different rule; none may reach a message.
    const std::string borrower =
        R"({"role":"BORROWER","name":{"first":"Zqxwvy\u0007","last":"Zqxwvyutsr)" + std::string(100, 'Q') +
        R"("},"ssn":"987-65-43210","date_of_birth":"1987-02-29","email":"zqxwvy.private@nowhere",)"
        R"("phones":[{"type":"MOBILE","number":"+1-602-ZQXWVY"},{"type":"PAGER","number":"+16025550123"}],)"
        R"("addresses":[{"type":"HOME","line1":"1 Zqxwvy Way","city":"Phoenix","state":"QZ","postal_code":"8500Z"}],)"
        R"("zqxwvy_secret_key":"zqxwvy"})";
    const ParseResult result = parseMessage(notice(R"(,"balance":9876543.21,"payoff_amount":"98765.432109")", borrower,
                                                   "1HGCM82643A004352", R"("-98765.43")"));
    ASSERT_FALSE(result.ok());
    for (const char *secret : {"Zqxwvy", "zqxwvy", "987-65-43210", "1987-02-29", "+1-602", "PAGER", "QZ", "8500Z",
                               "1HGCM82643A004352", "9876543.21", "98765.432109", "98765.43"}) {
        for (const FieldError &error : result.errors) {
            EXPECT_EQ(error.message.find(secret), std::string::npos) << error.pointer << ": " << error.message;
        }
    }
    EXPECT_TRUE(hasError(result, "/payload/parties/0/name/first", "format"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/name/last", "too_long"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/ssn", "format"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/date_of_birth", "format"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/email", "format"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/phones/0/number", "format"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/phones/1/type", "enum"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/addresses/0/state", "state_code"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/addresses/0/postal_code", "format"));
    EXPECT_TRUE(hasError(result, "/payload/parties/0/zqxwvy_secret_key", "unknown_field"));
    EXPECT_TRUE(hasError(result, "/payload/collateral/vin", "vin_check_digit"));
    EXPECT_TRUE(hasError(result, "/payload/amount_past_due", "range"));
    EXPECT_TRUE(hasError(result, "/payload/balance", "type"));
    EXPECT_TRUE(hasError(result, "/payload/payoff_amount", "format"));
}

TEST(ParseMessage, ErrorsAreCappedWithAMarker) {
    std::string extra;
    for (int i = 0; i < 200; ++i) extra += ",\"extra_" + std::to_string(i) + "\":1";
    const ParseResult result = parseMessage(notice(extra));
    ASSERT_EQ(result.errors.size(), kMaxFieldErrors);
    EXPECT_EQ(result.errors.back().code, "too_many_errors");
    EXPECT_EQ(result.errors.front().code, "unknown_field");
}

TEST(ParseMessage, SyntaxErrorsComeFromTheStrictParser) {
    const ParseResult truncated = parseMessage(R"({"message_type":"ack","payload":{)");
    ASSERT_EQ(truncated.errors.size(), 1u);
    EXPECT_EQ(truncated.errors[0].code, "syntax");
    const ParseResult empty = parseMessage("");
    ASSERT_EQ(empty.errors.size(), 1u);
    EXPECT_FALSE(empty.ok());
}

TEST(ParseMessage, PayloadIsSkippedWhenTheTypeIsUnknown) {
    const ParseResult result = parseMessage(
        R"({"message_type":"nonsense","schema_version":"1.0","idempotency_key":"K","occurred_at":"2026-11-20T08:30:00Z","payload":{"x":1}})");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].pointer, "/message_type");
    EXPECT_EQ(result.errors[0].code, "enum");

    const ParseResult notObject = parseMessage(
        R"({"message_type":"ack","schema_version":"1.0","idempotency_key":"K","occurred_at":"2026-11-20T08:30:00Z","payload":[]})");
    ASSERT_EQ(notObject.errors.size(), 1u);
    EXPECT_EQ(notObject.errors[0].pointer, "/payload");
    EXPECT_EQ(notObject.errors[0].code, "type");
}

TEST(ParseMessage, NullIsNotAbsent) {
    // Canonical records omit absent fields; a null is a type error, never a silent default.
    const ParseResult result = parseMessage(notice(R"(,"balance":null)"));
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].pointer, "/payload/balance");
    EXPECT_EQ(result.errors[0].code, "type");
}

TEST(ParseMessage, FloatWhereAnIntegerBelongsIsATypeError) {
    const std::string text = notice();
    std::string withFloat = text;
    withFloat.replace(withFloat.find("\"days_past_due\":45"), 18, "\"days_past_due\":45.5");
    EXPECT_TRUE(hasError(parseMessage(withFloat), "/payload/days_past_due", "type"));
}

TEST(ParseMessage, PointersEscapeUnknownMemberNames) {
    const ParseResult result = parseMessage(notice(R"(,"a/b~c":true)"));
    EXPECT_TRUE(hasError(result, "/payload/a~1b~0c", "unknown_field"));
}

TEST(BuildMessage, GatewayHoldWrittenFromCode) {
    Message hold;
    hold.envelope.messageId = "01JDNPZX45HY43KWJRP1XPA7Z3";
    hold.envelope.sender = "lendgate";
    hold.envelope.receiver = "valley_recovery";
    hold.envelope.idempotencyKey = "gateway:hold:01JDNPZX45HY43KWJRP1XPA7Z3";
    hold.envelope.occurredAt = *Timestamp::parse("2026-11-24T15:22:11-07:00");
    RepossessionAssignment order;
    order.assignmentId = "DVB-REPO-2026-0412";
    order.action = AssignmentAction::Hold;
    order.reason = AssignmentReason::Hardship;
    hold.payload = order;

    EXPECT_EQ(hold.type(), MessageType::RepossessionAssignment);
    EXPECT_TRUE(validateMessage(hold).empty());
    EXPECT_EQ(
        toCanonicalJson(hold),
        R"({"message_id":"01JDNPZX45HY43KWJRP1XPA7Z3","message_type":"repossession_assignment",)"
        R"("schema_version":"1.0","sender":"lendgate","receiver":"valley_recovery",)"
        R"("idempotency_key":"gateway:hold:01JDNPZX45HY43KWJRP1XPA7Z3","occurred_at":"2026-11-24T15:22:11-07:00",)"
        R"("payload":{"assignment_id":"DVB-REPO-2026-0412","action":"HOLD","reason":"HARDSHIP"}})");

    // A NEW order built without its required parts is caught before it leaves.
    order.action = AssignmentAction::New;
    hold.payload = order;
    const std::vector<FieldError> errors = validateMessage(hold);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].pointer, "/payload/order_type");
    EXPECT_EQ(errors[1].pointer, "/payload/collateral");
    EXPECT_EQ(errors[2].pointer, "/payload/debtors");
}

TEST(BuildMessage, StringsAreEscapedCanonically) {
    Message update;
    update.envelope.idempotencyKey = "quote\" backslash\\ slash/";
    update.envelope.occurredAt = Timestamp::fromUnix(1795438800);
    ReferralUpdate status;
    status.referralId = "01JD9EE0ZBGJ09TQM83XSSSS6Y";
    status.status = ReferralStatus::InProgress;
    status.outcomeNote = "line one\r\nline two\t\u2014 ok";
    update.payload = status;
    const std::string json = toCanonicalJson(update);
    EXPECT_NE(json.find(R"("idempotency_key":"quote\" backslash\\ slash/")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("outcome_note":"line one\r\nline two\t— ok")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("status":"in-progress")"), std::string::npos);
    const ParseResult again = parseMessage(json);
    ASSERT_TRUE(again.ok()) << again.errors.front().pointer;
    EXPECT_EQ(*again.message, update);

    // Control characters are written escaped, and single-line fields refuse them on the way back.
    update.envelope.idempotencyKey = std::string("bell\x07 nul") + '\0';
    const std::string withControls = toCanonicalJson(update);
    EXPECT_NE(withControls.find(R"("idempotency_key":"bell\u0007 nul\u0000")"), std::string::npos) << withControls;
    const std::vector<FieldError> errors = validateMessage(update);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, "/idempotency_key");
    EXPECT_EQ(errors[0].code, "format");
}

TEST(MessageType, NamesRoundTrip) {
    for (const auto &[type, name] : EnumNames<MessageType>::names) {
        EXPECT_EQ(toString(type), name);
        EXPECT_EQ(messageTypeFromString(name), type);
    }
    EXPECT_FALSE(messageTypeFromString("Ack").has_value());
    EXPECT_FALSE(messageTypeFromString("").has_value());
    EXPECT_EQ(toString(NeedCode::HousingInstability), "housing-instability");
    EXPECT_EQ(enumFromString<ReferralStatus>("on-hold"), ReferralStatus::OnHold);
}

}  // namespace
}  // namespace lendgate::model
