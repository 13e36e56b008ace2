// Every canonical record the fixed-width tests decode or encode, against the
// published JSON Schemas (sdk/schemas) with valijson, the validator the
// gateway uses at run time. Runs even where the core is not built.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "golden_records.h"

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

TEST(FixedWidthSchemas, EveryGoldenRecordPassesThePublishedSchemaOfItsType) {
    const auto records = lendgate::test::fixedwidth::goldenRecords();
    ASSERT_FALSE(records.empty());
    for (const auto &record : records) {
        const nlohmann::json value = nlohmann::json::parse(record.json);
        valijson::Validator validator;
        valijson::ValidationResults results;
        const bool valid = validator.validate(schemaFor(value.at("message_type").get<std::string>()),
                                              valijson::adapters::NlohmannJsonAdapter(value), &results);
        std::string problems;
        valijson::ValidationResults::Error error;
        while (results.popError(error)) {
            for (const std::string &part : error.context) problems += part;
            problems += ": " + error.description + "\n";
        }
        EXPECT_TRUE(valid) << record.file << ":" << record.line << "\n" << problems;
    }
}

TEST(FixedWidthSchemas, TheSchemaCatchesWhatALayoutMustNotProduce) {
    // A blank-is-absent mistake would leave an address without its type: the check above would notice.
    std::string record = lendgate::test::fixedwidth::goldenRecords().front().json;
    record.replace(record.find("{\"type\":\"HOME\","), 15, "{");
    const nlohmann::json value = nlohmann::json::parse(record);
    valijson::Validator validator;
    EXPECT_FALSE(
        validator.validate(schemaFor("delinquency_notice"), valijson::adapters::NlohmannJsonAdapter(value), nullptr));
}

}  // namespace
