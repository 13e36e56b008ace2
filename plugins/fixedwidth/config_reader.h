// Typed access to the configuration's JSON that names the key on failure.
// Private to the layout parser (layout.cpp, layout_fields.cpp).
//
// The host has validated the schema already, so most of these checks fire
// only when the plugin is driven without a host; they keep the plugin safe
// either way.
#ifndef LENDGATE_PLUGINS_FIXEDWIDTH_CONFIG_READER_H
#define LENDGATE_PLUGINS_FIXEDWIDTH_CONFIG_READER_H

#include <lendgate/plugin.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "layout.h"

namespace lendgate::fixedwidth::config {

// Ordered, so a code table keeps the order the partner's specification lists it in.
using json = nlohmann::ordered_json;

[[noreturn]] inline void fail(const std::string &path, const std::string &problem) {
    throw configError("config", path + ": " + problem);
}

class Object {
public:
    Object(const json &value, std::string path) : value_(value), path_(std::move(path)) {
        if (!value_.is_object()) fail(path_, "must be an object");
    }
    bool has(const char *key) const { return value_.contains(key); }
    std::string path(const char *key) const { return path_.empty() ? key : path_ + "." + key; }
    const std::string &path() const { return path_; }
    const json &raw(const char *key) const {
        if (!has(key)) fail(path(key), "is required");
        return value_.at(key);
    }
    std::string string(const char *key) const {
        const json &v = raw(key);
        if (!v.is_string()) fail(path(key), "must be a string");
        return v.get<std::string>();
    }
    std::string string(const char *key, std::string fallback) const { return has(key) ? string(key) : fallback; }
    bool boolean(const char *key, bool fallback) const {
        if (!has(key)) return fallback;
        if (!value_.at(key).is_boolean()) fail(path(key), "must be true or false");
        return value_.at(key).get<bool>();
    }
    std::int64_t integer(const char *key, std::int64_t min, std::int64_t max) const {
        const json &v = raw(key);
        if (!v.is_number_integer()) fail(path(key), "must be an integer");
        const auto n = v.get<std::int64_t>();
        if (n < min || n > max)
            fail(path(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return n;
    }
    std::int64_t integer(const char *key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
        return has(key) ? integer(key, min, max) : fallback;
    }
    std::vector<std::string> strings(const char *key) const {
        const json &v = raw(key);
        if (!v.is_array() || v.empty()) fail(path(key), "must be a non-empty array of strings");
        std::vector<std::string> out;
        for (const json &item : v) {
            if (!item.is_string()) fail(path(key), "must be a non-empty array of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }
    /// Refuses keys that `allowed` does not name (the schema does too; this covers hosts that skip it).
    void onlyKeys(std::initializer_list<const char *> allowed) const {
        for (const auto &[key, unused] : value_.items()) {
            bool known = false;
            for (const char *name : allowed) known = known || key == name;
            if (!known) fail(path(key.c_str()), "is not a known key");
        }
    }

private:
    const json &value_;
    std::string path_;
};

/// One entry of a record's `fields`, with the names it refers to still unresolved.
struct ParsedField {
    FieldSpec spec;
    std::string headerField;  // `header_field`, when given
    std::string whenField;    // `when.field`, when given
};

/// Parses one entry of a record's `fields` (everything that needs only the
/// field itself); `role` decides which keys are allowed.
ParsedField parseField(const Object &o, RecordSpec::Role role, std::size_t recordLength);

}  // namespace lendgate::fixedwidth::config

#endif  // LENDGATE_PLUGINS_FIXEDWIDTH_CONFIG_READER_H
