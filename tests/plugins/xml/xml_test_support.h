// Shared by the xml plugin tests: the built plugin, the shipped Saguaro FCU
// configurations and golden files. The plugin is told, as the daemon tells
// it, that configurations live in config/plugins/, so their relative XSD
// paths resolve there whatever the test's working directory.
#ifndef LENDGATE_TESTS_PLUGINS_XML_XML_TEST_SUPPORT_H
#define LENDGATE_TESTS_PLUGINS_XML_XML_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "plugin_harness.h"

namespace lendgate::xmltest {

inline lendgate::test::LoadedPlugin &plugin() {
    static lendgate::test::LoadedPlugin &loaded = []() -> lendgate::test::LoadedPlugin & {
        static lendgate::test::LoadedPlugin library(LENDGATE_TEST_PLUGIN_PATH);
        library.setConfigDir(std::string(LENDGATE_TEST_SOURCE_DIR) + "/config/plugins");
        return library;
    }();
    return loaded;
}

inline std::string repoPath(const std::string &relative) {
    return std::string(LENDGATE_TEST_SOURCE_DIR) + "/" + relative;
}

inline std::string goldenPath(const std::string &name) {
    return std::string(LENDGATE_TEST_GOLDEN_DIR) + "/" + name;
}

/// A shipped configuration (config/plugins/NAME) as written; `withXsd` false drops its XSD.
inline std::string shippedConfig(const std::string &name, bool withXsd = true) {
    auto config = nlohmann::ordered_json::parse(lendgate::test::readFile(repoPath("config/plugins/" + name)));
    if (!withXsd) config.erase("xsd");
    return config.dump();
}

inline void expectGolden(const std::string &actual, const std::string &name) {
    if (std::getenv("LENDGATE_UPDATE_GOLDEN") != nullptr) lendgate::test::writeFile(goldenPath(name), actual);
    EXPECT_EQ(actual, lendgate::test::readFile(goldenPath(name))) << "golden file " << name;
}

inline std::vector<std::string> lines(const std::string &text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

/// "record N: FIELD: CODE: MESSAGE" per error, the form of the golden error files.
inline std::string errorReport(const lendgate::test::CallResult &result) {
    std::string out;
    for (const auto &e : result.errors)
        out += "record " + std::to_string(e.where.record) + ": " + (e.field.empty() ? "-" : e.field) + ": " + e.code +
               ": " + e.message + "\n";
    return out;
}

}  // namespace lendgate::xmltest

#endif  // LENDGATE_TESTS_PLUGINS_XML_XML_TEST_SUPPORT_H
