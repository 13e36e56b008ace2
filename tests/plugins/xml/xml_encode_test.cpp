// Encoding: canonical records to partner XML with xmlTextWriter. Values are
// escaped by the writer and read back unchanged; what XML cannot carry, or the
// partner's format cannot say, is a record error and the document stays whole.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <string>
#include <vector>

#include "xml_test_support.h"

namespace {

using lendgate::test::readFile;
using namespace lendgate::xmltest;

// Validates `xml` against an XSD the way a partner would, with libxml2 kept quiet.
std::vector<std::string> schemaErrors(const std::string &xsdPath, const std::string &xml) {
    std::vector<std::string> errors;
    auto collect = [](void *ctx, xmlErrorPtr e) {
        static_cast<std::vector<std::string> *>(ctx)->push_back(e != nullptr && e->message ? e->message : "?");
    };
    const std::string xsd = readFile(xsdPath);
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size()));
    xmlSchemaSetParserStructuredErrors(parser, collect, &errors);
    xmlSchemaPtr schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (schema == nullptr) return {"schema does not compile"};
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == nullptr) {
        errors.push_back("not well-formed");
    } else {
        xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
        xmlSchemaSetValidStructuredErrors(validator, collect, &errors);
        xmlSchemaValidateDoc(validator, doc);
        xmlSchemaFreeValidCtxt(validator);
        xmlFreeDoc(doc);
    }
    xmlSchemaFree(schema);
    return errors;
}

const char *kUpdates = R"({
  "message_type": "referral_update", "root": "Updates", "record": "Update",
  "namespace": "urn:example:updates", "root_attributes": {"version": "2"},
  "fields": [
    {"path": "@key", "to": "/idempotency_key", "required": true},
    {"path": "@at", "to": "/occurred_at", "transform": "date_time"},
    {"path": "Referral", "to": "/payload/referral_id", "required": true},
    {"path": "Status", "to": "/payload/status", "transform": "code_table", "required": true,
     "codes": {"A": "accepted", "C": "completed", "DONE": "completed"}},
    {"path": "Status/@note", "to": "/payload/reason"},
    {"path": "Outcome", "to": "/payload/outcome_note"},
    {"const": "lendgate", "path": "@source"}
  ]
})";

std::string update(const std::string &key, const std::string &status, const std::string &extra = "") {
    return R"({"message_type":"referral_update","schema_version":"1.0","idempotency_key":")" + key +
           R"(","occurred_at":"2026-12-06T10:00:00-07:00","payload":{"referral_id":"R-1","status":")" + status + "\"" +
           extra + "}}";
}

TEST(XmlEncode, WritesOneRecordElementPerRecordWithConstantsAndReverseCodes) {
    auto instance = plugin().create(kUpdates);
    const auto result = instance.encode({update("K-1", "accepted"), update("K-2", "completed")}, "referral_update");
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.output,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<Updates xmlns=\"urn:example:updates\" version=\"2\">\n"
              "  <Update key=\"K-1\" at=\"2026-12-06T10:00:00-07:00\" source=\"lendgate\">\n"
              "    <Referral>R-1</Referral>\n"
              "    <Status>A</Status>\n"
              "  </Update>\n"
              "  <Update key=\"K-2\" at=\"2026-12-06T10:00:00-07:00\" source=\"lendgate\">\n"
              "    <Referral>R-1</Referral>\n"
              "    <Status>C</Status>\n"  // the first partner code of a value is the one written
              "  </Update>\n"
              "</Updates>\n");
    const auto none = instance.encode({}, "referral_update");
    EXPECT_EQ(none.output,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Updates xmlns=\"urn:example:updates\" version=\"2\"/>\n");
}

TEST(XmlEncode, EscapesValuesAndReadsThemBackUnchanged) {
    const std::string tricky =
        R"(,"reason":"<b>&amp;\" 'x' \t tab\nline\r\n]]> caf\u00e9 \ud83d\ude97","outcome_note":"a<![CDATA[b]]>c")";
    const std::string record = update(R"(K-&<\"1\">)", "accepted", tricky);
    auto instance = plugin().create(kUpdates);
    const auto encoded = instance.encode({record}, "referral_update");
    ASSERT_EQ(encoded.status, LENDGATE_OK) << encoded.failureMessage();
    EXPECT_NE(encoded.output.find("key=\"K-&amp;&lt;&quot;1&quot;&gt;\""), std::string::npos) << encoded.output;
    EXPECT_NE(encoded.output.find("&#9; tab&#10;line&#13;&#10;"), std::string::npos) << encoded.output;
    const auto decoded = instance.decode(encoded.output, "referral_update");
    ASSERT_EQ(decoded.records.size(), 1u) << decoded.failureMessage();
    EXPECT_EQ(nlohmann::json::parse(decoded.records[0].json), nlohmann::json::parse(record));
}

