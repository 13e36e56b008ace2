// Rendering a journaled message for one destination: canonical JSON with the
// receiver filled in, or the partner's plugin format, and a poison record that
// the plugin refuses reported with everything an operator needs.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/delivery/renderer.h"
#include "tests/core/delivery/delivery_test_support.h"
#include "tests/core/security/security_test_support.h"

namespace lendgate::delivery {
namespace {

using namespace testing;
using lendgate::testing::TempDir;

constexpr const char *kMessageId = "01JF00000000000000000000AA";

journal::ClaimedDelivery claimedFor(std::string destination, std::string body) {
    journal::ClaimedDelivery c;
    c.delivery.deliveryId = 3;
    c.delivery.messageId = kMessageId;
    c.delivery.messageType = "repossession_assignment";
    c.delivery.destination = std::move(destination);
    c.delivery.attempts = 1;
    c.claim = 1;
    c.caseId = "case-1";
    c.body.canonicalJson = std::move(body);
    return c;
}

class RendererTest : public ::testing::Test {
protected:
    RendererTest() {
        config_.partners.push_back(partner("valley_recovery", {webhook("http://127.0.0.1:1/")}));
        std::ofstream(dir_ / "json.json") << R"({"output":"jsonl"})";
        std::ofstream(dir_ / "poison.json") << "{}";
    }

    void bind(const std::string &partnerId, const std::string &plugin, const std::string &configFile) {
        config::FormatBinding binding;
        binding.type = model::MessageType::RepossessionAssignment;
        binding.plugin = plugin;
        binding.pluginConfig = dir_ / configFile;
        for (auto &p : config_.partners)
            if (p.id == partnerId) p.outbound.push_back(binding);
    }

    TempDir dir_;
    config::GatewayConfig config_;
};

TEST_F(RendererTest, WithoutAnOutboundFormatTheCanonicalJsonGoesOutAddressedToTheDestination) {
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog);
    std::string body = assignment("KEY-1");
    auto rendered = renderer.render(claimedFor("valley_recovery", body));
    ASSERT_TRUE(rendered.ok()) << rendered.error().message;
    const OutboundMessage &out = rendered.value();
    EXPECT_EQ(out.messageId, kMessageId);
    EXPECT_EQ(out.messageType, "repossession_assignment");
    EXPECT_EQ(out.destination, "valley_recovery");
    EXPECT_EQ(out.caseId, "case-1");
    EXPECT_EQ(out.contentType, "application/json");
    EXPECT_EQ(out.fileExtension, ".json");

    auto parsed = model::parseMessage(out.body);
    ASSERT_TRUE(parsed.ok()) << "the rendered body is itself a valid canonical message";
    EXPECT_EQ(parsed.message->envelope.receiver, "valley_recovery");
    EXPECT_EQ(parsed.message->envelope.messageId, kMessageId);
    EXPECT_EQ(parsed.message->envelope.idempotencyKey, "KEY-1");
    EXPECT_NE(out.body.find("\"payoff_amount\":\"28411.05\""), std::string::npos) << "amounts keep their scale";
}

TEST_F(RendererTest, AnOutboundBindingEncodesThroughThePlugin) {
    bind("valley_recovery", "json", "json.json");
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog);
    auto rendered = renderer.render(claimedFor("valley_recovery", assignment("KEY-2")));
    ASSERT_TRUE(rendered.ok()) << rendered.error().message;
    EXPECT_EQ(rendered.value().contentType, "application/json");
    EXPECT_EQ(rendered.value().fileExtension, ".json");
    EXPECT_EQ(rendered.value().body.back(), '\n') << "JSON lines: one record, one line";
    EXPECT_TRUE(model::parseMessage(rendered.value().body.substr(0, rendered.value().body.size() - 1)).ok());
}

TEST_F(RendererTest, APluginThatRefusesTheRecordNamesPluginMessageAndReason) {
    bind("valley_recovery", "test-poison", "poison.json");
    plugin::PluginCatalog catalog(TEST_PLUGIN_DIR, {});
    Renderer renderer(config_, catalog);

    auto fine = renderer.render(claimedFor("valley_recovery", assignment("KEY-3")));
    ASSERT_TRUE(fine.ok()) << fine.error().message;
    EXPECT_EQ(fine.value().contentType, "text/plain");
    EXPECT_EQ(fine.value().fileExtension, ".txt");

    auto refused = renderer.render(claimedFor("valley_recovery", assignment("KEY-POISON")));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "render");
    EXPECT_NE(refused.error().message.find("plugin test-poison"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find(kMessageId), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("POISON marker"), std::string::npos) << refused.error().message;

    auto skipped = renderer.render(claimedFor("valley_recovery", assignment("KEY-SKIPME")));
    ASSERT_FALSE(skipped.ok()) << "a record the encoder skipped must not go out as an empty success";
    EXPECT_NE(skipped.error().message.find("marked SKIPME"), std::string::npos) << skipped.error().message;
}

