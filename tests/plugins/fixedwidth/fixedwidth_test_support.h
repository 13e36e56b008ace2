// Shared by the fixed-width plugin tests: the loaded plugin, the shipped
// files, golden comparison.
#ifndef LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_TEST_SUPPORT_H
#define LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "plugin_harness.h"

namespace lendgate::test::fixedwidth {

inline LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

inline const std::string kRoot = LENDGATE_TEST_SOURCE_DIR;
inline const std::string kGolden = std::string(LENDGATE_TEST_GOLDEN_DIR) + "/";

inline std::string config(const std::string &name) {
    return readFile(kRoot + "/config/plugins/" + name);
}

/// Compares with a golden file; LENDGATE_UPDATE_GOLDEN=1 rewrites it instead (review the diff).
inline void expectGolden(const std::string &actual, const std::string &goldenName) {
    if (std::getenv("LENDGATE_UPDATE_GOLDEN") != nullptr) writeFile(kGolden + goldenName, actual);
    EXPECT_EQ(actual, readFile(kGolden + goldenName)) << "golden file " << goldenName;
}

inline std::vector<std::string> lines(const std::string &text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// `text` with its first `from` replaced; the test fails if there is none.
inline std::string replaceOnce(std::string text, const std::string &from, const std::string &to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return text;
    return text.replace(at, from.size(), to);
}

/// The 0-based line `index` of `text` with `length` bytes at 1-based `column` replaced by `value`.
inline std::string patchColumn(std::string text, std::size_t index, std::size_t column, const std::string &value) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < index; ++i) start = text.find('\n', start) + 1;
    const std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.size() < column - 1 + value.size()) line.resize(column - 1 + value.size(), ' ');
    line.replace(column - 1, value.size(), value);
    return text.replace(start, end - start, line);
}

}  // namespace lendgate::test::fixedwidth

#endif  // LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_FIXEDWIDTH_TEST_SUPPORT_H
