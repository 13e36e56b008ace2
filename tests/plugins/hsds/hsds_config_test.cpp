// The plugin's descriptor and configuration: the shipped Sonoran and Arizona
// Veterans Bridge configurations pass the schema the host checks and create an
// instance; a misspelt key anywhere fails the schema; and what a schema cannot
// say (one service per need, unique service ids) create() refuses by name.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config_schema_check.h"
#include "hsds_test_support.h"

namespace {

using lendgate::test::schemaProblems;
using namespace lendgate::test::hsds;

std::string createFailure(const std::string &config) {
    const auto created = plugin().tryCreate(config);
    if (created.status == LENDGATE_OK) return "created";
    EXPECT_EQ(created.status, LENDGATE_ERR_CONFIG);
    return created.failures.empty() ? "?" : created.failures.back().message;
}

TEST(HsdsConfig, TheDescriptorOffersReferralsOutAndUpdatesIn) {
    const lendgate_plugin_descriptor &d = plugin().descriptor();
    EXPECT_STREQ(d.name, "hsds");
    EXPECT_EQ(d.capabilities, LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING);
    ASSERT_EQ(d.decodes_count, 1u);
    EXPECT_STREQ(d.decodes[0].message_type, "referral_update");
    EXPECT_STREQ(d.decodes[0].media_type, "application/json");
    ASSERT_EQ(d.encodes_count, 1u);
    EXPECT_STREQ(d.encodes[0].message_type, "referral");
    EXPECT_TRUE(nlohmann::json::parse(d.config_schema).is_object());
}

TEST(HsdsConfig, ShippedConfigurationsPassTheSchemaAndCreate) {
    for (const char *partner : {"sonoran", "avb"}) {
        EXPECT_EQ(schemaProblems(plugin().descriptor().config_schema, configText(partner)), std::vector<std::string>{})
            << partner;
        EXPECT_EQ(createFailure(configText(partner)), "created") << partner;
    }
}

TEST(HsdsConfig, SchemaAndCreateRefuseUnknownKeysAtEveryLevel) {
    const std::vector<std::string> paths = {"/partner",
                                            "/organization/title",
                                            "/services/0/service_id",
                                            "/services/0/taxonomy_term/vocabulary",
                                            "/max_record_size",
                                            "/client"};
    for (const std::string &path : paths) {
        auto config = nlohmann::json::parse(configText("sonoran"));
        config[nlohmann::json::json_pointer(path)] = "x";
        EXPECT_FALSE(schemaProblems(plugin().descriptor().config_schema, config.dump()).empty()) << path;
        EXPECT_NE(createFailure(config.dump()).find("unknown key"), std::string::npos) << path;
    }
}

TEST(HsdsConfig, SchemaAndCreateRefuseBadValues) {
    struct Case {
        const char *path;
        nlohmann::json value;
        const char *named;  // what create()'s message names
    } cases[] = {
        {"/services/0/needs/0", "rent", "/services/0/needs/0"},
        {"/services/0/needs", nlohmann::json::array(), "/services/0/needs"},
        {"/client_fields/0", "ssn", "/client_fields/0"},
        {"/statuses/RECEIVED", "received", "/statuses/RECEIVED"},
        {"/partner_id", "../etc", "/partner_id"},
        {"/organization/id", "", "/organization/id"},
        {"/services/0/location_ids", nlohmann::json::array(), "/services/0/location_ids"},
        {"/output", "xml", "/output"},
        {"/max_record_bytes", 10, "/max_record_bytes"},
    };
    for (const Case &c : cases) {
        auto config = nlohmann::json::parse(configText("sonoran"));
        config[nlohmann::json::json_pointer(c.path)] = c.value;
        EXPECT_FALSE(schemaProblems(plugin().descriptor().config_schema, config.dump()).empty()) << c.path;
        EXPECT_NE(createFailure(config.dump()).find(c.named), std::string::npos) << c.path;
    }
    EXPECT_EQ(createFailure("{not json"), "the configuration is not valid JSON");
    EXPECT_NE(createFailure("{}").find("/partner_id: is required"), std::string::npos);
    auto lowerCase = nlohmann::json::parse(configText("sonoran"));
    lowerCase["statuses"]["received"] = "requested";
    EXPECT_FALSE(schemaProblems(plugin().descriptor().config_schema, lowerCase.dump()).empty());
    EXPECT_NE(createFailure(lowerCase.dump()).find("/statuses"), std::string::npos);
}

TEST(HsdsConfig, CreateRefusesWhatTheSchemaCannotSay) {
    // Two services for one need would make the referral's service depend on their order.
    auto twoForOneNeed = nlohmann::json::parse(configText("sonoran"));
    twoForOneNeed["services"][1]["needs"].push_back("financial-insecurity");
    EXPECT_EQ(schemaProblems(plugin().descriptor().config_schema, twoForOneNeed.dump()), std::vector<std::string>{});
    EXPECT_EQ(createFailure(twoForOneNeed.dump()),
              "/services/1/needs: financial-insecurity is served by an earlier service too");
    auto sameId = nlohmann::json::parse(configText("sonoran"));
    sameId["services"][2]["id"] = sameId["services"][0]["id"];
    EXPECT_EQ(createFailure(sameId.dump()), "/services/2/id: repeats an earlier service's id");
}

}  // namespace
