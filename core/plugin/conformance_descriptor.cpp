// What a plugin says about itself: its descriptor, and the JSON Schema of its
// configuration, which must refuse unknown keys so a typo fails start-up
// instead of being silently ignored.
#include <algorithm>
#include <regex>
#include <set>

#include <lendgate/plugin.h>
#include <nlohmann/json.hpp>

#include "core/model/envelope.h"
#include "core/plugin/conformance_internal.h"

namespace lendgate::plugin::conformance {

namespace {

constexpr const char *kUnknownKey = "lendgate_conformance_unknown_key";

std::string formatsText(const std::vector<Format> &formats) {
    std::string out;
    for (const auto &f : formats) out += (out.empty() ? "" : ", ") + f.messageType + " (" + f.mediaType + ")";
    return out;
}

void checkFormats(const std::vector<Format> &formats, const std::string &list, std::vector<std::string> &problems) {
    static const std::regex mediaType(R"(^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(;.*)?$)",
                                      std::regex::icase);
    std::set<std::string> seen;
    for (const Format &f : formats) {
        if (!model::messageTypeFromString(f.messageType))
            problems.push_back(list + ": '" + f.messageType + "' is not a canonical message type (see sdk/schemas)");
        if (!seen.insert(f.messageType).second) problems.push_back(list + ": " + f.messageType + " is listed twice");
        if (!std::regex_match(f.mediaType, mediaType))
            problems.push_back(list + ": the media type of " + f.messageType + " is not TYPE/SUBTYPE (e.g. text/csv)");
    }
}

bool hasAny(const nlohmann::json &node, std::initializer_list<const char *> keys) {
    for (const char *key : keys)
        if (node.contains(key)) return true;
    return false;
}

bool describesObject(const nlohmann::json &node) {
    if (hasAny(node, {"properties", "patternProperties"})) return true;
    auto type = node.find("type");
    if (type == node.end()) return false;
    if (type->is_string()) return *type == "object";
    if (type->is_array())
        for (const auto &t : *type)
            if (t == "object") return true;
    return false;
}

// Schema nodes that let a config object carry keys nobody declared.
void findOpenObjects(const nlohmann::json &node, const std::string &pointer, std::vector<std::string> &open) {
    if (!node.is_object()) return;
    if (describesObject(node)) {
        auto extra = node.find("additionalProperties");
        const bool closed = extra != node.end() && (*extra == false || (extra->is_object() && !extra->empty()));
        // A bare {"type":"object"} combined with allOf/oneOf/$ref leaves the keys to its branches.
        const bool delegated = !hasAny(node, {"properties", "patternProperties"}) &&
                               hasAny(node, {"allOf", "anyOf", "oneOf", "$ref", "if"});
        if (!closed && !delegated) open.push_back(pointer.empty() ? "/" : pointer);
    }
    for (const char *key : {"properties", "patternProperties", "definitions", "$defs", "dependencies"}) {
        auto children = node.find(key);
        if (children == node.end() || !children->is_object()) continue;
        for (const auto &[name, child] : children->items())
            findOpenObjects(child, pointer + "/" + key + "/" + name, open);
    }
    for (const char *key : {"allOf", "anyOf", "oneOf", "items"}) {
        auto children = node.find(key);
        if (children == node.end()) continue;
        if (children->is_array()) {
            for (std::size_t i = 0; i < children->size(); ++i)
                findOpenObjects((*children)[i], pointer + "/" + key + "/" + std::to_string(i), open);
        } else {
            findOpenObjects(*children, pointer + "/" + key, open);
        }
    }
    for (const char *key : {"additionalProperties", "additionalItems", "contains", "not", "if", "then", "else"}) {
        auto child = node.find(key);
        if (child != node.end()) findOpenObjects(*child, pointer + "/" + key, open);
    }
}

// Pointers of every object in the configuration, the root first.
void objectsOf(const nlohmann::json &value, const std::string &pointer, std::vector<std::string> &out) {
    if (value.is_object()) {
        out.push_back(pointer);
        for (const auto &[key, child] : value.items()) {
            std::string token;
            for (char c : key) token += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
            objectsOf(child, pointer + "/" + token, out);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) objectsOf(value[i], pointer + "/" + std::to_string(i), out);
    }
}

std::string joined(const std::vector<std::string> &items, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max; ++i)
        out += (i ? ", " : "") + (items[i].empty() ? "/" : items[i]);
    if (items.size() > max) out += ", ...";
    return out;
}

}  // namespace

