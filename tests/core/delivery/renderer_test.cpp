// Rendering a journaled message for one destination: canonical JSON with the
// receiver filled in, or the partner's plugin format, and a poison record that
// the plugin refuses reported with everything an operator needs.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace lendgate::delivery
