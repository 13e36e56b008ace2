#include "core/common/strict_json.h"

#include <gtest/gtest.h>

namespace lendgate {
namespace {

JsonSyntaxError failureOf(std::string_view text, const StrictJsonLimits &limits = {}) {
    JsonSyntaxError error;
    EXPECT_FALSE(parseStrictJson(text, error, limits).has_value()) << text;
    return error;
}

TEST(StrictJson, ParsesOrdinaryDocuments) {
    JsonSyntaxError error;
    auto doc = parseStrictJson(R"({"a":[1,{"b":"x"}],"c":null,"d":true,"e":-1.5})", error);
    ASSERT_TRUE(doc.has_value()) << error.message;
    EXPECT_EQ((*doc)["a"][1]["b"], "x");
    EXPECT_EQ((*doc)["e"], -1.5);
}

TEST(StrictJson, DuplicateKeyIsRefusedWithItsPointer) {
    JsonSyntaxError error = failureOf(R"({"payload":{"loan":{"x":1,"x":2}}})");
    EXPECT_EQ(error.code, "duplicate_key");
    EXPECT_EQ(error.pointer, "/payload/loan/x");
}

TEST(StrictJson, DuplicateKeyInsideArrayElementHasIndex) {
    JsonSyntaxError error = failureOf(R"({"parties":[{"a":1},{"b":1,"b":2}]})");
    EXPECT_EQ(error.code, "duplicate_key");
    EXPECT_EQ(error.pointer, "/parties/1/b");
}

TEST(StrictJson, SyntaxErrorNeverEchoesInput) {
    JsonSyntaxError error = failureOf(R"({"ssn":"123-45-6789" "x"})");
    EXPECT_EQ(error.code, "syntax");
    EXPECT_EQ(error.message.find("6789"), std::string::npos) << error.message;
    EXPECT_GT(error.offset, 0u);
}

TEST(StrictJson, NanInfinityAndTrailingDataAreRefused) {
    EXPECT_EQ(failureOf("{\"a\":NaN}").code, "syntax");
    EXPECT_EQ(failureOf("{\"a\":Infinity}").code, "syntax");
    EXPECT_EQ(failureOf("{} {}").code, "syntax");
}

TEST(StrictJson, MillionDigitNumberIsRefused) {
    std::string huge = "{\"n\":" + std::string(1000000, '9') + "}";
    JsonSyntaxError error = failureOf(huge);
    EXPECT_EQ(error.code, "number_too_long");
    EXPECT_EQ(error.pointer, "/n");
}

TEST(StrictJson, DeepNestingIsRefusedBeforeItCostsStack) {
    std::string deep(100000, '[');
    EXPECT_EQ(failureOf(deep).code, "too_deep");
}

TEST(StrictJson, InvalidUtf8IsRefused) { EXPECT_EQ(failureOf("{\"a\":\"\xff\xfe\"}").code, "syntax"); }

TEST(StrictJson, SizeAndStringCapsApply) {
    StrictJsonLimits limits;
    limits.maxBytes = 10;
    EXPECT_EQ(failureOf(R"({"a":"0123456789"})", limits).code, "too_large");
    limits = StrictJsonLimits{};
    limits.maxStringBytes = 4;
    EXPECT_EQ(failureOf(R"({"a":"0123456789"})", limits).code, "string_too_long");
}

TEST(JsonPointer, TokensAreEscaped) {
    std::string pointer;
    appendPointerToken(pointer, "a/b");
    appendPointerToken(pointer, "m~n");
    EXPECT_EQ(pointer, "/a~1b/m~0n");
}

}  // namespace
}  // namespace lendgate
