// The JSON plugin's incremental syntax checker and re-spacer.
#include "json_syntax.h"

#include <gtest/gtest.h>

#include <string>

#include "json_encoder.h"

namespace lendgate::json_plugin {
namespace {

struct Outcome {
    JsonSyntax::Status status;
    SyntaxError error;
    std::size_t consumed;  // bytes fed, the last one included
};

Outcome check(std::string_view text, JsonSyntax &syntax) {
    syntax.reset();
    JsonSyntax::Status status = JsonSyntax::Status::More;
    std::size_t i = 0;
    while (i < text.size() && status == JsonSyntax::Status::More)
        status = syntax.feed(static_cast<unsigned char>(text[i++]));
    return {status, syntax.error(), i};
}

Outcome check(std::string_view text) {
    JsonSyntax syntax;
    return check(text, syntax);
}

TEST(JsonSyntax, AcceptsRecordsOfEveryShape) {
    const char *good[] = {
        "{}",
        R"({"a":1})",
        R"({ "message_type" : "ack", "n": [1, -0, 0.5, 1e10, -2.5E-3, 1E+2, 12345678901234567890123],)"
        R"( "o": {}, "l": []})",
        R"({"s":"esc \" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE97", "u":"Pe)"
        "\xC3\xB1"
        R"(a \u2028", "t":true,"f":false,"z":null})",
        "{\r\n\t\"nested\": {\"deep\": [[[{}]]]}\n}",
    };
    for (const char *text : good) {
        const Outcome o = check(text);
        EXPECT_EQ(o.status, JsonSyntax::Status::Done) << text;
        EXPECT_EQ(o.consumed, std::string_view(text).size()) << text;
    }
}

TEST(JsonSyntax, FinishesOnTheClosingBraceSoStreamsCanBeSplit) {
    const Outcome o = check(R"({"a":{"b":"}"}}{"next":1})");
    EXPECT_EQ(o.status, JsonSyntax::Status::Done);
    EXPECT_EQ(o.consumed, 15u);
}

TEST(JsonSyntax, RefusesWhatStrictJsonRefuses) {
    const std::pair<const char *, SyntaxError> bad[] = {
        {"[1]", SyntaxError::NotAnObject},
        {"\"text\"", SyntaxError::NotAnObject},
        {R"({"a":1,})", SyntaxError::UnexpectedByte},
        {R"({"a" 1})", SyntaxError::UnexpectedByte},
        {R"({a:1})", SyntaxError::UnexpectedByte},
        {R"({"a":[1,]})", SyntaxError::UnexpectedByte},
        {R"({"a":[1}})", SyntaxError::UnexpectedByte},
        {R"({'a':1})", SyntaxError::UnexpectedByte},
        {R"({"a":01})", SyntaxError::BadNumber},
        {R"({"a":1.})", SyntaxError::BadNumber},
        {R"({"a":.5})", SyntaxError::UnexpectedByte},
        {R"({"a":-})", SyntaxError::BadNumber},
        {R"({"a":1e})", SyntaxError::BadNumber},
        {R"({"a":+1})", SyntaxError::UnexpectedByte},
        {R"({"a":NaN})", SyntaxError::BadLiteral},
        {R"({"a":Infinity})", SyntaxError::BadLiteral},
        {R"({"a":tru})", SyntaxError::BadLiteral},
        {R"({"a":nul1})", SyntaxError::BadLiteral},
        {R"({"a":"\x"})", SyntaxError::BadEscape},
        {R"({"a":"\u12G4"})", SyntaxError::BadEscape},
        {R"({"a":"\uD800"})", SyntaxError::BadSurrogate},
        {R"({"a":"\uDC00"})", SyntaxError::BadSurrogate},
        {R"({"a":"\uD800\u0041"})", SyntaxError::BadSurrogate},
        {"{\"a\":\"line\nbreak\"}", SyntaxError::ControlCharacter},
        {"{\"a\":\"tab\there\"}", SyntaxError::ControlCharacter},
        {"{\"a\":\"\xFF\"}", SyntaxError::InvalidUtf8},
        {"{\"a\":\"\xC0\xAF\"}", SyntaxError::InvalidUtf8},
        {"{\"a\":\"\xED\xA0\x80\"}", SyntaxError::InvalidUtf8},
        {"{\"a\":\"\xC3\"}", SyntaxError::InvalidUtf8},
    };
    for (const auto &[text, error] : bad) {
        const Outcome o = check(text);
        EXPECT_EQ(o.status, JsonSyntax::Status::Error) << text;
        EXPECT_EQ(o.error, error) << text;
        EXPECT_FALSE(syntaxErrorText(o.error).empty());
    }
}

