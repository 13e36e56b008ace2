// JSON Schema (draft-07) validation of configuration documents with valijson.
// One place formats violations as JSON Pointers, so plugin configs, partner
// files and routes all report errors the same way. Include from .cpp files.
#ifndef LENDGATE_COMMON_JSON_SCHEMA_H
#define LENDGATE_COMMON_JSON_SCHEMA_H

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/result.h"

namespace lendgate {

struct SchemaViolation {
    std::string pointer;  ///< JSON Pointer of the offending member ("/" for the root)
    std::string message;  ///< valijson's reason, redacted and capped
};

class JsonSchema {
public:
    /// Compiles schema text; the error says why it is not a usable schema.
    static Result<std::shared_ptr<const JsonSchema>> compile(std::string_view schemaText);
    ~JsonSchema();

    /// Every violation, most specific first; empty when the document conforms.
    /// Strings in `document` must already be length-capped: valijson's
    /// `pattern` runs std::regex, which recurses per character.
    std::vector<SchemaViolation> validate(const nlohmann::json &document) const;

    struct Impl;

private:
    explicit JsonSchema(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// valijson names a place as {"<root>", "[key]", "[0]"}; this is its JSON
/// Pointer ("" for the root), for validators that call valijson themselves.
std::string valijsonPointer(const std::vector<std::string> &context);

/// A parent constraint repeating a child's failure ("Failed to validate
/// against ..."): the child's own error says more.
bool isValijsonWrapperError(const std::string &description);

}  // namespace lendgate

#endif  // LENDGATE_COMMON_JSON_SCHEMA_H
