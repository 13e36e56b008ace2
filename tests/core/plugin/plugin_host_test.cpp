#include "core/plugin/plugin_host.h"

#include <gtest/gtest.h>

#include <lendgate/plugin.h>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lendgate::plugin {
namespace {

namespace fs = std::filesystem;

std::string testPlugin(const std::string &name) {
    return std::string(TEST_PLUGIN_DIR) + "/lendgate-plugin-" + name + ".so";
}

std::string loadFailure(const fs::path &file) {
    auto loaded = PluginLibrary::load(file);
    EXPECT_FALSE(loaded.ok()) << file;
    return loaded.ok() ? "" : loaded.error().message;
}

TEST(PluginLoad, MissingFileIsNamed) {
    std::string message = loadFailure("/nonexistent/lendgate-plugin-ghost.so");
    EXPECT_NE(message.find("/nonexistent/lendgate-plugin-ghost.so"), std::string::npos) << message;
    EXPECT_NE(message.find("file not found"), std::string::npos) << message;
}

TEST(PluginLoad, TextFileIsNotASharedLibrary) {
    fs::path file = fs::temp_directory_path() / "lendgate-not-a-plugin.so";
    std::ofstream(file) << "#!/bin/sh\necho I am not a plugin\n";
    std::string message = loadFailure(file);
    EXPECT_NE(message.find("not a shared library (no ELF header)"), std::string::npos) << message;
    fs::remove(file);
}

TEST(PluginLoad, ElfObjectThatIsNotSharedIsRefused) {
    std::string message = loadFailure(TEST_OBJECT_FILE);
    EXPECT_NE(message.find("not a shared library (ET_DYN)"), std::string::npos) << message;
}

TEST(PluginLoad, UndefinedSymbolKeepsTheDynamicLoadersReason) {
    std::string message = loadFailure(testPlugin("test-undefined"));
    EXPECT_NE(message.find("lendgate_test_symbol_nobody_defines"), std::string::npos) << message;
    EXPECT_EQ(message.find("Bad file descriptor"), std::string::npos) << message;
}

TEST(PluginLoad, MissingEntrySymbolIsExplained) {
    std::string message = loadFailure(testPlugin("test-no-entry"));
    EXPECT_NE(message.find("exports no lendgate_plugin_entry"), std::string::npos) << message;
}

TEST(PluginLoad, OtherAbiMajorIsRefusedWithBothVersions) {
    std::string message = loadFailure(testPlugin("test-abi-major"));
    const std::string minor = "." + std::to_string(LENDGATE_ABI_MINOR);
    EXPECT_NE(message.find("ABI 2" + minor), std::string::npos) << message;
    EXPECT_NE(message.find("ABI 1" + minor), std::string::npos) << message;
    EXPECT_NE(message.find("rebuild the plugin"), std::string::npos) << message;
}

TEST(PluginLoad, NewerAbiMinorThanHostIsRefused) {
    std::string message = loadFailure(testPlugin("test-abi-minor"));
    EXPECT_NE(message.find("ABI 1.99, newer than this gateway's ABI 1." + std::to_string(LENDGATE_ABI_MINOR)),
              std::string::npos)
        << message;
}

TEST(PluginLoad, DescriptorSmallerThanItsMinorDefinesIsRefused) {
    std::string message = loadFailure(testPlugin("test-small-descriptor"));
    EXPECT_NE(message.find("descriptor is 16 bytes"), std::string::npos) << message;
}

TEST(PluginLoad, GoodPluginDescribesItself) {
    auto loaded = PluginLibrary::load(testPlugin("test-echo"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const PluginInfo &info = loaded.value()->info();
    EXPECT_EQ(info.name, "echo");
    EXPECT_EQ(info.version, "1.2.3");
    EXPECT_TRUE(info.canDecode());
    EXPECT_TRUE(info.canEncode());
    ASSERT_EQ(info.decodes.size(), 1u);
    EXPECT_EQ(info.decodes[0].messageType, "test_line");
    EXPECT_EQ(info.decodes[0].mediaType, "text/plain");
}

TEST(PluginLoad, DirectoryScanLoadsGoodAndReportsBad) {
    PluginScan scan = scanPluginDirectory(TEST_PLUGIN_DIR);
    std::vector<std::string> names;
    for (const auto &p : scan.loaded) names.push_back(p->info().name);
    EXPECT_NE(std::find(names.begin(), names.end(), "echo"), names.end());
    EXPECT_GE(scan.failures.size(), 5u);  // abi-major, abi-minor, small, no-entry, undefined
}

class EchoPlugin : public ::testing::Test {
protected:
    void SetUp() override {
        auto loaded = PluginLibrary::load(testPlugin("test-echo"));
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        library = loaded.value();
    }
    std::unique_ptr<PluginInstance> create(const std::string &config) {
        auto instance = library->instantiate(config, "echo.json", HostServices{});
        EXPECT_TRUE(instance.ok()) << instance.error().message;
        return instance.ok() ? std::move(instance).value() : nullptr;
    }
    std::shared_ptr<PluginLibrary> library;
};

TEST_F(EchoPlugin, UnknownConfigKeyIsNamed) {
    auto instance = library->instantiate(R"({"prefix":"x","colour":"red"})", "partners/dvb.json", HostServices{});
    ASSERT_FALSE(instance.ok());
    const std::string &message = instance.error().message;
    EXPECT_NE(message.find("partners/dvb.json"), std::string::npos) << message;
    EXPECT_NE(message.find("colour"), std::string::npos) << message;
}

TEST_F(EchoPlugin, WrongConfigTypeNamesTheKey) {
    auto instance = library->instantiate(R"({"prefix":42})", "echo.json", HostServices{});
    ASSERT_FALSE(instance.ok());
    EXPECT_NE(instance.error().message.find("/prefix"), std::string::npos) << instance.error().message;
}

TEST_F(EchoPlugin, ConfigThatIsNotJsonIsRefused) {
    auto instance = library->instantiate(R"({"prefix":)", "echo.json", HostServices{});
    ASSERT_FALSE(instance.ok());
    EXPECT_NE(instance.error().message.find("invalid JSON syntax"), std::string::npos) << instance.error().message;
}

TEST_F(EchoPlugin, DuplicateConfigKeyIsRefused) {
    auto instance = library->instantiate(R"({"prefix":"a","prefix":"b"})", "echo.json", HostServices{});
    ASSERT_FALSE(instance.ok());
    EXPECT_NE(instance.error().message.find("/prefix"), std::string::npos) << instance.error().message;
}

TEST_F(EchoPlugin, CreateFailureCarriesThePluginsMessage) {
    auto instance = library->instantiate(R"({"fail_create":true})", "echo.json", HostServices{});
    ASSERT_FALSE(instance.ok());
    EXPECT_NE(instance.error().message.find("create failed"), std::string::npos);
    EXPECT_NE(instance.error().message.find("told to refuse its config"), std::string::npos)
        << instance.error().message;
}

struct StringReader final : ByteReader {
    explicit StringReader(std::string s) : text(std::move(s)) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        std::size_t n = std::min(capacity, text.size() - pos);
        std::copy_n(text.data() + pos, n, buffer);
        pos += n;
        return n;
    }
    std::string text;
    std::size_t pos = 0;
};

struct Collector final : DecodeHandler {
    bool onRecord(std::string_view type, std::string_view json, const RecordLocation &where) override {
        records.push_back(std::string(type) + " " + std::string(json) + " @" + std::to_string(where.line));
        return records.size() < stopAfter;
    }
    void onRecordError(const RecordProblem &p) override {
        errors.push_back(std::to_string(p.where.line) + " " + p.field + " " + p.code);
        messages.push_back(p.message);
    }
    std::vector<std::string> records, errors, messages;
    std::size_t stopAfter = 1000;
};

TEST_F(EchoPlugin, DecodeContinuesAfterABadRecord) {
    auto instance = create("{}");
    StringReader in("alpha\nBAD\ngamma\n");
    Collector out;
    CallOutcome outcome = instance->decode("", in, out);
    EXPECT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(out.records,
              (std::vector<std::string>{R"(test_line {"text":"alpha"} @1)", R"(test_line {"text":"gamma"} @3)"}));
    EXPECT_EQ(out.errors, (std::vector<std::string>{"2 /text bad_line"}));
}

TEST_F(EchoPlugin, WholeInputRejectionIsReported) {
    auto instance = create("{}");
    StringReader in("alpha\nFATAL\n");
    Collector out;
    CallOutcome outcome = instance->decode("", in, out);
    EXPECT_EQ(outcome.status, CallStatus::Input);
    EXPECT_EQ(outcome.code, "control_totals");
    EXPECT_EQ(outcome.message, "the input is truncated");
}

TEST_F(EchoPlugin, ExceptionInsidePluginBecomesInternalStatus) {
    auto instance = create("{}");
    StringReader in("THROW\n");
    Collector out;
    CallOutcome outcome = instance->decode("", in, out);
    EXPECT_EQ(outcome.status, CallStatus::Internal);
    EXPECT_EQ(outcome.message, "boom");
}

TEST_F(EchoPlugin, HostCanStopDecoding) {
    auto instance = create("{}");
    StringReader in("a\nb\nc\n");
    Collector out;
    out.stopAfter = 1;
    CallOutcome outcome = instance->decode("", in, out);
    EXPECT_EQ(outcome.status, CallStatus::Aborted);
    EXPECT_EQ(out.records.size(), 1u);
}

TEST_F(EchoPlugin, ReaderFailureIsAnIoError) {
    struct FailingReader final : ByteReader {
        std::size_t read(char *, std::size_t) override { throw std::runtime_error("disk went away"); }
    } in;
    auto instance = create("{}");
    Collector out;
    CallOutcome outcome = instance->decode("", in, out);
    EXPECT_EQ(outcome.status, CallStatus::Io);
    EXPECT_EQ(outcome.message, "disk went away");
}

TEST_F(EchoPlugin, PluginMessagesAreRedacted) {
    auto instance = create("{}");
    StringReader in("LEAK 123-45-6789\n");
    Collector out;
    EXPECT_TRUE(instance->decode("", in, out).ok());
    ASSERT_EQ(out.messages.size(), 1u);
    EXPECT_EQ(out.messages[0].find("123-45-6789"), std::string::npos) << out.messages[0];
    EXPECT_NE(out.messages[0].find("***-**-6789"), std::string::npos) << out.messages[0];
}

TEST_F(EchoPlugin, EncodePullsRecordsAndWritesBytes) {
    struct Lines final : RecordSource {
        std::vector<std::string> lines{R"({"a":1})", R"({"b":2})"};
        std::size_t i = 0;
        bool next(std::string &json) override {
            if (i == lines.size()) return false;
            json = lines[i++];
            return true;
        }
    } source;
    struct Buffer final : ByteWriter {
        void write(std::string_view bytes) override { text.append(bytes); }
        std::string text;
    } sink;
    auto instance = create("{}");
    CallOutcome outcome = instance->encode("test_line", source, sink);
    EXPECT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(sink.text, "{\"a\":1}\n{\"b\":2}\n");
}

}  // namespace
}  // namespace lendgate::plugin
