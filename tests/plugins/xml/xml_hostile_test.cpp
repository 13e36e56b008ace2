// Hostile documents (RELIABILITY.md, "Hostile input classes"): each one ends in
// a clean refusal or a record error, never a crash, a hang, a file or network
// access, unbounded memory, or a word from libxml2 on the process's stderr.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>

#include "xml_test_support.h"

namespace {

using lendgate::test::CallResult;
using namespace lendgate::xmltest;

// Records with one value each: small enough to build hostile variants of by hand.
const char *kConfig = R"({
  "message_type": "referral_update", "root": "Updates", "record": "Update",
  "limits": {"max_depth": 8, "max_record_bytes": 65536, "max_record_nodes": 200, "max_text_bytes": 4096},
  "fields": [
    {"path": "@id", "to": "/idempotency_key", "required": true},
    {"const": "2026-12-01T00:00:00Z", "to": "/occurred_at"},
    {"path": "Referral", "to": "/payload/referral_id", "required": true},
    {"path": "Status", "to": "/payload/status", "required": true}
  ]
})";

std::string update(int n, const std::string &referral = "R-1") {
    return "<Update id=\"U-" + std::to_string(n) + "\"><Referral>" + referral +
           "</Referral><Status>accepted</Status></Update>";
}

// Captures what the process writes to stderr (fd 2) while `body` runs.
template <class Body>
std::string stderrOf(Body &&body) {
    std::fflush(stderr);
    char path[] = "/tmp/lendgate-xml-stderr-XXXXXX";
    const int file = mkstemp(path);
    const int saved = dup(2);
    dup2(file, 2);
    body();
    std::fflush(stderr);
    dup2(saved, 2);
    close(saved);
    const std::string text = lendgate::test::readFile(path);
    close(file);
    unlink(path);
    return text;
}

CallResult decode(const std::string &input, const char *config = kConfig, std::size_t chunk = 4096) {
    CallResult result;
    const std::string noise = stderrOf([&] { result = plugin().create(config).decode(input, nullptr, chunk); });
    EXPECT_EQ(noise, "") << "libxml2 wrote to stderr";
    return result;
}

void expectRefused(const CallResult &result, const std::string &code) {
    EXPECT_EQ(result.status, LENDGATE_ERR_INPUT) << result.failureCode() << ": " << result.failureMessage();
    EXPECT_EQ(result.failureCode(), code) << result.failureMessage();
}

std::string updates(const std::string &records) {
    return "<Updates>" + records + "</Updates>";
}

std::string nested(const std::string &name, std::size_t depth) {
    std::string open, close;
    for (std::size_t i = 0; i < depth; ++i) {
        open += "<" + name + ">";
        close += "</" + name + ">";
    }
    return open + close;
}

TEST(XmlHostile, BillionLaughsIsRefusedBeforeAnyEntityIsDeclared) {
    std::string dtd = "<!DOCTYPE Updates [<!ENTITY lol \"lol\">";
    for (int i = 1; i < 10; ++i) dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + std::string(10, '&') + "\">";
    for (int i = 1; i < 10; ++i) {
        std::string refs;
        for (int j = 0; j < 10; ++j) refs += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
        dtd += "<!ENTITY lol" + std::to_string(i) + "b \"" + refs + "\">";
    }
    dtd += "]>";
    const auto result = decode("<?xml version=\"1.0\"?>\n" + dtd + updates(update(1, "&lol9b;")));
    expectRefused(result, "doctype");
    EXPECT_TRUE(result.records.empty());
}

TEST(XmlHostile, ExternalEntitiesAndDtdsAreNeverFetched) {
    const std::string cases[] = {
        "<!DOCTYPE Updates [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + updates(update(1, "&xxe;")),
        "<!DOCTYPE Updates [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/secret\">]>" + updates(update(1, "&xxe;")),
        "<!DOCTYPE Updates SYSTEM \"http://127.0.0.1:9/evil.dtd\">" + updates(update(1)),
        "<!DOCTYPE Updates [<!ENTITY % remote SYSTEM \"file:///etc/passwd\"> %remote;]>" + updates(update(1)),
        "<!DOCTYPE Updates PUBLIC \"-//X//Y\" \"file:///etc/hostname\">" + updates(update(1)),
    };
    for (const std::string &input : cases) {
        const auto result = decode(input);
        expectRefused(result, "doctype");
        EXPECT_EQ(result.jsonLines().find("root:"), std::string::npos);
    }
}

TEST(XmlHostile, ADoctypeIsFoundWhereverTheReadsSplitItAndWhatComesBefore) {
    const std::string input =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a comment -- with <!DOCTYPE> -->"
        "<?pi <!DOCTYPE ?>\n<!DOCTYPE Updates>" +
        updates(update(1));
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 4096u}) expectRefused(decode(input, kConfig, chunk), "doctype");
    // The same prolog without the DOCTYPE is fine: comments and PIs are not mistaken for one.
    const std::string clean =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- <!DOCTYPE> -->"
        "<?pi <!DOCTYPE ?>\n" +
        updates(update(1));
    const auto result = decode(clean, kConfig, 1);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    EXPECT_EQ(result.records.size(), 1u);
    // After the root element a DOCTYPE is simply not XML.
    expectRefused(decode(updates(update(1)) + "<!DOCTYPE Updates>"), "not_well_formed");
}

