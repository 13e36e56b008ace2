// Every canonical record of the JSON partners' golden files, decoded and
// encode inputs alike, against the published JSON Schemas (sdk/schemas) with
// valijson, the validator the gateway uses at run time. Runs even where the
// core is not built.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "plugin_harness.h"

namespace {

namespace fs = std::filesystem;
using lendgate::test::readFile;

nlohmann::json schemaFile(const std::string &name) {
    return nlohmann::json::parse(readFile(std::string(LENDGATE_TEST_SCHEMA_DIR) + "/" + name));
}

// One compiled schema per message type; relative $refs resolve from sdk/schemas, never the network.
const valijson::Schema &schemaFor(const std::string &type) {
    static std::map<std::string, std::unique_ptr<valijson::Schema>> cache;
    auto &slot = cache[type];
    if (!slot) {
        const nlohmann::json document = schemaFile(type + ".schema.json");
        slot = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        parser.populateSchema(
            valijson::adapters::NlohmannJsonAdapter(document), *slot,
            [](const std::string &uri) -> const nlohmann::json * {
                return new nlohmann::json(schemaFile(uri.substr(uri.rfind('/') + 1)));
            },
            [](const nlohmann::json *fetched) { delete fetched; });
    }
    return *slot;
}

std::string problems(const nlohmann::json &record) {
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(schemaFor(record.at("message_type").get<std::string>()),
                           valijson::adapters::NlohmannJsonAdapter(record), &results))
        return "";
    std::string text = "invalid";
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        text += "\n";
        for (const std::string &part : error.context) text += part;
        text += ": " + error.description;
    }
    return text;
}

TEST(JsonPartnerSchemas, EveryGoldenRecordPassesThePublishedSchemaOfItsType) {
    std::size_t files = 0, records = 0;
    const fs::path root = fs::path(LENDGATE_TEST_GOLDEN_DIR) / "partners";
    for (const auto &entry : fs::recursive_directory_iterator(root)) {
        const std::string name = entry.path().filename().string();
        const bool canonical =
            name.ends_with(".input.jsonl") || (name.ends_with(".expected.jsonl") && entry.path().parent_path() == root);
        if (!canonical) continue;
        ++files;
        std::istringstream in(readFile(entry.path().string()));
        std::size_t line = 0;
        for (std::string text; std::getline(in, text);) {
            ++line;
            ++records;
            EXPECT_EQ(problems(nlohmann::json::parse(text)), "") << name << ":" << line;
        }
    }
    EXPECT_EQ(files, 18u);
    EXPECT_GE(records, 40u);
}

TEST(JsonPartnerSchemas, TheSchemaCatchesWhatAMappingMustNotProduce) {
    // A recovery without the breach-of-the-peace answers, as a mapping that lost a field would write it.
    auto record = nlohmann::json::parse(
        readFile(std::string(LENDGATE_TEST_GOLDEN_DIR) + "/partners/valley_outcome_recovered.expected.jsonl"));
    EXPECT_EQ(problems(record), "");
    record["payload"]["recovery"].erase("debtor_objected");
    EXPECT_NE(problems(record), "");
}

}  // namespace
