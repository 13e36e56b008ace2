// Which fields of a canonical message count as personal (SSN, date of birth,
// account number), and that taking them out and putting them back gives the
// same message.
#include "core/model/personal_fields.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace lendgate::model {
namespace {

Message golden(const std::string &name) {
    std::ifstream in(std::string(LENDGATE_MODEL_GOLDEN_DIR) + "/valid/" + name + ".json");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parseMessage(text.str());
    if (!parsed.ok()) throw std::runtime_error(name + " does not parse");
    return std::move(*parsed.message);
}

TEST(PersonalFields, ANoticeGivesUpItsAccountNumberSsnAndDateOfBirthAndNothingElse) {
    Message notice = golden("delinquency_notice_full");
    const Message original = notice;
    auto taken = takePersonalFields(notice);
    ASSERT_EQ(taken.size(), 3u);
    EXPECT_EQ(taken[0].pointer, "/payload/loan/account_number");
    EXPECT_EQ(taken[0].value, "4400182263");
    EXPECT_EQ(taken[1].pointer, "/payload/parties/0/ssn");
    EXPECT_EQ(taken[1].kind, PersonalFieldKind::Ssn);
    EXPECT_EQ(taken[2].pointer, "/payload/parties/0/date_of_birth");
    EXPECT_EQ(taken[2].value, "1988-09-03");

    const std::string stripped = toCanonicalJson(notice);
    EXPECT_EQ(stripped.find("4400182263"), std::string::npos);
    EXPECT_EQ(stripped.find("900-55-0142"), std::string::npos);
    EXPECT_EQ(stripped.find("1988-09-03"), std::string::npos);
    EXPECT_NE(stripped.find("Quintero"), std::string::npos) << "names are not sealed fields";

    for (const auto &field : taken) EXPECT_TRUE(restorePersonalField(notice, field)) << field.pointer;
    EXPECT_EQ(notice, original);
}

TEST(PersonalFields, AnAccountNumberPutBackReplacesTheTokenBesideIt) {
    Message decision = golden("hardship_decision_approved");
    auto taken = takePersonalFields(decision);
    ASSERT_EQ(taken.size(), 1u);
    auto &account = std::get<HardshipDecision>(decision.payload).account;
    account.accountToken = "tok_abc";
    auto places = accountTokenPlaces(decision);
    ASSERT_EQ(places.size(), 1u);
    EXPECT_EQ(places[0].pointer, "/payload/account/account_number");
    EXPECT_EQ(places[0].value, "tok_abc");

    ASSERT_TRUE(restorePersonalField(decision, taken[0]));
    EXPECT_EQ(account.accountNumber, "7781002934");
    EXPECT_FALSE(account.accountToken) << "a canonical message carries a number or a token, not both";
    EXPECT_TRUE(parseMessage(toCanonicalJson(decision)).ok());
}

TEST(PersonalFields, APointerOfAnotherShapeOrABadDateIsNotPutBack) {
    Message decision = golden("hardship_decision_approved");
    takePersonalFields(decision);
    EXPECT_FALSE(restorePersonalField(decision, {PersonalFieldKind::Ssn, "/payload/parties/0/ssn", "900-55-0142"}));
    Message notice = golden("delinquency_notice_full");
    takePersonalFields(notice);
    EXPECT_FALSE(restorePersonalField(
        notice, {PersonalFieldKind::DateOfBirth, "/payload/parties/0/date_of_birth", "1988-02-30"}));
    EXPECT_FALSE(restorePersonalField(notice, {PersonalFieldKind::Ssn, "/payload/parties/7/ssn", "900-55-0142"}));
}

}  // namespace
}  // namespace lendgate::model
