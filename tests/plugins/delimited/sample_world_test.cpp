// The sample world's CSV files through the delimited plugin with the shipped
// configurations: what the gateway reads from Desert Valley Bank and Mesa
// Asset Recovery decodes to the golden canonical records, what it writes to
// them encodes to the golden files byte for byte, and each format survives
// the trip back: encode(decode(file)) is the file, decode(encode(records)) the
// records, except for what a format deliberately does not carry.
//
// Set LENDGATE_UPDATE_GOLDEN=1 to rewrite the expected files after a
// deliberate change, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ack_slices.h"
#include "plugin_harness.h"

namespace {

using lendgate::test::CallResult;
using lendgate::test::LoadedPlugin;
using lendgate::test::readFile;

const std::string kRoot = LENDGATE_TEST_SOURCE_DIR;
const std::string kGolden = std::string(LENDGATE_TEST_GOLDEN_DIR) + "/";

LoadedPlugin &plugin() {
    static LoadedPlugin loaded(LENDGATE_TEST_PLUGIN_PATH);
    return loaded;
}

std::string config(const std::string &name) {
    return readFile(kRoot + "/config/plugins/" + name + ".json");
}

std::vector<std::string> lines(const std::string &text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

void expectGolden(const std::string &actual, const std::string &path) {
    if (std::getenv("LENDGATE_UPDATE_GOLDEN") != nullptr) lendgate::test::writeFile(path, actual);
    EXPECT_EQ(actual, readFile(path)) << "golden file " << path;
}

CallResult decode(const std::string &configName, const std::string &input, const char *type) {
    return plugin().create(config(configName)).decode(input, type);
}

CallResult encode(const std::string &configName, const std::vector<std::string> &records, const char *type) {
    return plugin().create(config(configName)).encode(records, type);
}

std::vector<std::string> jsonOf(const CallResult &result) {
    std::vector<std::string> out;
    for (const auto &record : result.records) out.push_back(record.json);
    return out;
}

struct Inbound {
    const char *config;
    const char *sample;  // under samples/
    const char *type;
    std::size_t records;
};

const Inbound kInbound[] = {
    {"dvb-assignment", "desert-valley-bank/DVB_ASGN_20261122_001.csv", "repossession_assignment", 12},
    {"dvb-account-update", "desert-valley-bank/DVB_ACCT_20261122_001.csv", "account_update", 13},
    {"mesa-outcomes-csv", "mesa-asset-recovery/MESA_OUTCOMES_20261122_01.csv", "repossession_outcome", 12},
};

std::string goldenName(const Inbound &in) {
    std::string name = std::string(in.sample).substr(std::string(in.sample).find('/') + 1);
    return name.substr(0, name.size() - 4) + ".expected.jsonl";
}

TEST(SampleWorld, InboundFilesDecodeToTheGoldenRecords) {
    for (const Inbound &in : kInbound) {
        SCOPED_TRACE(in.sample);
        const auto result = decode(in.config, readFile(kRoot + "/samples/" + in.sample), in.type);
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        EXPECT_EQ(result.errorLines(), "");
        EXPECT_EQ(result.records.size(), in.records);
        expectGolden(result.jsonLines(), kGolden + goldenName(in));
    }
}

TEST(SampleWorld, InboundFilesEncodeBackByteForByte) {
    // The samples are written the way the configurations write (two-digit dates, minimal quoting, the header's
    // file date is the test clock's day in Arizona), so encoding what they decode to gives the very same bytes.
    for (const Inbound &in : kInbound) {
        SCOPED_TRACE(in.sample);
        const std::string sample = readFile(kRoot + "/samples/" + in.sample);
        const auto decoded = decode(in.config, sample, in.type);
        const auto encoded = encode(in.config, jsonOf(decoded), in.type);
        EXPECT_EQ(encoded.status, LENDGATE_OK) << encoded.failureMessage();
        EXPECT_EQ(encoded.errorLines(), "");
        EXPECT_EQ(encoded.output, sample);
    }
}

struct Outbound {
    const char *config;
    const char *golden;  // golden/encode/NAME.input.jsonl and NAME.expected.csv
    const char *type;
    const char *sample;  // the same bytes under samples/, or nullptr
};

const Outbound kOutbound[] = {
    {"dvb-outcomes", "dvb_outcomes", "repossession_outcome", "desert-valley-bank/DVB_OUTCOMES_20261122_001.csv"},
    {"dvb-hardship-decisions", "dvb_hardship_decisions", "hardship_decision",
     "desert-valley-bank/DVB_HARDSHIP_20261122_001.csv"},
    {"dvb-referral-updates", "dvb_referral_updates", "referral_update",
     "desert-valley-bank/DVB_REFERRAL_STATUS_20261122_001.csv"},
    {"dvb-ack", "dvb_ack_partial", "ack", "desert-valley-bank/DVB_ACK_DVB_DELQ_20261123_002.csv"},
    {"dvb-ack", "dvb_ack_rejected", "ack", nullptr},
    {"mesa-ack-csv", "mesa_ack", "ack", "mesa-asset-recovery/MESA_ACK_MESA_OUTCOMES_20261122_01.csv"},
};

TEST(SampleWorld, OutboundRecordsEncodeToTheGoldenFiles) {
    for (const Outbound &out : kOutbound) {
        SCOPED_TRACE(out.golden);
        const auto input = lines(readFile(kGolden + "encode/" + out.golden + ".input.jsonl"));
        const auto result = encode(out.config, input, out.type);
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        EXPECT_EQ(result.errorLines(), "");
        expectGolden(result.output, kGolden + "encode/" + out.golden + ".expected.csv");
        if (out.sample != nullptr) {
            EXPECT_EQ(readFile(kRoot + "/samples/" + out.sample), result.output);
        }
    }
}

// The gateway hands a large ACK over in slices (LENDGATE_CAP_ACK_SLICES):
// one record a slice still makes the golden file, one header and one trailer.
TEST(SampleWorld, AnAckInSlicesEncodesToTheSameFileAsTheWholeAck) {
    EXPECT_NE(plugin().descriptor().capabilities & LENDGATE_CAP_ACK_SLICES, 0u);
    for (const Outbound &out : kOutbound) {
        if (std::string(out.type) != "ack") continue;
        SCOPED_TRACE(out.golden);
        const auto input = lines(readFile(kGolden + "encode/" + out.golden + ".input.jsonl"));
        ASSERT_EQ(input.size(), 1u);
        const auto result = encode(out.config, lendgate::test::ackInSlices(input.front(), 1), out.type);
        EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
        EXPECT_EQ(result.output, readFile(kGolden + "encode/" + out.golden + ".expected.csv"));
    }
}

// An ACK layout with no rows per record writes one line per ACK, however
// many slices it came in; two ACKs are still two lines.
TEST(SampleWorld, ASummaryAckLineIsWrittenOncePerAckNotPerSlice) {
    const std::string summary = R"({"message_type": "ack", "header_row": false, "line_end": "LF",
      "columns": ["STATUS", "RECEIVED"],
      "fields": [{"column": "STATUS", "to": "/payload/status"},
                 {"column": "RECEIVED", "to": "/payload/counts/received", "transform": "integer"}]})";
    const auto ack = lines(readFile(kGolden + "encode/dvb_ack_partial.input.jsonl")).front();
    std::vector<std::string> records = lendgate::test::ackInSlices(ack, 3);
    ASSERT_GT(records.size(), 1u);
    auto another = nlohmann::json::parse(ack);
    another["message_id"] = "01JDRA00000000000000000999";
    records.push_back(another.dump());
    const auto result = plugin().create(summary).encode(records, "ack");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.output, "PARTIAL,8\nPARTIAL,8\n");
}

