// The golden files holding canonical records (decoded goldens and encode
// inputs), for the model and schema tests.
#ifndef LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_GOLDEN_RECORDS_H
#define LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_GOLDEN_RECORDS_H

#include <sstream>
#include <string>
#include <vector>

#include "plugin_harness.h"

namespace lendgate::test::fixedwidth {

struct GoldenRecord {
    std::string file;
    std::size_t line = 0;  // 1-based
    std::string json;
};

inline std::vector<GoldenRecord> goldenRecords() {
    static const char *const kFiles[] = {
        "CAF_DQAO_20261122_001.expected.jsonl",  // decoded: Cactus notices and orders
        "CAF_DQAO_bad_records.expected.jsonl",   // decoded: the records a damaged file still gives
        "CAF_REPOUT.input.jsonl",                // encoded (and decoded back): outcomes for Cactus
        "MESA_ASSIGN.input.jsonl",               // encoded (and decoded back): Mesa's assignment batch
        "CAF_ACK_partial.input.jsonl",           // encoded: ACKs for Cactus
        "CAF_ACK_rejected.input.jsonl",
        "CAF_REFUPD.input.jsonl",  // encoded (and decoded back): referral status updates for Cactus
        "CAF_HRDDEC.input.jsonl",  // encoded (and decoded back): the servicer's hardship decisions
        "CAF_ACCTUP.input.jsonl",  // encoded (and decoded back): the servicer's account updates
    };
    std::vector<GoldenRecord> out;
    for (const char *file : kFiles) {
        std::istringstream in(readFile(std::string(LENDGATE_TEST_GOLDEN_DIR) + "/" + file));
        std::size_t n = 0;
        for (std::string line; std::getline(in, line);) out.push_back({file, ++n, line});
    }
    return out;
}

}  // namespace lendgate::test::fixedwidth

#endif  // LENDGATE_TESTS_PLUGINS_FIXEDWIDTH_GOLDEN_RECORDS_H
