// Searching every byte the gateway wrote for personal values in the clear
// (issue 6: SSNs and account numbers may exist at rest only encrypted).
#ifndef LENDGATE_TESTS_E2E_E2E_SCAN_H
#define LENDGATE_TESTS_E2E_E2E_SCAN_H

#include <filesystem>
#include <string>
#include <vector>

namespace lendgate::e2e {

/// The personal values of a Desert Valley Bank delinquency CSV: each
/// record's account number and borrower SSN, the SSN also without dashes.
std::vector<std::string> personalValuesOfBankCsv(const std::string &csv);

/// "FILE holds VALUE" for every regular file in `roots` (each a file, or a
/// folder searched recursively without following symlinks) whose bytes
/// contain one of `values`.
std::vector<std::string> findClearValues(const std::vector<std::filesystem::path> &roots,
                                         const std::vector<std::string> &values);

/// "WHAT holds VALUE" for each of `texts` (e.g. delivered bodies) that
/// contains one of `values`.
std::vector<std::string> findClearValuesIn(const std::vector<std::pair<std::string, std::string>> &texts,
                                           const std::vector<std::string> &values);

}  // namespace lendgate::e2e

#endif  // LENDGATE_TESTS_E2E_E2E_SCAN_H
