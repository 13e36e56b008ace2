// libxml2 as the plugin uses it: the prolog guard that refuses a DOCTYPE
// before libxml2 sees it, and the descriptions of libxml2's errors, which
// must name elements and the kind of problem but never the document's values.
#include <gtest/gtest.h>
#include <libxml/parser.h>

#include <string>

#include "xml_runtime.h"

namespace {

using lendgate::xml::describeParserError;
using lendgate::xml::describeSchemaError;
using lendgate::xml::elementPath;
using lendgate::xml::PrologGuard;

PrologGuard::Verdict feedAll(const std::string &text, std::size_t chunk) {
    PrologGuard guard;
    for (std::size_t at = 0; at < text.size(); at += chunk) {
        const auto verdict = guard.feed(text.data() + at, std::min(chunk, text.size() - at));
        if (verdict != PrologGuard::Verdict::Continue) return verdict;
    }
    return PrologGuard::Verdict::Continue;
}

TEST(XmlPrologGuard, RefusesADoctypeHoweverTheBytesArrive) {
    for (std::size_t chunk : {1u, 2u, 5u, 100u}) {
        EXPECT_EQ(feedAll("<!DOCTYPE r><r/>", chunk), PrologGuard::Verdict::Doctype);
        EXPECT_EQ(feedAll("\xEF\xBB\xBF<?xml version='1.0'?><!--x--><?p a?>\n<!DOCTYPE r><r/>", chunk),
                  PrologGuard::Verdict::Doctype);
        EXPECT_EQ(feedAll("<?xml version='1.0'?><![CDATA[x]]><r/>", chunk), PrologGuard::Verdict::Doctype);
        EXPECT_EQ(feedAll("<?xml version='1.0'?><!-- <!DOCTYPE r> --><r><!DOCTYPE x></r>", chunk),
                  PrologGuard::Verdict::Continue);
        EXPECT_EQ(feedAll("<r/><!DOCTYPE r>", chunk), PrologGuard::Verdict::Continue);  // libxml2 refuses it
    }
}

TEST(XmlPrologGuard, RefusesEncodingsOtherThanUtf8) {
    EXPECT_EQ(feedAll("\xFE\xFF\x00<", 1), PrologGuard::Verdict::Encoding);
    EXPECT_EQ(feedAll("\xFF\xFE<\x00", 1), PrologGuard::Verdict::Encoding);
    EXPECT_EQ(feedAll(std::string("\x00<\x00?", 4), 1), PrologGuard::Verdict::Encoding);
    EXPECT_EQ(feedAll("<?xml version=\"1.0\" encoding=\"windows-1252\"?><r/>", 3), PrologGuard::Verdict::Encoding);
    EXPECT_EQ(feedAll("<?xml version='1.0' encoding = 'Utf-8' ?><r/>", 1), PrologGuard::Verdict::Continue);
    EXPECT_EQ(feedAll("<?xml version='1.0' encoding='US-ASCII'?><r/>", 1), PrologGuard::Verdict::Continue);
    // Only the XML declaration counts: a later processing instruction may say what it likes.
    EXPECT_EQ(feedAll("<?xml version='1.0'?><?xml-stylesheet encoding='latin1'?><r/>", 1),
              PrologGuard::Verdict::Continue);
}

TEST(XmlPrologGuard, TellsAnEmptyDocumentFromOneWithoutARoot) {
    PrologGuard blank;
    blank.feed(" \n\t", 3);
    EXPECT_FALSE(blank.sawMarkup());
    PrologGuard prologOnly;
    prologOnly.feed("<?xml version='1.0'?>", 21);
    EXPECT_TRUE(prologOnly.sawMarkup());
    EXPECT_FALSE(prologOnly.prologEnded());
    PrologGuard rooted;
    rooted.feed("<r", 2);
    EXPECT_TRUE(rooted.prologEnded());
}

TEST(XmlErrors, ParserErrorsAreDescribedWithoutTheDocumentsBytes) {
    EXPECT_EQ(describeParserError(XML_ERR_INVALID_CHAR, false,
                                  "Input is not proper UTF-8, indicate encoding !\nBytes: 0xC3 0x28")
                  .code,
              "encoding");
    EXPECT_EQ(describeParserError(XML_ERR_GT_REQUIRED, true, "Couldn't find end of Start Tag Update").code,
              "truncated");
    EXPECT_EQ(describeParserError(XML_ERR_GT_REQUIRED, false, "").code, "not_well_formed");
    EXPECT_EQ(describeParserError(XML_ERR_TAG_NOT_FINISHED, false, "").code, "truncated");
    EXPECT_EQ(describeParserError(XML_ERR_INTERNAL_ERROR, false, "Huge input lookup").code, "too_large");
    EXPECT_EQ(describeParserError(XML_NS_ERR_UNDEFINED_NAMESPACE, false, "").code, "not_well_formed");
    const auto other = describeParserError(XML_ERR_TAG_NAME_MISMATCH, false, "Opening and ending tag mismatch: Secret");
    EXPECT_EQ(other.reason.find("Secret"), std::string::npos);
}

class XmlSchemaErrors : public testing::Test {
protected:
    void SetUp() override {
        const std::string text = "<Application><Income>1</Income><Income><Amount>x</Amount></Income></Application>";
        doc_ = xmlReadMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr, XML_PARSE_NONET);
        record_ = xmlDocGetRootElement(doc_);
        amount_ = record_->children->next->children;
    }
    void TearDown() override { xmlFreeDoc(doc_); }