TEST(XmlHostile, DeepNestingIsARecordErrorAndPastLibxml2sLimitARefusal) {
    const std::string deep =
        "<Update id=\"U-2\"><Referral>R</Referral><Status>x</Status>" + nested("x", 12) + "</Update>";
    const auto result = decode(updates(update(1) + deep + update(3)));
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, "record_too_deep");
    EXPECT_EQ(result.errors[0].where.record, 2u);
    EXPECT_EQ(result.records.size(), 2u);
    // libxml2 refuses documents deeper than 256 levels whatever the configuration says.
    const auto refused = decode(updates("<Update id=\"U-1\">" + nested("x", 300) + "</Update>"));
    EXPECT_EQ(refused.status, LENDGATE_ERR_INPUT);
    EXPECT_FALSE(refused.failureCode().empty());
}

TEST(XmlHostile, HugeTextNodesAreCappedAtEveryLevel) {
    // Over max_text_bytes: that record is refused, the next one is read.
    const auto longText = decode(updates(update(1, std::string(5000, 'x')) + update(2)));
    EXPECT_EQ(longText.status, LENDGATE_OK);
    ASSERT_EQ(longText.errors.size(), 1u);
    EXPECT_EQ(longText.errors[0].code, "text_too_long");
    EXPECT_EQ(longText.records.size(), 1u);
    // Over max_record_bytes: the reader would have to hold it, so the document is refused.
    expectRefused(decode(updates(update(1) + update(2, std::string(200000, 'x')))), "record_too_large");
    // Over libxml2's own 10 MB text limit, with the plugin's limits at their highest.
    const std::string generous = R"({"message_type": "referral_update", "root": "Updates", "record": "Update",
      "limits": {"max_record_bytes": 67108864, "max_text_bytes": 8388608},
      "fields": [{"path": "Referral", "to": "/payload/referral_id"}]})";
    expectRefused(decode(updates(update(1, std::string(11u << 20, 'x'))), generous.c_str()), "too_large");
}

TEST(XmlHostile, RecordsWithTooManyNodesAreRefusedOneByOne) {
    std::string crowd = "<Update id=\"U-2\">";
    for (int i = 0; i < 300; ++i) crowd += "<n/>";
    crowd += "</Update>";
    const auto result = decode(updates(update(1) + crowd + update(3)));
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].code, "too_many_nodes");
    EXPECT_EQ(result.records.size(), 2u);
}

// An oversized record stops the reader before it is in memory: the peak does not
// grow with the record (a 24 MB record of small elements would take ~150 MB as a tree).
TEST(XmlHostile, AnOversizedRecordIsNeverReadIntoMemory) {
    std::string input = "<Updates><Update id=\"U-1\">";
    input.reserve(24u << 20);
    while (input.size() < (24u << 20)) input += "<a b=\"c\"/><d>e</d>";
    input += "</Update></Updates>";
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    expectRefused(decode(input), "record_too_large");
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 32 * 1024) << "peak RSS grew by KiB";
}

