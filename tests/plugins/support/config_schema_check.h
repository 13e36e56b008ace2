// Test support: validates a plugin configuration against the JSON Schema the
// plugin declares, with the same validator (valijson, draft-07) the host uses
// before it calls create().
#ifndef LENDGATE_TESTS_PLUGINS_SUPPORT_CONFIG_SCHEMA_CHECK_H
#define LENDGATE_TESTS_PLUGINS_SUPPORT_CONFIG_SCHEMA_CHECK_H

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <vector>

namespace lendgate::test {

/// Every reason `config` breaks `schema`, as "path: description"; empty when valid.
inline std::vector<std::string> schemaProblems(std::string_view schemaText, std::string_view configText) {
    const nlohmann::json schemaDoc = nlohmann::json::parse(schemaText);
    const nlohmann::json config = nlohmann::json::parse(configText);
    valijson::Schema schema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schemaDoc), schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    std::vector<std::string> problems;
    if (validator.validate(schema, valijson::adapters::NlohmannJsonAdapter(config), &results)) return problems;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        std::string path;
        for (const std::string &part : error.context) path += part;
        problems.push_back(path + ": " + error.description);
    }
    return problems;
}

}  // namespace lendgate::test

#endif  // LENDGATE_TESTS_PLUGINS_SUPPORT_CONFIG_SCHEMA_CHECK_H
