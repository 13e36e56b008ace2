// Paths of the directories the tests read, and scratch folders for broken copies.
#ifndef LENDGATE_TESTS_REFERRAL_TEST_SUPPORT_H
#define LENDGATE_TESTS_REFERRAL_TEST_SUPPORT_H

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/referral/hsds_directory.h"

namespace lendgate::referral::test {

namespace fs = std::filesystem;

inline fs::path repoRoot() {
    return LENDGATE_SOURCE_DIR;
}
inline fs::path schemaDir() {
    return LENDGATE_TEST_HSDS_SCHEMA_DIR;
}
inline fs::path examples() {
    return LENDGATE_TEST_HSDS_EXAMPLES_DIR;
}
inline fs::path sample(const std::string &nonprofit) {
    return repoRoot() / "config" / "directories" / (nonprofit + ".json");
}

inline std::string readText(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void writeText(const fs::path &file, const std::string &text) {
    std::ofstream(file, std::ios::binary) << text;
}

/// A fresh folder under the system temp dir, removed with everything in it.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "lendgate-referral-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir &) = delete;
    ScratchDir &operator=(const ScratchDir &) = delete;

    fs::path operator/(const std::string &name) const { return path_ / name; }
    const fs::path &path() const { return path_; }

private:
    fs::path path_;
};

/// The directory at `file`, failing the test (with the loader's message) when it does not load.
inline Directory loaded(const fs::path &file) {
    Result<Directory> directory = loadDirectory(file);
    if (!directory.ok()) {
        ADD_FAILURE() << directory.error().message;
        return {};
    }
    return std::move(directory).value();
}

/// The loader's message for `file`, failing the test when it loads.
inline Error loadError(const fs::path &file) {
    Result<Directory> directory = loadDirectory(file);
    if (directory.ok()) {
        ADD_FAILURE() << file << " loaded";
        return {};
    }
    return directory.error();
}

}  // namespace lendgate::referral::test

#endif  // LENDGATE_TESTS_REFERRAL_TEST_SUPPORT_H
