#include "core/common/json_schema.h"

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

// valijson names the path as {"<root>", "[key]", "[0]"}; we speak JSON Pointer.
std::string toPointer(const std::vector<std::string> &context) {
    std::string pointer;
    for (const std::string &part : context) {
        if (part == "<root>") continue;
        std::string_view token = part;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
        if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
        appendPointerToken(pointer, token);
    }
    return pointer.empty() ? "/" : pointer;
}

bool isWrapperError(const std::string &description) {
    // Parent constraints repeat each child's failure; keep the specific one.
    return description.rfind("Failed to validate against", 0) == 0 ||
           description.rfind("Failed to validate item", 0) == 0;
}

}  // namespace

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

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json &document) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    std::vector<SchemaViolation> violations;
    if (validator.validate(impl_->schema, adapter, &results)) return violations;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (isWrapperError(error.description)) continue;
        violations.push_back(SchemaViolation{toPointer(error.context), redactForLog(error.description, 300)});
    }
    if (violations.empty()) violations.push_back(SchemaViolation{"/", "does not match the schema"});
    return violations;
}

}  // namespace lendgate