CheckResult checkDescriptor(const PluginInfo &info) {
    static const std::regex name(R"(^[a-z0-9_-]{1,64}$)");
    static const std::regex semver(
        R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$)");
    CheckResult r;
    r.check = "descriptor";
    std::vector<std::string> &problems = r.reasons;
    if (!std::regex_match(info.name, name)) problems.push_back("name: must match [a-z0-9_-]{1,64}");
    const std::string fileName = "lendgate-plugin-" + info.name + ".so";
    if (info.file.filename() != fileName)
        problems.push_back("file name: the gateway looks for '" + info.name + "' as " + fileName + ", not " +
                           info.file.filename().string() + " (build it with lendgate_add_plugin(" + info.name +
                           " ...))");
    if (!std::regex_match(info.version, semver))
        problems.push_back("version: '" + info.version + "' is not semver (1.2.3)");
    if (info.description.empty()) problems.push_back("description: empty; operators read it in 'plugin list'");
    if (info.description.size() > 200) problems.push_back("description: longer than 200 characters");
    for (char c : info.description)
        if (static_cast<unsigned char>(c) < 0x20) {
            problems.push_back("description: holds a control character or line break");
            break;
        }
    const std::uint64_t known =
        LENDGATE_CAP_DECODE | LENDGATE_CAP_ENCODE | LENDGATE_CAP_STREAMING | LENDGATE_CAP_ACK_SLICES;
    if ((info.capabilities & ~known) != 0) problems.push_back("capabilities: unknown bits set");
    if (!info.canDecode() && !info.canEncode()) problems.push_back("capabilities: neither decode nor encode");
    if (info.canDecode() != !info.decodes.empty())
        problems.push_back("capabilities: the decode bit and the list of decoded types disagree");
    if (info.canEncode() != !info.encodes.empty())
        problems.push_back("capabilities: the encode bit and the list of encoded types disagree");
    if (info.takesAckSlices() &&
        std::none_of(info.encodes.begin(), info.encodes.end(), [](const Format &f) { return f.messageType == "ack"; }))
        problems.push_back("capabilities: ACK slices declared, but the plugin encodes no ack");
    checkFormats(info.decodes, "decodes", problems);
    checkFormats(info.encodes, "encodes", problems);
    r.verdict = problems.empty() ? Verdict::Pass : Verdict::Fail;
    r.summary = info.name + " " + info.version + ", plugin ABI " + std::to_string(info.abiMajor) + "." +
                std::to_string(info.abiMinor) + " (host " + std::to_string(LENDGATE_ABI_MAJOR) + "." +
                std::to_string(LENDGATE_ABI_MINOR) + ")";
    if (!info.decodes.empty()) r.summary += "; decodes " + formatsText(info.decodes);
    if (!info.encodes.empty()) r.summary += "; encodes " + formatsText(info.encodes);
    if (info.streams()) r.summary += "; streaming";
    if (info.takesAckSlices()) r.summary += "; ACK in slices";
    return r;
}

CheckResult checkConfigSchema(const PluginLibrary &library, const std::string &config) {
    CheckResult r;
    r.check = "config-schema";
    std::vector<std::string> open;
    auto schema = nlohmann::json::parse(library.info().configSchema, nullptr, false);
    if (!schema.is_discarded()) findOpenObjects(schema, "", open);
    for (const std::string &pointer : open)
        r.reasons.push_back("the schema at " + pointer +
                            " takes keys it does not declare; add \"additionalProperties\": false");

    std::vector<std::string> tried, accepted;
    auto parsed = nlohmann::json::parse(config, nullptr, false);
    if (!parsed.is_discarded()) objectsOf(parsed, "", tried);
    constexpr std::size_t kMaxTries = 50;
    if (tried.size() > kMaxTries) tried.resize(kMaxTries);
    for (const std::string &pointer : tried) {
        nlohmann::json copy = parsed;
        copy[nlohmann::json::json_pointer(pointer)][kUnknownKey] = true;
        if (library.validateConfig(copy.dump(), "with an unknown key"))
            accepted.push_back(pointer.empty() ? "/" : pointer);
    }
    for (const std::string &pointer : accepted)
        r.reasons.push_back(std::string("a config with the unknown key \"") + kUnknownKey + "\" added at " + pointer +
                            " was accepted: a misspelt key would be ignored silently");
    r.verdict = r.reasons.empty() ? Verdict::Pass : Verdict::Fail;
    if (r.verdict == Verdict::Fail)
        r.summary = "the configuration schema takes unknown keys";
    else if (tried.empty())
        r.summary = "every object of the schema is closed (the config is not an object to try)";
    else
        r.summary = "unknown keys refused at " + joined(tried, 6) +
                    " of the config; every object of the schema is "
                    "closed";
    return r;
}

}  // namespace lendgate::plugin::conformance