TEST(XmlHostile, BytesThatAreNotUtf8AreRefused) {
    const std::string cases[] = {
        updates(update(1, "\xC3\x28")),      // a broken two-byte sequence
        updates(update(1, "\xC0\xAF")),      // an overlong '/'
        updates(update(1, "\xED\xA0\x80")),  // a UTF-16 surrogate
        updates(update(1, "caf\xE9")),       // Latin-1
        std::string("\xFF\xFE<\0U\0", 6),    // UTF-16 with a byte order mark
        std::string("<\0?\0x\0m\0l\0", 10),  // UTF-16 without one
        std::string("<\0\0\0U\0\0\0", 8),    // UCS-4, which libxml2 would convert (and complain on stderr)
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + updates(update(1)),
        "<?xml version='1.0' encoding='UTF-16'?>" + updates(update(1)),
    };
    for (const std::string &input : cases) {
        SCOPED_TRACE(testing::PrintToString(input));
        const auto result = decode(input);
        expectRefused(result, "encoding");
        EXPECT_EQ(result.failureMessage().find("0x"), std::string::npos) << result.failureMessage();
    }
    // Declared UTF-8 in any letter case, or US-ASCII, is fine.
    EXPECT_EQ(decode("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + updates(update(1))).status, LENDGATE_OK);
    EXPECT_EQ(decode("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>" + updates(update(1))).status, LENDGATE_OK);
}

TEST(XmlHostile, ASecondRootAndStrayContentAreRefused) {
    expectRefused(decode(updates(update(1)) + updates(update(2))), "not_well_formed");
    expectRefused(decode(updates(update(1)) + "trailing text"), "not_well_formed");
    expectRefused(decode(updates(update(1, "&unknown;"))), "not_well_formed");
    expectRefused(decode(updates(update(1, "&#0;"))), "not_well_formed");
    expectRefused(decode(updates(update(1, "<b>unclosed"))), "not_well_formed");
    expectRefused(decode("<Other/>"), "root");
    expectRefused(decode(updates(update(1) + "<Header/>" + update(2))), "unexpected_element");
    expectRefused(decode(updates(update(1) + "loose words" + update(2))), "text_outside_records");
    expectRefused(decode(""), "empty");
    expectRefused(decode(" \n\t"), "empty");
    expectRefused(decode("<?xml version=\"1.0\"?><!-- nothing -->"), "empty");
}

// Cut anywhere, a document is refused whole (never half its records taken as all of them).
TEST(XmlHostile, ATruncatedDocumentIsRefusedWhereverItIsCut) {
    const std::string whole = "<?xml version=\"1.0\"?>\n" + updates("\n" + update(1) + "\n" + update(2) + "\n");
    ASSERT_EQ(decode(whole).status, LENDGATE_OK);
    for (std::size_t cut = 0; cut + 1 < whole.size(); ++cut) {
        const auto result = decode(whole.substr(0, cut), kConfig, 1 + cut % 7);
        EXPECT_EQ(result.status, LENDGATE_ERR_INPUT) << "cut at " << cut;
        const std::string code = result.failureCode();
        EXPECT_TRUE(code == "truncated" || code == "empty" || code == "not_well_formed") << cut << ": " << code;
    }
}

TEST(XmlHostile, RandomBytesEndInACleanStatus) {
    std::mt19937 random(20261124);
    const std::string alphabet = "<>/=\"'&;!?-[]x \n\xC3\xA9\x00\xFF";
    for (int round = 0; round < 300; ++round) {
        std::string input(random() % 400, '\0');
        const bool structured = round % 2 == 0;
        for (char &c : input)
            c = structured ? alphabet[random() % alphabet.size()] : static_cast<char>(random() & 0xFF);
        if (structured) input = "<Updates>" + input;
        const auto result = decode(input, kConfig, 1 + random() % 64);
        EXPECT_TRUE(result.status == LENDGATE_OK || result.status == LENDGATE_ERR_INPUT) << result.status;
        for (const auto &e : result.errors) EXPECT_FALSE(e.code.empty());
    }
}

TEST(XmlHostile, XIncludeAndSchemaLocationHintsAreNotFollowed) {
    const std::string input =
        "<Updates xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:x http://127.0.0.1:9/x.xsd\">"
        "<Update id=\"U-1\"><Referral><xi:include href=\"file:///etc/passwd\" parse=\"text\"/>R-1</Referral>"
        "<Status>accepted</Status></Update></Updates>";
    const auto result = decode(input);
    EXPECT_EQ(result.status, LENDGATE_OK) << result.failureMessage();
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_NE(result.records[0].json.find(R"("referral_id":"R-1")"), std::string::npos) << result.records[0].json;
    // With an XSD the validator ignores instance hints and uses only the configured schema.
    auto sample = lendgate::test::readFile(repoPath("samples/saguaro-fcu/SFCU_HARDSHIP_20261124_001.xml"));
    const std::string root = "<HardshipApplications ";
    sample.replace(sample.find(root), root.size(),
                   root +
                       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                       "xsi:schemaLocation=\"urn:saguaro-fcu:lendgate:hardship:1 http://127.0.0.1:9/evil.xsd\" ");
    const std::string config = shippedConfig("sfcu-hardship-application.json");
    const auto validated = decode(sample, config.c_str());
    EXPECT_EQ(validated.status, LENDGATE_OK) << validated.failureMessage();
    EXPECT_EQ(validated.records.size(), 8u);
}

TEST(XmlHostile, MessagesNeverCarryTheDocumentsValues) {
    const std::string config = shippedConfig("sfcu-hardship-application.json");
    auto sample = lendgate::test::readFile(repoPath("samples/saguaro-fcu/SFCU_HARDSHIP_20261124_001.xml"));
    const std::pair<std::string, std::string> damage[] = {
        {"<AccountNumber>7781002934</AccountNumber>", "<AccountNumber>SSN-078-05-1120</AccountNumber>"},
        {"<Income type=\"WAGES\">2480.00</Income>", "<Income type=\"WAGES\">Smith 078-05-1120</Income>"},
        {"<Reason code=\"INCOME\"/>", "<Reason code=\"Zyx atomic type 'Hidden'\"/>"},
        {"<Household size=\"3\"/>", "<Household size=\"NinetyNine\"/>"},
    };
    for (const auto &[from, to] : damage) sample.replace(sample.find(from), from.size(), to);
    for (const bool withXsd : {true, false}) {
        const std::string c = withXsd ? config : shippedConfig("sfcu-hardship-application.json", false);
        const auto result = decode(sample, c.c_str());
        EXPECT_FALSE(result.errors.empty());
        for (const auto &e : result.errors)
            for (const char *secret : {"078-05", "Smith", "Zyx", "Hidden", "NinetyNine"}) {
                EXPECT_EQ(e.message.find(secret), std::string::npos) << e.message;
                EXPECT_EQ(e.field.find(secret), std::string::npos) << e.field;
            }
    }
}

}  // namespace