TEST(JsonSyntax, BoundsNesting) {
    JsonSyntax shallow(4);
    EXPECT_EQ(check(R"({"a":[{"b":[]}]})", shallow).status, JsonSyntax::Status::Done);
    EXPECT_EQ(check(R"({"a":[{"b":[[]]}]})", shallow).error, SyntaxError::TooDeep);
    const std::string deep = "{\"a\":" + std::string(100000, '[');
    EXPECT_EQ(check(deep).error, SyntaxError::TooDeep);
}

TEST(JsonSyntax, CapturesTheTopLevelMessageTypeOnly) {
    JsonSyntax syntax;
    check(R"({"payload":{"message_type":"inner"},"message_type":"delinquency_notice"})", syntax);
    EXPECT_EQ(syntax.watched().count, 1);
    EXPECT_TRUE(syntax.watched().isString);
    EXPECT_TRUE(syntax.watched().plain);
    EXPECT_EQ(syntax.watched().value, "delinquency_notice");

    check(R"({"message_type":"ack","message_type":"consent"})", syntax);
    EXPECT_EQ(syntax.watched().count, 2);
    check(R"({"message_type":7})", syntax);
    EXPECT_EQ(syntax.watched().count, 1);
    EXPECT_FALSE(syntax.watched().isString);
    check(R"({"message_type":"a\u0063k"})", syntax);
    EXPECT_FALSE(syntax.watched().plain);
    // An escaped key is never taken for the watched one.
    check(R"({"message\u005ftype":"ack"})", syntax);
    EXPECT_EQ(syntax.watched().count, 0);
    check(R"({"message_type_x":"ack","xmessage_type":"ack"})", syntax);
    EXPECT_EQ(syntax.watched().count, 0);
}

TEST(JsonSyntax, ReportsByteRolesForReSpacing) {
    JsonSyntax syntax;
    syntax.feed('{');
    EXPECT_EQ(syntax.lastRole(), ByteRole::Structural);
    syntax.feed(' ');
    EXPECT_EQ(syntax.lastRole(), ByteRole::Whitespace);
    syntax.feed('"');
    EXPECT_EQ(syntax.lastRole(), ByteRole::Content);
    syntax.feed(' ');
    EXPECT_EQ(syntax.lastRole(), ByteRole::Content);
    EXPECT_EQ(syntax.depth(), 1u);
}

TEST(Respace, CompactsAndIndentsWithoutTouchingValues) {
    JsonSyntax syntax;
    std::string out;
    const std::string record =
        "{ \"message_type\" : \"ack\",\n  \"amount\": 100.10, \"big\": 12345678901234567890,"
        " \"text\": \"a , b : { }\", \"empty\": {}, \"list\": [ ], \"nums\": [1, 2e-3] }";
    ASSERT_EQ(respace(record, false, 0, syntax, out), SyntaxError::None);
    EXPECT_EQ(out, R"({"message_type":"ack","amount":100.10,"big":12345678901234567890,"text":"a , b : { }",)"
                   R"("empty":{},"list":[],"nums":[1,2e-3]})");
    ASSERT_EQ(respace(record, true, 2, syntax, out), SyntaxError::None);
    EXPECT_EQ(out,
              "{\n"
              "    \"message_type\": \"ack\",\n"
              "    \"amount\": 100.10,\n"
              "    \"big\": 12345678901234567890,\n"
              "    \"text\": \"a , b : { }\",\n"
              "    \"empty\": {},\n"
              "    \"list\": [],\n"
              "    \"nums\": [\n"
              "      1,\n"
              "      2e-3\n"
              "    ]\n"
              "  }");
    EXPECT_EQ(respace("{} {}", false, 0, syntax, out), SyntaxError::Incomplete);
    EXPECT_EQ(respace("{\"a\":1", false, 0, syntax, out), SyntaxError::Incomplete);
    EXPECT_EQ(respace("  ", false, 0, syntax, out), SyntaxError::Incomplete);
    EXPECT_EQ(respace("{\"a\":1}\n", false, 0, syntax, out), SyntaxError::None);
}

}  // namespace
}  // namespace lendgate::json_plugin