// The canonical record without the envelope fields the gateway adds and the pointers a format leaves out.
nlohmann::json withoutPointers(const std::string &record, const std::vector<std::string> &dropped) {
    auto json = nlohmann::json::parse(record);
    for (const char *key : {"message_id", "sender", "receiver", "case_id"}) json.erase(key);
    for (const std::string &pointer : dropped) {
        const nlohmann::json::json_pointer at(pointer);
        if (json.contains(at)) json.at(at.parent_pointer()).erase(at.back());
    }
    return json;
}

TEST(SampleWorld, OutboundFilesDecodeBackToTheRecordsTheyCarry) {
    struct Trip {
        const char *config;
        const char *golden;
        const char *type;
        std::vector<std::string> notCarried;
    };
    // The lender's outcome file lists personal property by name only and leaves out the agent's interactions
    // with the borrower; the Metro 2 codes the gateway adds go to the bank, not back into the gateway; everything
    // else comes back as it went out.
    const Trip trips[] = {
        {"dvb-outcomes",
         "dvb_outcomes",
         "repossession_outcome",
         {"/payload/personal_property", "/payload/interactions", "/payload/metro2"}},
        {"dvb-hardship-decisions", "dvb_hardship_decisions", "hardship_decision", {}},
        {"dvb-referral-updates", "dvb_referral_updates", "referral_update", {}},
    };
    for (const Trip &trip : trips) {
        SCOPED_TRACE(trip.golden);
        const auto input = lines(readFile(kGolden + "encode/" + trip.golden + ".input.jsonl"));
        const auto decoded = decode(trip.config, encode(trip.config, input, trip.type).output, trip.type);
        EXPECT_EQ(decoded.status, LENDGATE_OK) << decoded.failureMessage();
        EXPECT_EQ(decoded.errorLines(), "");
        ASSERT_EQ(decoded.records.size(), input.size());
        for (std::size_t i = 0; i < input.size(); ++i)
            EXPECT_EQ(nlohmann::json::parse(decoded.records[i].json), withoutPointers(input[i], trip.notCarried))
                << "record " << i + 1;
    }
}

