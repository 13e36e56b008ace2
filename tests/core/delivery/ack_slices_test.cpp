// A large ACK cut into slices for a plugin that takes it that way: every
// slice is the same ACK with a run of its records, the runs together are the
// records in order, and a short ACK goes whole, byte for byte.
#include "core/delivery/ack_slices.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lendgate::delivery {
namespace {

using nlohmann::json;

// Texts that would fool a scanner that ignored strings: brackets, braces,
// commas, quotes and a key named like the array.
std::string ackOf(int records) {
    json doc = {{"message_id", "01JDRA00000000000000000400"},
                {"message_type", "ack"},
                {"payload",
                 {{"subject", {{"kind", "FILE"}, {"reference", "odd ],{\"records\":[ name.csv"}}},
                  {"status", "PARTIAL"},
                  {"counts", {{"received", records}}},
                  {"records", json::array()},
                  {"errors", json::array({{{"code", "x"}, {"text", "a ] b , c } \\ \""}}})}}}};
    for (int i = 1; i <= records; ++i) {
        json record = {{"record", i}, {"status", i % 3 == 0 ? "REJECTED" : "ACCEPTED"}};
        if (i % 3 == 0) record["errors"] = json::array({{{"field", "/payload/records"}, {"text", "[{,\"]}"}}});
        doc["payload"]["records"].push_back(record);
    }
    return doc.dump();
}

std::vector<json> slicesOf(const std::string &document, std::size_t perSlice) {
    AckSlices slices(document, perSlice);
    std::vector<json> out;
    for (std::string slice; slices.next(slice);) out.push_back(json::parse(slice));
    return out;
}

TEST(AckSlices, AShortAckGoesWholeByteForByte) {
    const std::string document = ackOf(3);
    AckSlices slices(document, 3);
    EXPECT_FALSE(slices.sliced());
    std::string slice;
    ASSERT_TRUE(slices.next(slice));
    EXPECT_EQ(slice, document);
    EXPECT_FALSE(slices.next(slice));
}

TEST(AckSlices, EachSliceIsTheAckWithTheNextRunOfRecords) {
    const std::string document = ackOf(7);
    const json whole = json::parse(document);
    const std::vector<json> slices = slicesOf(document, 3);
    ASSERT_EQ(slices.size(), 3u);
    json records = json::array();
    for (const json &slice : slices) {
        json head = slice;
        head["payload"]["records"] = whole["payload"]["records"];
        EXPECT_EQ(head, whole) << "every slice repeats the envelope and the head";
        for (const json &record : slice["payload"]["records"]) records.push_back(record);
    }
    EXPECT_EQ(slices[0]["payload"]["records"].size(), 3u);
    EXPECT_EQ(slices[2]["payload"]["records"].size(), 1u);
    EXPECT_EQ(records, whole["payload"]["records"]) << "the runs are the records, in order, once each";
}

TEST(AckSlices, AnExactMultipleEndsWithAFullSlice) {
    const std::vector<json> slices = slicesOf(ackOf(6), 3);
    ASSERT_EQ(slices.size(), 2u);
    EXPECT_EQ(slices[1]["payload"]["records"].back()["record"], 6);
}

TEST(AckSlices, AnAckWithoutRecordsOrAnythingElseGoesWhole) {
    for (const std::string &document :
         {std::string(R"({"message_type":"ack","payload":{"status":"REJECTED","errors":[]}})"),
          std::string(R"({"message_type":"ack","payload":{"records":[]}})"), std::string("[1,2,3]"),
          std::string(R"({"records":[1,2,3],"payload":{"x":{"records":[1,2,3]}}})"), std::string("not json")}) {
        AckSlices slices(document, 1);
        EXPECT_FALSE(slices.sliced()) << document;
        std::string slice;
        ASSERT_TRUE(slices.next(slice));
        EXPECT_EQ(slice, document);
    }
}

}  // namespace
}  // namespace lendgate::delivery