TEST_F(RendererTest, ABodyKeptOnlyInABlobIsNotYetSupported) {
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog);
    journal::ClaimedDelivery c = claimedFor("valley_recovery", "");
    c.body.blobId = "blob-1";
    c.body.slice = journal::BlobSlice{10, 200};
    auto rendered = renderer.render(c);
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.error().code, "unsupported");
    EXPECT_NE(rendered.error().message.find("slice"), std::string::npos) << rendered.error().message;
}

TEST_F(RendererTest, AStoredRecordThatNoLongerParsesIsARenderError) {
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    Renderer renderer(config_, catalog);
    auto rendered = renderer.render(claimedFor("valley_recovery", R"({"message_type":"repossession_assignment"})"));
    ASSERT_FALSE(rendered.ok());
    EXPECT_EQ(rendered.error().code, "render");
}

TEST_F(RendererTest, MediaTypesMapToFileExtensions) {
    EXPECT_EQ(fileExtensionFor("application/json"), ".json");
    EXPECT_EQ(fileExtensionFor("application/vnd.lendgate+json"), ".json");
    EXPECT_EQ(fileExtensionFor("text/csv; charset=utf-8"), ".csv");
    EXPECT_EQ(fileExtensionFor("application/xml"), ".xml");
    EXPECT_EQ(fileExtensionFor("text/xml"), ".xml");
    EXPECT_EQ(fileExtensionFor("text/plain"), ".txt");
    EXPECT_EQ(fileExtensionFor("application/octet-stream"), ".dat");
}

namespace {

class Collected final : public plugin::ByteWriter {
public:
    void write(std::string_view bytes) override { out.append(bytes); }
    std::string out;
};

// Desert Valley Bank's ACK of a file of `records` records, every seventh refused.
std::string bankAck(int records) {
    std::string document =
        R"({"message_id":"01JDRA00000000000000000400","message_type":"ack","schema_version":"1.0",)"
        R"("sender":"lendgate","receiver":"desert-valley-bank","idempotency_key":"lendgate:ack:01JDRA00000000000000000400",)"
        R"("occurred_at":"2026-11-23T13:00:09Z","payload":{"subject":{"kind":"FILE","reference":"DVB_DELQ_20261123_002.csv",)"
        R"("sha256":"9f2c"},"status":"PARTIAL","counts":{"received":)" +
        std::to_string(records) + R"(,"accepted":0,"rejected":0,"duplicates":0},"records":[)";
    for (int i = 1; i <= records; ++i) {
        if (i > 1) document += ',';
        const std::string n = std::to_string(i);
        document += i % 7 == 0 ? R"({"record":)" + n + R"(,"status":"REJECTED","idempotency_key":"DVB-)" + n +
                                     R"(","errors":[{"field":"/payload/loan","code":"date","text":"a, b ] c"}]})"
                               : R"({"record":)" + n + R"(,"status":"ACCEPTED","message_id":"01JDRA0000000000000000)" +
                                     std::string(4 - std::min<std::size_t>(4, n.size()), '0') + n +
                                     R"(","idempotency_key":"DVB-)" + n + R"(","duplicate":false})";
    }
    return document + R"(],"errors":[]}})";
}

}  // namespace

TEST_F(RendererTest, ALargeAckGoesToAPluginThatTakesSlicesAndComesOutAsTheWholeAckWould) {
    config::FormatBinding binding;
    binding.type = model::MessageType::Ack;
    binding.plugin = "delimited";
    binding.pluginConfig = std::string(SOURCE_DIR) + "/config/plugins/dvb-ack.json";
    config_.partners.push_back(partner("desert-valley-bank", {}));
    config_.partners.back().outbound.push_back(binding);
    plugin::PluginCatalog catalog(PLUGIN_DIR, {});
    auto info = catalog.info("delimited");
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_TRUE(info.value().takesAckSlices());
    Renderer renderer(config_, catalog);

    const std::string document = bankAck(2500);
    Collected sliced;
    auto format = renderer.renderCanonicalTo(config_.partners.back(), model::MessageType::Ack, document,
                                             "the ACK of a test file", sliced);
    ASSERT_TRUE(format.ok()) << format.error().message;
    EXPECT_EQ(format.value().fileExtension, ".csv");

    plugin::OneRecordSource whole(document);
    Collected expected;
    auto called = catalog.with("delimited", binding.pluginConfig, [&](plugin::PluginInstance &instance) {
        return instance.encode("ack", whole, expected);
    });
    ASSERT_TRUE(called.ok() && called.value().ok());
    EXPECT_EQ(sliced.out, expected.out) << "three slices make the file the whole ACK makes";
    EXPECT_EQ(std::count(sliced.out.begin(), sliced.out.end(), '\n'), 2500 + 3) << "column names, H, 2,500 D, T";
    EXPECT_NE(sliced.out.find("\nT,2500,2500,"), std::string::npos) << "one trailer counts every record";
}

}  // namespace
}  // namespace lendgate::delivery