TEST(SampleWorld, TheLendersOutcomeFileCarriesMetro2Codes) {
    const auto input = lines(readFile(kGolden + "encode/dvb_outcomes.input.jsonl"));
    const auto output = lines(encode("dvb-outcomes", input, "repossession_outcome").output);
    // Column 5 is the Metro 2 account status, 6 the special comment: 96 repossessed, 95 voluntary surrender,
    // AZ redeemed or reinstated; blank for events that change nothing on the credit file.
    auto cells = [&](const std::string &id) {
        for (const std::string &line : output)
            if (line.rfind("D," + id + ",", 0) == 0) {
                std::vector<std::string> out;
                std::stringstream in(line);
                for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
                return std::make_pair(out[5], out[6]);
            }
        return std::make_pair(std::string("?"), std::string("?"));
    };
    EXPECT_EQ(cells("MAR-EV-2611-0419"), std::make_pair(std::string("96"), std::string()));
    EXPECT_EQ(cells("VRC-EVT-2026-112201"), std::make_pair(std::string("95"), std::string()));
    EXPECT_EQ(cells("VRC-EVT-2026-112202"), std::make_pair(std::string(), std::string("AZ")));
    EXPECT_EQ(cells("VRC-EVT-2026-112203"), std::make_pair(std::string(), std::string("AZ")));
    EXPECT_EQ(cells("MAR-EV-2611-0417"), std::make_pair(std::string(), std::string()));
}

TEST(SampleWorld, TheAckNeutralisesAFormulaInTheSendersKey) {
    const auto input = lines(readFile(kGolden + "encode/dvb_ack_partial.input.jsonl"));
    const std::string output = encode("dvb-ack", input, "ack").output;
    EXPECT_NE(output.find("\"'=HYPERLINK("), std::string::npos);
    EXPECT_EQ(output.find(",=HYPERLINK"), std::string::npos);
    EXPECT_EQ(output.find(",\"=HYPERLINK"), std::string::npos);
}

TEST(SampleWorld, AnAckListsEveryRecordAndCarriesNoPersonalData) {
    const auto input = lines(readFile(kGolden + "encode/dvb_ack_partial.input.jsonl"));
    const auto output = lines(encode("dvb-ack", input, "ack").output);
    ASSERT_EQ(output.size(), 1u + 1u + 8u + 1u);  // column names, header, one row per record, trailer
    EXPECT_EQ(output[1].rfind("H,DVB_DELQ_20261123_002.csv,", 0), 0u);
    EXPECT_EQ(output.back(), "T,8,8,4,4,1,,");
    // Nothing of the bank's file reaches the ACK but record numbers, keys and error texts the gateway wrote.
    const std::string delinquency = readFile(kRoot + "/samples/desert-valley-bank/DVB_DELQ_20261123_001.csv");
    for (const char *personal : {"921-47-3856", "4401009817", "Delgado", "4T1B11HK5M0214873"}) {
        ASSERT_NE(delinquency.find(personal), std::string::npos);
        for (const std::string &line : output) EXPECT_EQ(line.find(personal), std::string::npos);
    }
}

}  // namespace
