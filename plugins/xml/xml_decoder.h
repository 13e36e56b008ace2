// One decode call of the xml plugin: a streaming xmlTextReader over the
// host's input, one record element at a time.
//
// The reader holds only the record being mapped: each record element is
// expanded (its subtree read in), checked against the limits and, with an
// XSD, validated on its own, mapped, and then skipped with xmlTextReaderNext,
// which frees it. A record larger than max_record_bytes stops the expansion
// through the input callback, so memory stays bounded whatever the input.
// Problems with one record are record errors; a document that is not
// well-formed, has a DOCTYPE, the wrong root or an oversized record is
// refused whole (lendgate::inputError).
#ifndef LENDGATE_PLUGINS_XML_XML_DECODER_H
#define LENDGATE_PLUGINS_XML_XML_DECODER_H

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <lendgate/plugin.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "json_layout.h"
#include "record_mapper.h"
#include "xml_config.h"
#include "xml_runtime.h"

namespace lendgate::xml {

class XmlDecoder {
public:
    XmlDecoder(const XmlConfig &config, const CompiledSchema *schema, DecodeContext &ctx);
    ~XmlDecoder();
    XmlDecoder(const XmlDecoder &) = delete;
    XmlDecoder &operator=(const XmlDecoder &) = delete;

    void run();

private:
    static int read(void *self, char *buffer, int length) noexcept;
    static void onParserError(void *self, xmlErrorPtr error) noexcept;
    static void onSchemaError(void *self, xmlErrorPtr error) noexcept;

    /// Throws the input error for whatever stopped the document, if anything did.
    void checkDocument() const;
    void checkRoot();
    void onRecord();
    bool withinLimits(const xmlNode *record, const Location &where);
    bool validate(const xmlNode *record, const Location &where);

    const XmlConfig &config_;
    const CompiledSchema *schema_;
    DecodeContext &ctx_;
    xmlTextReaderPtr reader_ = nullptr;
    xmlSchemaValidCtxtPtr validator_ = nullptr;

    // Input side, touched from inside libxml2's callbacks (which must not throw).
    PrologGuard guard_;
    PrologGuard::Verdict prolog_ = PrologGuard::Verdict::Continue;
    std::exception_ptr ioFailure_;
    std::uint64_t fed_ = 0;
    bool budgetActive_ = false;
    std::uint64_t budgetStart_ = 0;
    bool budgetExceeded_ = false;
    bool ended_ = false;  // the input has ended
    int fatalCode_ = 0;
    int fatalLine_ = 0;
    bool fatalAtEnd_ = false;
    std::string fatalKind_;  // libxml2's message, kept only to classify it

    const xmlNode *validating_ = nullptr;
    std::vector<SchemaProblem> schemaProblems_;
    std::size_t schemaErrorsDropped_ = 0;

    bool rootSeen_ = false;
    std::uint64_t records_ = 0;
    std::string recordPathPrefix_;
    RecordMapper mapper_;
    Frame frame_;
    std::vector<FieldProblem> problems_;
    std::string json_;
};

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_XML_DECODER_H
