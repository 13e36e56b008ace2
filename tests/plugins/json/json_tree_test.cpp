// The record index the mapped mode reads by JSON Pointer, and the pointer parser.
#include "json_tree.h"

#include <gtest/gtest.h>

#include <string>

namespace lendgate::json_plugin {
namespace {

Pointer pointer(std::string_view text) {
    Pointer p;
    EXPECT_TRUE(parsePointer(text, p)) << text;
    return p;
}

TEST(JsonPointer, ParsesRfc6901Pointers) {
    const Pointer p = pointer("/a~1b/m~0n/0/07/");
    ASSERT_EQ(p.segments.size(), 5u);
    EXPECT_EQ(p.segments[0].key, "a/b");
    EXPECT_EQ(p.segments[1].key, "m~n");
    EXPECT_TRUE(p.segments[2].isIndex);
    EXPECT_EQ(p.segments[2].index, 0u);
    EXPECT_FALSE(p.segments[3].isIndex);  // a leading zero makes it a name
    EXPECT_EQ(p.segments[4].key, "");
    EXPECT_TRUE(pointer("").segments.empty());
    Pointer bad;
    EXPECT_FALSE(parsePointer("a/b", bad));
    EXPECT_FALSE(parsePointer("/a~2", bad));
    EXPECT_FALSE(parsePointer("/a~", bad));
}

TEST(JsonTree, FindsValuesByPointerAndKeepsTheirText) {
    const std::string text =
        R"( {"a": {"b": [10, 100.10, {"c": "x\"y"}]}, "n": null, "s": "plain", "k\u0065y": 1e400, "d": 1, "d": 2} )";
    JsonTree tree;
    tree.parse(text);
    std::uint32_t at = 0;
    std::size_t depth = 0;
    ASSERT_EQ(tree.find(JsonTree::kRoot, pointer("/a/b/1"), at, depth), JsonTree::Found::Value);
    EXPECT_EQ(tree.raw(at), "100.10");
    ASSERT_EQ(tree.find(JsonTree::kRoot, pointer("/a/b/2/c"), at, depth), JsonTree::Found::Value);
    EXPECT_EQ(tree.raw(at), R"("x\"y")");
    std::string scratch;
    EXPECT_EQ(tree.stringValue(at, scratch), "x\"y");
    ASSERT_EQ(tree.find(JsonTree::kRoot, pointer("/key"), at, depth), JsonTree::Found::Value);  // escaped key
    EXPECT_EQ(tree.raw(at), "1e400");
    EXPECT_EQ(tree.find(JsonTree::kRoot, pointer("/a/b/3"), at, depth), JsonTree::Found::Absent);
    EXPECT_EQ(tree.find(JsonTree::kRoot, pointer("/n"), at, depth), JsonTree::Found::Absent);
    EXPECT_EQ(tree.find(JsonTree::kRoot, pointer("/n/deeper"), at, depth), JsonTree::Found::Absent);
    EXPECT_EQ(tree.find(JsonTree::kRoot, pointer("/s/deeper"), at, depth), JsonTree::Found::WrongKind);
    EXPECT_EQ(tree.find(JsonTree::kRoot, pointer("/a/b/x"), at, depth), JsonTree::Found::WrongKind);
    EXPECT_EQ(tree.find(JsonTree::kRoot, pointer("/d"), at, depth), JsonTree::Found::Duplicate);
    ASSERT_EQ(tree.find(JsonTree::kRoot, pointer("/a/b"), at, depth), JsonTree::Found::Value);
    EXPECT_EQ(tree.elementCount(at), 3u);
    ASSERT_EQ(tree.find(JsonTree::kRoot, pointer(""), at, depth), JsonTree::Found::Value);
    EXPECT_EQ(tree.node(at).kind, JsonKind::Object);
}

TEST(JsonTree, ResolvesEscapesToUtf8) {
    JsonTree tree;
    const std::string text = R"({"v": "\u00e9\ud83d\ude97\t\/\\"})";
    tree.parse(text);
    std::uint32_t at = 0;
    std::size_t depth = 0;
    ASSERT_EQ(tree.find(JsonTree::kRoot, pointer("/v"), at, depth), JsonTree::Found::Value);
    std::string scratch;
    EXPECT_EQ(tree.stringValue(at, scratch), "\xC3\xA9\xF0\x9F\x9A\x97\t/\\");
}

TEST(JsonTree, WritesStringsAsJsonLiterals) {
    std::string out;
    appendJsonString(out, std::string("a\"b\\c\n\x01\xC3\xA9", 9));
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\xC3\xA9\"");
}

}  // namespace
}  // namespace lendgate::json_plugin
