// Shared by the hsds plugin tests: the built plugin loaded through its C ABI,
// the shipped partner configurations, golden-file comparison and the
// published canonical schemas.
#ifndef LENDGATE_TESTS_PLUGINS_HSDS_HSDS_TEST_SUPPORT_H
#define LENDGATE_TESTS_PLUGINS_HSDS_HSDS_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

#include "plugin_harness.h"

namespace lendgate::test::hsds {

inline const std::string kRoot = LENDGATE_TEST_SOURCE_DIR;
inline const std::string kGolden = std::string(LENDGATE_TEST_GOLDEN_DIR) + "/";

inline LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

inline std::string configText(const std::string &partner) {
    return readFile(kRoot + "/config/plugins/hsds-" + partner + ".json");
}

inline PluginInstance instanceFor(const std::string &partner) {
    return plugin().create(configText(partner));
}

/// Records for encode: one canonical JSON record per non-empty line.
inline std::vector<std::string> lines(const std::string &text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

inline void expectGolden(const std::string &actual, const std::string &goldenName) {
    if (std::getenv("LENDGATE_UPDATE_GOLDEN") != nullptr) writeFile(kGolden + goldenName, actual);
    EXPECT_EQ(actual, readFile(kGolden + goldenName)) << "golden file " << goldenName;
}

inline nlohmann::json schemaFile(const std::string &name) {
    return nlohmann::json::parse(readFile(std::string(LENDGATE_TEST_SCHEMA_DIR) + "/" + name));
}

/// Every reason `record` breaks the published schema of its type; empty when valid.
inline std::string canonicalSchemaProblems(const std::string &record) {
    static std::map<std::string, std::unique_ptr<valijson::Schema>> cache;
    const nlohmann::json value = nlohmann::json::parse(record);
    const std::string type = value.at("message_type").get<std::string>();
    auto &slot = cache[type];
    if (!slot) {
        const nlohmann::json document = schemaFile(type + ".schema.json");
        slot = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        // Relative $refs resolve from sdk/schemas, never the network.
        parser.populateSchema(
            valijson::adapters::NlohmannJsonAdapter(document), *slot,
            [](const std::string &uri) -> const nlohmann::json * {
                return new nlohmann::json(schemaFile(uri.substr(uri.rfind('/') + 1)));
            },
            [](const nlohmann::json *fetched) { delete fetched; });
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(*slot, valijson::adapters::NlohmannJsonAdapter(value), &results)) return {};
    std::string problems;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        for (const std::string &part : error.context) problems += part;
        problems += ": " + error.description + "\n";
    }
    return problems.empty() ? "invalid" : problems;
}

}  // namespace lendgate::test::hsds

#endif  // LENDGATE_TESTS_PLUGINS_HSDS_HSDS_TEST_SUPPORT_H