    xmlError error(int code, const char *message, xmlNodePtr node) {
        xmlError e{};
        e.code = code;
        e.message = const_cast<char *>(message);
        e.node = node;
        e.level = XML_ERR_ERROR;
        return e;
    }

    xmlDocPtr doc_ = nullptr;
    xmlNodePtr record_ = nullptr;
    xmlNodePtr amount_ = nullptr;
};

TEST_F(XmlSchemaErrors, NamesTheElementByPathAndTheProblemByKind) {
    EXPECT_EQ(elementPath(amount_, record_), "Application/Income[2]/Amount");
    auto p = describeSchemaError(
        error(XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1,
              "Element '{urn:x}Amount': '078-05-1120' is not a valid value of the atomic type 'xs:decimal'.\n",
              amount_),
        record_);
    EXPECT_EQ(p.path, "Application/Income[2]/Amount");
    EXPECT_EQ(p.reason, "is not a valid xs:decimal");
    p = describeSchemaError(
        error(XML_SCHEMAV_CVC_ENUMERATION_VALID,
              "Element 'Amount': [facet 'enumeration'] The value 'Smith' is not an element of the set {'A', 'B'}.\n",
              amount_),
        record_);
    EXPECT_EQ(p.reason, "is not one of the values the schema allows");
    p = describeSchemaError(
        error(XML_SCHEMAV_ELEMENT_CONTENT,
              "Element 'Amount': This element is not expected. Expected is one of ( {urn:x}A, B ).\n", amount_),
        record_);
    EXPECT_EQ(p.reason, "is not expected here (expected: A, B)");
}

TEST_F(XmlSchemaErrors, NamesTheAttributeAndNeverEchoesAValueThatLooksLikeAName) {
    auto p = describeSchemaError(error(XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1,
                                       "Element 'Income', attribute 'size': 'Hidden atomic type 'Secret'' is not a "
                                       "valid value of the local atomic type.\n",
                                       record_->children),
                                 record_);
    EXPECT_EQ(p.path, "Application/Income[1]/@size");
    EXPECT_EQ(p.reason, "does not have the type the schema requires");
    EXPECT_EQ(p.reason.find("Secret"), std::string::npos);
    xmlError missing = error(XML_SCHEMAV_CVC_COMPLEX_TYPE_4,
                             "Element 'Income': The attribute 'type' is required but missing.\n", record_->children);
    missing.str1 = const_cast<char *>("type");
    p = describeSchemaError(missing, record_);
    EXPECT_EQ(p.path, "Application/Income[1]/@type");
    EXPECT_EQ(p.reason, "lacks a required attribute");
}

TEST_F(XmlSchemaErrors, CapsLongPaths) {
    std::string name(300, 'N');
    xmlNodeSetName(amount_, BAD_CAST name.c_str());
    const std::string path = elementPath(amount_, record_);
    EXPECT_LE(path.size(), 260u);
    EXPECT_EQ(path.substr(path.size() - 3), "...");
}

}  // namespace
