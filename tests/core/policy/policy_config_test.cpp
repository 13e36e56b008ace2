#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "policy_test_support.h"

namespace lendgate::policy {
namespace {

std::string shippedText() {
    std::ifstream in(std::string(LENDGATE_SOURCE_DIR) + "/config/policies.json");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string loadError(const std::string &text) {
    Result<PolicyConfig> loaded = parsePolicyConfig(text, "config/policies.json");
    EXPECT_FALSE(loaded.ok());
    return loaded.ok() ? std::string() : loaded.error().message;
}

TEST(PolicyConfig, ShippedFileHoldsTheDomainTables) {
    const PolicyConfig config = test::shippedConfig();
    EXPECT_EQ(config.c1.certificateMaxAgeDays, 30);
    EXPECT_EQ(config.c3.states.at("CO").cureDays, 20);
    EXPECT_EQ(config.c3.states.at("WI").cureDays, 15);
    EXPECT_EQ(config.c3.states.at("ME").cureDays, 14);
    EXPECT_EQ(config.c3.states.at("MA").cureDays, 21);
    EXPECT_EQ(config.c3.states.at("WV").cureDays, 10);
    EXPECT_TRUE(config.c3.states.at("MO").cosignerNoticeRequired);
    EXPECT_FALSE(config.c3.states.at("KS").cosignerNoticeRequired);
    EXPECT_EQ(config.c3.states.at("AZ").cureDays, 0);
    EXPECT_EQ(config.c4.partialPaymentHoldDays, 10);
    EXPECT_EQ(config.c9.startMinute, 8 * 60);
    EXPECT_EQ(config.c9.endMinute, 21 * 60);
}

TEST(PolicyConfig, BadStateCodeIsNamedByPointer) {
    const std::string error = loadError(replaced(shippedText(), "\"WV\": {", "\"ZZ\": {"));
    EXPECT_NE(error.find("config/policies.json: /policies/C3/states/ZZ: "), std::string::npos) << error;
    EXPECT_NE(error.find("not a USPS state code"), std::string::npos) << error;
}

TEST(PolicyConfig, NegativeDaysAreNamedByPointer) {
    const std::string error =
        loadError(replaced(shippedText(), "\"certificate_max_age_days\": 30", "\"certificate_max_age_days\": -1"));
    EXPECT_NE(error.find("config/policies.json: /policies/C1/certificate_max_age_days: must not be negative"),
              std::string::npos)
        << error;
}

TEST(PolicyConfig, NegativeCureDaysAreNamedByPointer) {
    const std::string error =
        loadError(replaced(shippedText(), "\"WI\": {\"cure_days\": 15", "\"WI\": {\"cure_days\": -15"));
    EXPECT_NE(error.find("/policies/C3/states/WI/cure_days"), std::string::npos) << error;
}

TEST(PolicyConfig, UnknownPolicyIdIsNamed) {
    const std::string error = loadError(replaced(shippedText(), "\"C12\": {\"enabled\": true}",
                                                 "\"C12\": {\"enabled\": true}, \"C13\": {\"enabled\": true}"));
    EXPECT_NE(error.find("config/policies.json: /policies: unknown policy id \"C13\""), std::string::npos) << error;
}

TEST(PolicyConfig, EveryPolicyMustBeListed) {
    const std::string error = loadError(replaced(shippedText(), "\"C6\": {\"enabled\": true},", ""));
    EXPECT_NE(error.find("/policies: policy C6 is not listed"), std::string::npos) << error;
}

TEST(PolicyConfig, ContactWindowMustBeAValidOrderedClock) {
    std::string error = loadError(replaced(shippedText(), "\"end\": \"21:00\"", "\"end\": \"25:00\""));
    EXPECT_NE(error.find("/policies/C9/contact_window/end: a time of day is written HH:MM"), std::string::npos)
        << error;
    error = loadError(replaced(shippedText(), "\"end\": \"21:00\"", "\"end\": \"07:00\""));
    EXPECT_NE(error.find("/policies/C9/contact_window/end: the window must end after it starts"), std::string::npos)
        << error;
}

TEST(PolicyConfig, SyntaxErrorsAndMissingFilesNameTheFile) {
    EXPECT_NE(loadError("{\"version\": 1,").find("config/policies.json: "), std::string::npos);
    Result<PolicyConfig> missing = loadPolicyConfig("/nonexistent/policies.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "policy.config");
    EXPECT_NE(missing.error().message.find("/nonexistent/policies.json: /: cannot be opened"), std::string::npos);
}

}  // namespace
}  // namespace lendgate::policy
