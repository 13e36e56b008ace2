// The nonprofits' HSDS directories in config/directories/ (their
// services as HSDS 3.0 service objects with organization, locations, service
// areas and taxonomy terms) agree with the plugin configurations that name
// them, id for id, and each service validates against the official HSDS 3.0
// service schema when LENDGATE_TEST_HSDS_SCHEMA_DIR points at it.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "hsds_test_support.h"

namespace {

using lendgate::test::readFile;
using namespace lendgate::test::hsds;

nlohmann::json directory(const std::string &sample) {
    return nlohmann::json::parse(readFile(kRoot + "/config/directories/" + sample + ".json"));
}

void expectConfigMatchesDirectory(const std::string &partner, const std::string &sample) {
    const auto config = nlohmann::json::parse(configText(partner));
    const auto services = directory(sample);
    ASSERT_EQ(services.size(), config["services"].size()) << sample;
    for (const auto &configured : config["services"]) {
        const auto found = std::find_if(services.begin(), services.end(),
                                        [&](const nlohmann::json &s) { return s["id"] == configured["id"]; });
        ASSERT_NE(found, services.end()) << configured["id"];
        const auto &service = *found;
        EXPECT_EQ(service["name"], configured["name"]);
        EXPECT_EQ(service["status"], "active");
        EXPECT_EQ(service["organization_id"], config["organization"]["id"]);
        EXPECT_EQ(service["organization"]["id"], config["organization"]["id"]);
        EXPECT_EQ(service["organization"]["name"], config["organization"]["name"]);
        std::set<std::string> locations;
        for (const auto &at : service.value("service_at_locations", nlohmann::json::array())) {
            EXPECT_EQ(at["location_id"], at["location"]["id"]);
            locations.insert(at["location_id"].get<std::string>());
        }
        const auto configuredLocations = configured.value("location_ids", nlohmann::json::array());
        EXPECT_EQ(locations, std::set<std::string>(configuredLocations.begin(), configuredLocations.end()))
            << configured["id"];
        if (configured.contains("taxonomy_term")) {
            ASSERT_TRUE(service.contains("attributes")) << configured["id"];
            const auto &term = service["attributes"][0]["taxonomy_term"];
            for (const char *key : {"id", "code", "name", "taxonomy"})
                EXPECT_EQ(term[key], configured["taxonomy_term"][key]);
            EXPECT_EQ(service["attributes"][0]["taxonomy_term_id"], term["id"]);
        }
        // The project's service-area convention: a text extent of ZIP codes and ZIP3 prefixes.
        EXPECT_EQ(service["service_areas"][0]["extent_type"], "text");
    }
}

TEST(HsdsDirectory, SonoranConfigurationNamesItsDirectorysIds) {
    expectConfigMatchesDirectory("sonoran", "sonoran-family-services");
}

TEST(HsdsDirectory, VeteransBridgeConfigurationNamesItsDirectorysIds) {
    expectConfigMatchesDirectory("avb", "arizona-veterans-bridge");
}

#ifdef LENDGATE_TEST_HSDS_SCHEMA_DIR
std::string hsdsProblems(const nlohmann::json &service) {
    static valijson::Schema schema;
    static bool loaded = false;
    const auto file = [](const std::string &name) {
        return nlohmann::json::parse(readFile(std::string(LENDGATE_TEST_HSDS_SCHEMA_DIR) + "/" + name));
    };
    if (!loaded) {
        const nlohmann::json document = file("service.json");
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        // The tables refer to each other by file name ("organization.json"); nothing is fetched from the network.
        parser.populateSchema(
            valijson::adapters::NlohmannJsonAdapter(document), schema,
            [&](const std::string &uri) -> const nlohmann::json * {
                return new nlohmann::json(file(uri.substr(uri.rfind('/') + 1)));
            },
            [](const nlohmann::json *fetched) { delete fetched; });
        loaded = true;
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(schema, valijson::adapters::NlohmannJsonAdapter(service), &results)) return {};
    std::string problems;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        for (const std::string &part : error.context) problems += part;
        problems += ": " + error.description + "\n";
    }
    return problems.empty() ? "invalid" : problems;
}

TEST(HsdsDirectory, EveryServiceValidatesAgainstTheOfficialHsdsSchema) {
    for (const char *sample : {"sonoran-family-services", "arizona-veterans-bridge"})
        for (const auto &service : directory(sample))
            EXPECT_EQ(hsdsProblems(service), "") << sample << " " << service["id"];
    // The schema is really applied: a service without its status, or with one HSDS does not know, fails.
    auto broken = directory("sonoran-family-services")[0];
    broken.erase("status");
    EXPECT_NE(hsdsProblems(broken), "");
    broken["status"] = "open";
    EXPECT_NE(hsdsProblems(broken), "");
    broken = directory("sonoran-family-services")[0];
    broken["service_at_locations"][0]["location"]["location_type"] = "office";
    EXPECT_NE(hsdsProblems(broken), "");
}
#else
TEST(HsdsDirectory, EveryServiceValidatesAgainstTheOfficialHsdsSchema) {
    GTEST_SKIP() << "LENDGATE_TEST_HSDS_SCHEMA_DIR is not set: point it at config/schemas/hsds";
}
#endif

}  // namespace
