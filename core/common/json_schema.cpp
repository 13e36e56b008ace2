#include "core/common/json_schema.h"

#include <regex>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/common/redact.h"
#include "core/common/strict_json.h"

namespace lendgate {

struct JsonSchema::Impl {
    nlohmann::json document;  // valijson's schema may refer into it
    valijson::Schema schema;
};

namespace {

std::string pointerOrRoot(std::string pointer) {
    return pointer.empty() ? "/" : pointer;
}

}  // namespace

std::string valijsonPointer(const std::vector<std::string> &context) {
    std::string pointer;
    for (const std::string &part : context) {
        if (part == "<root>") continue;
        std::string_view token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
        if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
        appendPointerToken(pointer, token);
    }
    return pointer;
}

bool isValijsonWrapperError(const std::string &description) {
    return description.rfind("Failed to validate against", 0) == 0 ||
           description.rfind("Failed to validate item", 0) == 0;
}

JsonSchema::JsonSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonSchema::~JsonSchema() = default;

Result<std::shared_ptr<const JsonSchema>> JsonSchema::compile(std::string_view schemaText) {
    JsonSyntaxError syntax;
    auto document = parseStrictJson(schemaText, syntax);
    if (!document)
        return Error{"schema.syntax", "schema is not valid JSON (" + syntax.code + " at " + syntax.pointer + ")"};
    auto impl = std::make_unique<Impl>();
    impl->document = std::move(*document);
    try {
        valijson::SchemaParser parser;
        valijson::adapters::NlohmannJsonAdapter adapter(impl->document);
        parser.populateSchema(adapter, impl->schema);
    } catch (const std::exception &e) {
        return Error{"schema.invalid", std::string("not a usable JSON Schema: ") + redactForLog(e.what())};
    }
    return std::shared_ptr<const JsonSchema>(new JsonSchema(std::move(impl)));
}

namespace {

// valijson writes a schema's numeric limits with six decimals ("greater than
// or equal to 1.000000"), and six digits in a row look like an account
// number to redactForLog, which masks them. The limits are the schema's, not
// the document's: written the way the schema does, they stay readable.
std::string plainNumbers(const std::string &description) {
    static const std::regex wholeNumber(R"((\d)\.0+(?!\d))");
    static const std::regex trailingZeros(R"((\.\d*[1-9])0+(?!\d))");
    return std::regex_replace(std::regex_replace(description, wholeNumber, "$1"), trailingZeros, "$1");
}

}  // namespace

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json &document) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    std::vector<SchemaViolation> violations;
    if (validator.validate(impl_->schema, adapter, &results)) return violations;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (isValijsonWrapperError(error.description)) continue;
        violations.push_back(SchemaViolation{pointerOrRoot(valijsonPointer(error.context)),
                                             redactForLog(plainNumbers(error.description), 300)});
    }
    if (violations.empty()) violations.push_back(SchemaViolation{"/", "does not match the schema"});
    return violations;
}

}  // namespace lendgate
