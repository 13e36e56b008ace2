// The published schemas under the gateway's own run-time validator, valijson
// (ARCHITECTURE decision 4), on the same golden records as golden_test.cpp and
// tests/schemas (ajv). valijson's patterns run on std::regex, so this is where
// a pattern that only JavaScript understands would show.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "core/model/message.h"

namespace lendgate::model {
namespace {

namespace fs = std::filesystem;

fs::path schemaDir() {
    return LENDGATE_SDK_SCHEMA_DIR;
}
fs::path goldenDir() {
    return LENDGATE_MODEL_GOLDEN_DIR;
}

nlohmann::json readJson(const fs::path &path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// Loads every <message_type>.schema.json and the envelope, resolving the
// relative $refs from the schema folder instead of the network.
class RuntimeSchemas {
public:
    RuntimeSchemas() {
        for (const auto &entry : fs::directory_iterator(schemaDir())) {
            const std::string name = entry.path().filename().string();
            if (!name.ends_with(".schema.json") || name == "common.schema.json") continue;
            const nlohmann::json document = readJson(entry.path());
            auto schema = std::make_unique<valijson::Schema>();
            valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
            valijson::adapters::NlohmannJsonAdapter adapter(document);
            parser.populateSchema(
                adapter, *schema,
                [](const std::string &uri) -> const nlohmann::json * {
                    return new nlohmann::json(readJson(schemaDir() / uri.substr(uri.rfind('/') + 1)));
                },
                [](const nlohmann::json *fetched) { delete fetched; });
            schemas_[name.substr(0, name.size() - std::string_view(".schema.json").size())] = std::move(schema);
        }
    }

    /// Validates a record against the schema of the type it names (the envelope when it names none).
    bool accepts(const nlohmann::json &record) const {
        auto found = schemas_.end();
        if (record.is_object() && record.contains("message_type") && record["message_type"].is_string()) {
            found = schemas_.find(record["message_type"].get<std::string>());
        }
        if (found == schemas_.end()) found = schemas_.find("envelope");
        valijson::adapters::NlohmannJsonAdapter target(record);
        return validator_.validate(*found->second, target, nullptr);
    }

    std::size_t size() const { return schemas_.size(); }

private:
    std::map<std::string, std::unique_ptr<valijson::Schema>> schemas_;
    mutable valijson::Validator validator_;  // reused: it caches compiled patterns
};

const RuntimeSchemas &schemas() {
    static const RuntimeSchemas loaded;
    return loaded;
}

TEST(RuntimeSchemas, EveryMessageTypeHasASchema) {
    EXPECT_EQ(schemas().size(), 11u);
}  // ten types and the envelope

TEST(RuntimeSchemas, AcceptEveryValidGolden) {
    for (const auto &entry : fs::directory_iterator(goldenDir() / "valid")) {
        EXPECT_TRUE(schemas().accepts(readJson(entry.path()))) << entry.path().filename();
    }
}

TEST(RuntimeSchemas, AgreeWithTheSidecarsOnInvalidGoldens) {
    // valijson's "date" format accepts February 29 in any year; the model itself catches it.
    const std::set<std::string> knownGaps = {"date_not_leap_year.json"};
    for (const auto &entry : fs::directory_iterator(goldenDir() / "invalid")) {
        if (entry.path().extension() != ".json") continue;
        fs::path sidecarPath = entry.path();
        sidecarPath.replace_extension(".expected");
        const nlohmann::json sidecar = readJson(sidecarPath);
        bool schemaCanSee = false;
        for (const auto &error : sidecar.at("errors")) schemaCanSee |= error.at("in_schema").get<bool>();
        const std::string name = entry.path().filename().string();
        const bool accepted = schemas().accepts(readJson(entry.path()));
        if (knownGaps.contains(name)) {
            EXPECT_TRUE(accepted) << name << " is now caught: remove it from knownGaps";
        } else {
            EXPECT_EQ(accepted, !schemaCanSee) << name;
        }
    }
}

using Pointer = nlohmann::json::json_pointer;

// Every member and array item of a document.
void collectPointers(const nlohmann::json &value, const Pointer &pointer, std::vector<Pointer> &out) {
    if (value.is_object()) {
        for (const auto &[key, member] : value.items()) {
            const Pointer child = pointer / key;
            out.push_back(child);
            collectPointers(member, child, out);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            const Pointer child = pointer / i;
            out.push_back(child);
            collectPointers(value[i], child, out);
        }
    }
}

// Whether the schemas should accept what the model refused: only when every
// error is one of the rules a JSON Schema cannot express.
bool onlyModelRulesBroken(const ParseResult &result) {
    for (const FieldError &error : result.errors) {
        // Only the ack's count arithmetic and its record list agreeing with the counts; "inconsistent" elsewhere (a
        // referral accepted but not offered) is in the schemas.
        const bool ackArithmetic =
            (error.code == "inconsistent" || error.code == "order") &&
            (error.pointer == "/payload/status" || error.pointer.starts_with("/payload/counts") ||
             error.pointer == "/payload/records");
        if (error.code != "vin_check_digit" && error.code != "date_order" && !ackArithmetic) return false;
    }
    return true;
}

void expectSameVerdict(const nlohmann::json &record, const std::string &what) {
    const ParseResult model = parseMessage(record.dump());
    const bool schemaAccepts = schemas().accepts(record);
    EXPECT_EQ(schemaAccepts, model.ok() || onlyModelRulesBroken(model))
        << what << ": model "
        << (model.ok() ? "accepts" : model.errors.front().pointer + " " + model.errors.front().code) << ", schema "
        << (schemaAccepts ? "accepts" : "refuses");
}

// The model and the schemas judge every variant of every valid golden alike:
// each member or item removed, and each value replaced by other JSON values.
TEST(RuntimeSchemas, AgreeWithTheModelOnEveryRemovalAndSubstitution) {
    // Null, a number, strings and containers: between them they break every field's type, format or shape.
    const std::vector<nlohmann::json> substitutes = {
        nullptr, 0, "", "x", nlohmann::json::array(), nlohmann::json::object()};
    for (const auto &entry : fs::directory_iterator(goldenDir() / "valid")) {
        const nlohmann::json original = readJson(entry.path());
        std::vector<Pointer> pointers;
        collectPointers(original, Pointer(), pointers);
        for (const Pointer &where : pointers) {
            const std::string pointer = where.to_string();
            for (const nlohmann::json &substitute : substitutes) {
                nlohmann::json replaced = original;
                replaced[where] = substitute;
                expectSameVerdict(replaced,
                                  entry.path().filename().string() + " " + pointer + " = " + substitute.dump());
            }
            nlohmann::json removed = original;
            nlohmann::json &parent = removed[where.parent_pointer()];
            if (parent.is_array()) {
                parent.erase(std::stoul(where.back()));
            } else {
                parent.erase(where.back());
            }
            expectSameVerdict(removed, entry.path().filename().string() + " without " + pointer);
        }
    }
}

}  // namespace
}  // namespace lendgate::model
