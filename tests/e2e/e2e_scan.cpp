#include "tests/e2e/e2e_scan.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace lendgate::e2e {

namespace fs = std::filesystem;

std::vector<std::string> personalValuesOfBankCsv(const std::string &csv) {
    std::vector<std::string> values;
    std::istringstream lines(csv);
    std::string header;
    std::getline(lines, header);
    std::vector<std::string> names;
    std::istringstream headerCells(header);
    for (std::string cell; std::getline(headerCells, cell, ',');) names.push_back(cell);
    std::size_t account = 0, ssn = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == "ACCT_NO") account = i;
        if (names[i] == "BORR_SSN") ssn = i;
    }
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("D,")) continue;
        // The sample quotes only addresses, which sit after both columns.
        std::vector<std::string> cells;
        std::istringstream in(line);
        for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
        if (cells.size() <= std::max(account, ssn)) continue;
        values.push_back(cells[account]);
        values.push_back(cells[ssn]);
        std::string digits;
        for (char c : cells[ssn])
            if (c != '-') digits += c;
        values.push_back(digits);
    }
    return values;
}

std::vector<std::string> findClearValues(const std::vector<fs::path> &roots, const std::vector<std::string> &values) {
    std::vector<std::string> hits;
    const auto scan = [&](const fs::path &file) {
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (const std::string &value : values)
            if (bytes.find(value) != std::string::npos) hits.push_back(file.string() + " holds " + value);
    };
    for (const fs::path &root : roots) {
        std::error_code ec;
        if (fs::is_regular_file(fs::symlink_status(root, ec))) {
            scan(root);
            continue;
        }
        if (!fs::is_directory(root, ec)) continue;
        for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
             it != end; it.increment(ec)) {
            if (ec) break;
            if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
            scan(it->path());
        }
    }
    return hits;
}

std::vector<std::string> findClearValuesIn(const std::vector<std::pair<std::string, std::string>> &texts,
                                           const std::vector<std::string> &values) {
    std::vector<std::string> hits;
    for (const auto &[what, text] : texts)
        for (const std::string &value : values)
            if (text.find(value) != std::string::npos) hits.push_back(what + " holds " + value);
    return hits;
}

}  // namespace lendgate::e2e