TEST(XmlEncode, WhatXmlOrThePartnerFormatCannotCarryIsARecordError) {
    auto instance = plugin().create(kUpdates);
    const auto result = instance.encode(
        {update("K-1", "accepted"), update("K-2", "accepted", R"(,"reason":"bell\u0007")"),
         update("K-3", "accepted", R"(,"outcome_note":"x\uFFFEy")"), update("K-4", "on-hold"),
         R"({"message_type":"referral_update","idempotency_key":"K-5","payload":{"status":"accepted"}})",
         update("K-6", "accepted", R"(,"outcome_note":{"nested":1})"), "{not json", R"({"message_type":"ack"})",
         update("K-9", "completed")},
        "referral_update");
    EXPECT_EQ(result.status, LENDGATE_OK);
    EXPECT_EQ(errorReport(result),
              "record 2: /payload/reason: xml_char: field /payload/reason: holds characters XML 1.0 cannot carry "
              "(control characters, U+FFFE, U+FFFF)\n"
              "record 3: /payload/outcome_note: xml_char: field /payload/outcome_note: holds characters XML 1.0 cannot "
              "carry (control characters, U+FFFE, U+FFFF)\n"
              "record 4: /payload/status: code: field /payload/status: has no partner code in the code table\n"
              "record 5: /payload/referral_id: required: field /payload/referral_id: is required by the partner format "
              "but missing\n"
              "record 6: /payload/outcome_note: type: field /payload/outcome_note: is not a string, a whole number or "
              "true/false\n"
              "record 7: -: json: the record is not valid JSON\n"
              "record 8: /message_type: message_type: the record is not a referral_update object\n");
    const auto back = instance.decode(result.output, "referral_update");
    EXPECT_EQ(back.status, LENDGATE_OK) << back.failureMessage();
    ASSERT_EQ(back.records.size(), 2u);
    EXPECT_NE(back.records[1].json.find("K-9"), std::string::npos);
    for (const auto &e : result.errors) EXPECT_EQ(e.message.find("bell"), std::string::npos);
}

TEST(XmlEncode, ASingleDocumentFormatWritesOneRecordOrNothing) {
    auto instance = plugin().create(shippedConfig("sfcu-ack.json"));
    const std::string ack = lines(readFile(goldenPath("SFCU_ACK_20261125_001.input.jsonl")))[0];
    const auto two = instance.encode({ack, ack}, "ack");
    EXPECT_EQ(two.status, LENDGATE_OK);
    EXPECT_EQ(two.output, readFile(goldenPath("SFCU_ACK_20261125_001.expected.xml")));
    EXPECT_EQ(errorReport(two),
              "record 2: -: single_document: this configuration writes one record per document; "
              "the record was left out\n");
    EXPECT_EQ(instance.encode({}, "ack").output, "");
    EXPECT_EQ(instance.encode({"{}"}, "ack").output, "");  // refused: nothing to write
    EXPECT_EQ(instance.encode({ack}, "referral_update").status, LENDGATE_ERR_UNSUPPORTED);
}

TEST(XmlEncode, WritesCompactDocumentsWhenAskedTo) {
    auto config = nlohmann::ordered_json::parse(kUpdates);
    config["indent"] = false;
    const auto result = plugin().create(config.dump()).encode({update("K-1", "accepted")}, "referral_update");
    EXPECT_EQ(result.output,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Updates xmlns=\"urn:example:updates\" "
              "version=\"2\"><Update key=\"K-1\" at=\"2026-12-06T10:00:00-07:00\" source=\"lendgate\">"
              "<Referral>R-1</Referral><Status>A</Status></Update></Updates>\n");
}

// The inbound formats written back out are valid against the credit union's own
// XSDs and read back to the same records: the mapping is one description of the format.
TEST(XmlEncode, InboundFormatsRoundTripThroughTheirXsds) {
    struct Format {
        const char *config, *type, *records, *xsd, *fileHeader;
    } formats[] = {
        {"sfcu-hardship-application.json", "hardship_application", "SFCU_HARDSHIP_20261124_001.expected.jsonl",
         "config/plugins/sfcu-hardship-applications.xsd",
         R"({"fileId": "SFCU-HA-20261124-001", "created": "2026-11-24T18:00:00-07:00"})"},
        {"sfcu-hardship-decision.json", "hardship_decision", "SFCU_DECISIONS_20261201_001.expected.jsonl",
         "config/plugins/sfcu-hardship-decisions.xsd", R"({"fileId": "SFCU-HD-20261201-001"})"},
    };
    for (const Format &f : formats) {
        // The credit union's file header, which the gateway never writes to it, as fixed root attributes.
        auto config = nlohmann::ordered_json::parse(shippedConfig(f.config));
        config["root_attributes"] = nlohmann::ordered_json::parse(f.fileHeader);
        auto instance = plugin().create(config.dump());
        const std::string records = readFile(goldenPath(f.records));
        const auto encoded = instance.encode(lines(records), f.type);
        ASSERT_EQ(encoded.status, LENDGATE_OK) << f.config << ": " << encoded.failureMessage();
        EXPECT_EQ(errorReport(encoded), "");
        EXPECT_EQ(schemaErrors(repoPath(f.xsd), encoded.output), std::vector<std::string>{}) << f.config;
        const auto decoded = instance.decode(encoded.output, f.type);
        EXPECT_EQ(decoded.status, LENDGATE_OK) << decoded.failureMessage();
        EXPECT_EQ(decoded.jsonLines(), records) << f.config;
    }
}

TEST(XmlEncode, OutboundGoldenDocumentsAreValidAgainstThePublishedXsds) {
    const std::pair<const char *, const char *> documents[] = {
        {"SFCU_ACK_20261124_001.expected.xml", "config/plugins/sfcu-ack.xsd"},
        {"SFCU_ACK_20261125_001.expected.xml", "config/plugins/sfcu-ack.xsd"},
        {"SFCU_OUTCOMES_20261205.expected.xml", "config/plugins/sfcu-repossession-outcomes.xsd"},
        {"SFCU_REFERRAL_UPDATES_20261212.expected.xml", "config/plugins/sfcu-referral-updates.xsd"},
        {"SFCU_SERVICER_DECISIONS_20261126.expected.xml", "config/plugins/sfcu-servicer-decisions.xsd"},
        {"SFCU_ACCOUNT_UPDATES_20261210.expected.xml", "config/plugins/sfcu-account-updates.xsd"},
    };
    for (const auto &[document, xsd] : documents)
        EXPECT_EQ(schemaErrors(repoPath(xsd), readFile(goldenPath(document))), std::vector<std::string>{}) << document;
}

}  // namespace
