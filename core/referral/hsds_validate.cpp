// A directory against the official HSDS 3.0 JSON Schemas, offline: the tables
// refer to each other by file name and every reference is read from the
// schema folder, whatever host a `$ref` names.
#include <map>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/common/json_schema.h"
#include "core/common/redact.h"
#include "core/common/strict_json.h"
#include "core/referral/hsds_directory.h"
#include "core/referral/referral_internal.h"

namespace lendgate::referral {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr std::size_t kMaxSchemaBytes = std::size_t{4} << 20;

// Only a bare file name from the folder: a `$ref` must not reach elsewhere on disk.
bool plainSchemaName(const std::string &name) {
    if (name.size() < 6 || name.substr(name.size() - 5) != ".json" || name.front() == '.') return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            return false;
    return true;
}

std::optional<json> readSchemaFile(const fs::path &file) {
    Result<std::string> text = detail::readDirectoryFile(file);
    if (!text.ok() || text.value().size() > kMaxSchemaBytes) return std::nullopt;
    JsonSyntaxError syntax;
    return parseStrictJson(text.value(), syntax);
}

std::string toPointer(const std::string &base, const std::vector<std::string> &context) {
    return detail::shownPointer(base + valijsonPointer(context));
}

class DirectoryValidator {
public:
    DirectoryValidator(fs::path document, fs::path schemaDir)
        : document_(std::move(document)), schemaDir_(std::move(schemaDir)) {}

    std::vector<std::string> run(const json &root) {
        if (root.is_array()) {
            for (std::size_t i = 0; i < root.size(); ++i) validateTop(root[i], "/" + std::to_string(i));
        } else {
            validateTop(root, "");
        }
        return std::move(problems_);
    }

private:
    struct Compiled {
        json root;  // valijson's schema may refer into it
        valijson::Schema schema;
        bool usable = false;
    };

    void problem(const std::string &where, const std::string &pointer, const std::string &reason) {
        problems_.push_back(where + ": " + pointer + ": " + reason);
    }

    const Compiled &schema(const std::string &name) {
        auto &slot = schemas_[name];
        if (slot) return *slot;
        slot = std::make_unique<Compiled>();
        const fs::path file = schemaDir_ / name;
        std::optional<json> root = readSchemaFile(file);
        if (!root) {
            problem(file.string(), "/", "the HSDS schema cannot be read");
            return *slot;
        }
        slot->root = std::move(*root);
        const fs::path dir = schemaDir_;
        try {
            valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
            parser.populateSchema(
                valijson::adapters::NlohmannJsonAdapter(slot->root), slot->schema,
                [dir](const std::string &uri) -> const json * {
                    const std::string name = uri.substr(uri.rfind('/') + 1);
                    if (!plainSchemaName(name)) return nullptr;
                    std::optional<json> fetched = readSchemaFile(dir / name);
                    return fetched ? new json(std::move(*fetched)) : nullptr;
                },
                [](const json *fetched) { delete fetched; });
            slot->usable = true;
        } catch (const std::exception &e) {
            problem(file.string(), "/", std::string("the HSDS schema is unusable: ") + redactForLog(e.what()));
        }
        return *slot;
    }

    void validate(const json &value, const std::string &pointer, const std::string &schemaName) {
        const Compiled &compiled = schema(schemaName);
        if (!compiled.usable) return;
        valijson::Validator validator;
        valijson::ValidationResults results;
        if (validator.validate(compiled.schema, valijson::adapters::NlohmannJsonAdapter(value), &results)) return;
        const std::size_t before = problems_.size();
        valijson::ValidationResults::Error error;
        while (results.popError(error)) {
            if (isValijsonWrapperError(error.description)) continue;
            problem(document_.string(), toPointer(pointer, error.context),
                    redactForLog(error.description, 300) + " (" + schemaName + ")");
        }
        if (problems_.size() == before)
            problem(document_.string(), detail::shownPointer(pointer), "does not match " + schemaName);
    }

    // The same shapes loadDirectory reads; organization.json and
    // service_at_location.json do not describe the nested `services` and
    // `service`, so those are checked against service.json on their own.
    void validateTop(const json &value, const std::string &pointer) {
        if (!value.is_object()) {
            problem(document_.string(), detail::shownPointer(pointer),
                    "must be an HSDS service, organization or service_at_location object");
            return;
        }
        const auto service = value.find("service");
        const auto services = value.find("services");
        if (service != value.end() && !service->is_null()) {
            validate(value, pointer, "service_at_location.json");
            validate(*service, pointer + "/service", "service.json");
        } else if (services != value.end() && !services->is_null()) {
            validate(value, pointer, "organization.json");
            if (!services->is_array()) {
                problem(document_.string(), pointer + "/services", "must be an array");
                return;
            }
            for (std::size_t i = 0; i < services->size(); ++i)
                validate((*services)[i], pointer + "/services/" + std::to_string(i), "service.json");
        } else {
            validate(value, pointer, "service.json");
        }
    }

    fs::path document_;
    fs::path schemaDir_;
    std::map<std::string, std::unique_ptr<Compiled>> schemas_;
    std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> validateDirectory(const fs::path &path, const fs::path &schemaDir) {
    const fs::path resolved = detail::resolveDirectoryPath(path);
    if (detail::isDatapackage(resolved)) {
        // CSV rows are not checked against the table schemas; what the loader refuses is still a problem.
        Result<Directory> loaded = loadDirectory(resolved);
        if (loaded.ok()) return {};
        return {loaded.error().message};
    }
    Result<std::string> text = detail::readDirectoryFile(resolved);
    if (!text.ok()) {
        // Same line shape as every other problem: the whole document is the one in question.
        const std::string prefix = resolved.string() + ": ";
        const std::string &message = text.error().message;
        if (message.rfind(prefix, 0) != 0) return {message};
        return {prefix + "/: " + message.substr(prefix.size())};
    }
    JsonSyntaxError syntax;
    const std::optional<json> document = parseStrictJson(text.value(), syntax, detail::directoryJsonLimits());
    if (!document)
        return {resolved.string() + ": " + detail::shownPointer(syntax.pointer) + ": " + syntax.message + " (" +
                syntax.code + ")"};
    return DirectoryValidator(resolved, schemaDir).run(*document);
}

}  // namespace lendgate::referral
