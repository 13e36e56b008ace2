// The generic XML plugin: partner XML documents in and out, every element and
// attribute mapped to the canonical model by configuration. See README.md.
#include <lendgate/plugin.hpp>

#include <memory>
#include <string_view>

#include "config_schema.h"
#include "xml_config.h"
#include "xml_decoder.h"
#include "xml_encoder.h"
#include "xml_runtime.h"

namespace lendgate::xml {
namespace {

// Which type a document carries is the configuration's choice: the types
// partners send can be decoded, every type can be written for a partner.
constexpr lendgate_format kDecodes[] = {
    {"delinquency_notice", "application/xml"},
    {"account_update", "application/xml"},
    {"consent", "application/xml"},
    {"hardship_application", "application/xml"},
    {"hardship_decision", "application/xml"},
    {"repossession_assignment", "application/xml"},
    {"repossession_outcome", "application/xml"},
    {"referral_update", "application/xml"},
};
constexpr lendgate_format kEncodes[] = {
    {"delinquency_notice", "application/xml"},
    {"account_update", "application/xml"},
    {"consent", "application/xml"},
    {"hardship_application", "application/xml"},
    {"hardship_decision", "application/xml"},
    {"repossession_assignment", "application/xml"},
    {"repossession_outcome", "application/xml"},
    {"referral", "application/xml"},
    {"referral_update", "application/xml"},
    {"ack", "application/xml"},
};

class XmlPlugin final : public Plugin {
public:
    static PluginTraits traits() {
        return PluginTraits{
            "xml",
            "1.0.0",
            "XML documents (a record element repeated under a root, or one record per document), optionally "
            "validated against an XSD, mapped to and from canonical records by configuration",
            kConfigSchema,
            kDecodes,
            kEncodes,
            true,
        };
    }

    XmlPlugin(const Host &host, std::string_view config) : config_(parseConfig(config)) {
        config_.xsdPath = host.resolveConfigPath(config_.xsdPath);
        // libxml2's global set-up happens here, once, before any thread decodes.
        initLibxml();
        if (!config_.xsdPath.empty())
            schema_ = CompiledSchema::load(config_.xsdPath, config_.record ? *config_.record : config_.root);
    }

    void decode(DecodeContext &ctx) override { XmlDecoder(config_, schema_.get(), ctx).run(); }
    void encode(EncodeContext &ctx) override { XmlEncoder(config_, ctx).run(); }

private:
    XmlConfig config_;
    std::shared_ptr<const CompiledSchema> schema_;
};

}  // namespace
}  // namespace lendgate::xml

LENDGATE_EXPORT_PLUGIN(lendgate::xml::XmlPlugin)
