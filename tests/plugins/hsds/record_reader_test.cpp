// The record framer on its own: which bytes make each record, in every input
// form, and where each one starts.
#include "record_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {

using lendgate::InputStream;
using lendgate::Location;
using lendgate::PluginError;
using lendgate::hsds::RecordReader;

struct Framed {
    std::vector<std::string> records;
    std::vector<std::string> problems;  // "line:record:code"
    std::vector<std::uint64_t> lines;
    std::string failure;
};

Framed frame(const std::string &input, std::size_t maxBytes = 1024, std::size_t chunk = 3) {
    struct Source {
        const std::string *text;
        std::size_t at = 0;
        std::size_t chunk;
    } source{&input, 0, chunk};
    const lendgate_reader reader{&source, [](void *ctx, char *buffer, std::size_t capacity, std::size_t *n) {
                                     auto *s = static_cast<Source *>(ctx);
                                     *n = std::min({capacity, s->chunk, s->text->size() - s->at});
                                     std::memcpy(buffer, s->text->data() + s->at, *n);
                                     s->at += *n;
                                     return static_cast<int>(LENDGATE_OK);
                                 }};
    InputStream in(&reader, 16);
    Framed out;
    try {
        RecordReader(in, maxBytes, 4)
            .run(
                [&](const Location &where, std::string_view text) {
                    out.records.emplace_back(text);
                    out.lines.push_back(where.line);
                },
                [&](const Location &where, std::string_view code, const std::string &) {
                    out.problems.push_back(std::to_string(where.line) + ":" + std::to_string(where.record) + ":" +
                                           std::string(code));
                });
    } catch (const PluginError &e) {
        out.failure = e.code();
    }
    return out;
}

using Strings = std::vector<std::string>;

TEST(HsdsRecordReader, OneDocumentJsonLinesPrettyObjectsAndArraysFrameAlike) {
    EXPECT_EQ(frame(R"({"a":"}"})").records, Strings{R"({"a":"}"})"});
    EXPECT_EQ(frame("{\"a\":1}\n{\"b\":\"x\\\"}\"}\r\n").records, (Strings{"{\"a\":1}", "{\"b\":\"x\\\"}\"}"}));
    const auto pretty = frame("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}\n");
    EXPECT_EQ(pretty.records, (Strings{"{\n  \"a\": {\n    \"b\": 1\n  }\n}", "{\n  \"c\": 2\n}"}));
    EXPECT_EQ(pretty.lines, (std::vector<std::uint64_t>{1, 6}));
    const auto array = frame("[\n {\"a\":[1,{\"b\":2}]},\n {\"c\":3}\n]\n");
    EXPECT_EQ(array.records, (Strings{R"({"a":[1,{"b":2}]})", R"({"c":3})"}));
    EXPECT_EQ(array.lines, (std::vector<std::uint64_t>{2, 3}));
    EXPECT_EQ(frame("[]").records, Strings{});
    EXPECT_EQ(frame("[]").problems, Strings{});
}

TEST(HsdsRecordReader, LimitsCostOneRecordEach) {
    const auto large = frame("{\"a\":\"" + std::string(2000, 'x') + "\"}\n{\"b\":1}", 1024);
    EXPECT_EQ(large.problems, Strings{"1:1:record_too_large"});
    EXPECT_EQ(large.records, Strings{"{\"b\":1}"});
    const auto deep = frame("{\"a\":[[[[[1]]]]]}\n{\"b\":[[[1]]]}");
    EXPECT_EQ(deep.problems, Strings{"1:1:too_deep"});
    EXPECT_EQ(deep.records, Strings{"{\"b\":[[[1]]]}"});
}

TEST(HsdsRecordReader, WholeInputProblemsThrow) {
    EXPECT_EQ(frame("").failure, "empty");
    EXPECT_EQ(frame("null").failure, "wrong_root");
    EXPECT_EQ(frame("{\"a\":").failure, "truncated");
    EXPECT_EQ(frame("[{\"a\":1},").failure, "truncated");
    EXPECT_EQ(frame("[1,").failure, "truncated");
    EXPECT_EQ(frame("[{\"a\":\"x\n").failure, "syntax");
}

}  // namespace
