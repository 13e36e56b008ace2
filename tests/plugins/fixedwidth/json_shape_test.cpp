// The record writer sizes its buffer from the values before writing; a value
// of over a megabyte is counted exactly rather than reserved six times over.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json_shape.h"

namespace lendgate::fixedwidth {
namespace {

std::string render(const JsonShape &shape, const std::vector<FieldValue> &values) {
    std::string out;
    shape.write(values, out);
    return out;
}

TEST(JsonShape, AHugeValueFullOfEscapesIsWrittenWhollyInTheRoomCountedForIt) {
    JsonShape shape;
    const auto slot = shape.addLeaf("/payload/note");
    std::string text;
    while (text.size() < (3u << 20)) text += "a\"b\\c\nd\te\x01 plain ";
    std::vector<FieldValue> values(shape.slotCount());
    values[slot] = FieldValue{FieldValue::Type::String, text};
    std::string expected = "{\"payload\":{\"note\":";
    appendJsonString(expected, text);
    expected += "}}";
    EXPECT_EQ(render(shape, values), expected);
    // Counted, not six bytes a byte: the room asked for is the record's own size.
    EXPECT_GE(shape.maxSize(values), expected.size());
    EXPECT_LE(shape.maxSize(values), expected.size() + 64);
}

}  // namespace
}  // namespace lendgate::fixedwidth
