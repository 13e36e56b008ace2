// The compiled record shape: key order, arrays, absent values, escaping.
#include "record_layout.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lendgate::delimited {
namespace {

FieldValue text(const char *value) {
    return FieldValue{FieldValue::Type::String, value};
}

std::string render(const RecordLayout &layout, const std::vector<FieldValue> &values) {
    std::string out;
    layout.write(values, out);
    return out;
}

TEST(RecordLayout, WritesKeysInTheOrderTheyWereFirstNamed) {
    RecordLayout layout;
    const auto type = layout.addLeaf("/message_type");
    const auto last = layout.addLeaf("/payload/parties/0/name/last");
    const auto vin = layout.addLeaf("/payload/collateral/vin");
    const auto first = layout.addLeaf("/payload/parties/0/name/first");
    std::vector<FieldValue> values(layout.slotCount());
    values[type] = text("delinquency_notice");
    values[last] = text("Brooks");
    values[vin] = text("19XFC2F51LE038512");
    values[first] = text("Aaliyah");
    EXPECT_EQ(render(layout, values), R"({"message_type":"delinquency_notice",)"
                                      R"("payload":{"parties":[{"name":{"last":"Brooks","first":"Aaliyah"}}],)"
                                      R"("collateral":{"vin":"19XFC2F51LE038512"}}})");
}

TEST(RecordLayout, LeavesOutWhatIsAbsentAndClosesUpArrays) {
    RecordLayout layout;
    const auto borrower = layout.addLeaf("/parties/0/role");
    const auto cosigner = layout.addLeaf("/parties/1/role");
    const auto cosignerName = layout.addLeaf("/parties/1/name");
    const auto flag = layout.addLeaf("/flags/bankruptcy/active");
    std::vector<FieldValue> values(layout.slotCount());
    EXPECT_EQ(render(layout, values), "{}");
    values[cosigner] = text("COSIGNER");
    values[cosignerName] = text("Denise");
    EXPECT_EQ(render(layout, values), R"({"parties":[{"role":"COSIGNER","name":"Denise"}]})");
    values[borrower] = text("BORROWER");
    values[flag] = FieldValue{FieldValue::Type::Boolean, "false"};
    EXPECT_EQ(render(layout, values), R"({"parties":[{"role":"BORROWER"},{"role":"COSIGNER","name":"Denise"}],)"
                                      R"("flags":{"bankruptcy":{"active":false}}})");
}

TEST(RecordLayout, SortsArrayElementsByIndex) {
    RecordLayout layout;
    const auto second = layout.addLeaf("/notices/1/type");
    const auto first = layout.addLeaf("/notices/0/type");
    std::vector<FieldValue> values(layout.slotCount());
    values[second] = text("DEFAULT");
    values[first] = text("RIGHT_TO_CURE");
    EXPECT_EQ(render(layout, values), R"({"notices":[{"type":"RIGHT_TO_CURE"},{"type":"DEFAULT"}]})");
}

TEST(RecordLayout, WritesNumbersAndEscapesStrings) {
    RecordLayout layout;
    const auto year = layout.addLeaf("/year");
    const auto note = layout.addLeaf("/a~1b/c~0d");
    std::vector<FieldValue> values(layout.slotCount());
    values[year] = FieldValue{FieldValue::Type::Number, "2021"};
    values[note] = text(
        "line \"1\"\r\n\ttab \\ \x01 Pe\xC3\xB1"
        "a");
    EXPECT_EQ(render(layout, values),
              "{\"year\":2021,\"a/b\":{\"c~d\":\"line \\\"1\\\"\\r\\n\\ttab \\\\ \\u0001 Pe\xC3\xB1"
              "a\"}}");
}

TEST(RecordLayout, WritesABorrowedCellLikeItsOwnText) {
    RecordLayout layout;
    const auto owned = layout.addLeaf("/owned");
    const auto borrowed = layout.addLeaf("/borrowed");
    const std::string cell =
        "Pe\xC3\xB1"
        "a \"Jr\"\t\x7F, a value longer than sixteen bytes";
    std::vector<FieldValue> values(layout.slotCount());
    values[owned] = FieldValue{FieldValue::Type::String, cell};
    values[borrowed].type = FieldValue::Type::String;
    values[borrowed].borrowed = cell;
    values[borrowed].isBorrowed = true;
    const std::string json = render(layout, values);
    const std::string escaped =
        "\"Pe\xC3\xB1"
        "a \\\"Jr\\\"\\t\x7F, a value longer than sixteen bytes\"";
    EXPECT_EQ(json, "{\"owned\":" + escaped + ",\"borrowed\":" + escaped + "}");
    // The raw writer never needs more room than it was promised, whatever the escaping.
    values[owned] = FieldValue{FieldValue::Type::String, std::string(40, '\x01')};
    EXPECT_LE(render(layout, values).size(), layout.maxSize(values));
}

TEST(RecordLayout, AHugeValueFullOfEscapesIsWrittenWhollyInTheRoomCountedForIt) {
    RecordLayout layout;
    const auto slot = layout.addLeaf("/payload/note");
    std::string text;
    while (text.size() < (3u << 20)) text += "a\"b\\c\nd\te\x01\r\b\f plain ";
    std::vector<FieldValue> values(layout.slotCount());
    values[slot] = FieldValue{FieldValue::Type::String, text};
    std::string expected = "{\"payload\":{\"note\":";
    appendJsonString(expected, text);
    expected += "}}";
    EXPECT_EQ(render(layout, values), expected);
    // Counted, not six bytes a byte: the room asked for is the record's own size.
    EXPECT_GE(layout.maxSize(values), expected.size());
    EXPECT_LE(layout.maxSize(values), expected.size() + 64);
}

TEST(RecordLayout, RefusesMalformedAndOverlappingPointers) {
    for (const char *bad : {"", "payload", "/", "/a//b", "/a/~2", "/a/~", "/a/1000/b"}) {
        RecordLayout layout;
        EXPECT_THROW(layout.addLeaf(bad), std::invalid_argument) << bad;
    }
    RecordLayout layout;
    layout.addLeaf("/payload/loan/product");
    EXPECT_THROW(layout.addLeaf("/payload/loan/product"), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf("/payload/loan"), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf("/payload/loan/product/code"), std::invalid_argument);
    EXPECT_THROW(layout.addLeaf("/payload/0"), std::invalid_argument);
    layout.addLeaf("/payload/parties/0/role");
    EXPECT_THROW(layout.addLeaf("/payload/parties/name"), std::invalid_argument);
    // Only canonical indexes are indexes: "01" is an ordinary key.
    EXPECT_NO_THROW(layout.addLeaf("/payload/codes/01"));
}

}  // namespace
}  // namespace lendgate::delimited
