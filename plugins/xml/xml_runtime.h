// libxml2 as this plugin uses it: hardened once per process, schemas loaded
// safely, and every libxml2 diagnostic turned into text that names elements
// and the kind of problem but never carries the document's content.
//
// libxml2's messages quote values ("'12x' is not a valid value of the atomic
// type 'xs:decimal'", "Bytes: 0xC3 0x28"), and values here are account
// numbers and borrowers' names, so messages are built from the error code,
// the node the error is about and names the schema itself declares.
#ifndef LENDGATE_PLUGINS_XML_XML_RUNTIME_H
#define LENDGATE_PLUGINS_XML_XML_RUNTIME_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "xml_config.h"

namespace lendgate::xml {

/// Initialises libxml2 once per process (xmlInitParser) and installs an
/// external entity loader that refuses everything, so no document, schema or
/// DTD can make the process open a file or a URL. Thread-safe; call before
/// any other libxml2 use.
void initLibxml();

/// A compiled XSD, shared read-only by every decode call of an instance.
class CompiledSchema {
public:
    /// Loads a self-contained XSD (no DOCTYPE; xs:include and xs:import of
    /// other files are refused by the entity loader) that declares the record
    /// element globally. Throws lendgate::PluginError (CONFIG) naming the path.
    static std::shared_ptr<const CompiledSchema> load(const std::string &path, const QName &recordElement);

    CompiledSchema(const CompiledSchema &) = delete;
    CompiledSchema &operator=(const CompiledSchema &) = delete;
    ~CompiledSchema();

    xmlSchemaPtr get() const noexcept { return schema_; }

private:
    CompiledSchema() = default;
    xmlDocPtr doc_ = nullptr;  // the schema refers into it, so it lives as long
    xmlSchemaPtr schema_ = nullptr;
};

/// A schema validity error as reported to the partner: where (an element path
/// relative to the record, "Application/Income/Source[2]/@type") and what kind
/// of problem, both free of document values.
struct SchemaProblem {
    std::string path;
    std::string reason;
};
SchemaProblem describeSchemaError(const xmlError &error, const xmlNode *record);

/// A well-formedness or resource error of the document as a whole.
struct DocumentProblem {
    std::string code;    // empty, truncated, too_large, encoding, not_well_formed
    std::string reason;  // no document content, only the kind of problem
};
/// `atEnd`: libxml2 reported it after the input had ended, where an unfinished
/// construct means the document was cut short. `message` is only classified, never quoted.
DocumentProblem describeParserError(int xmlErrorCode, bool atEnd, std::string_view message);

/// The path of `node` from `top` down ("Application/Income/Source[2]/Amount"):
/// local names, a position where siblings share a name; at most 256 bytes.
std::string elementPath(const xmlNode *node, const xmlNode *top);

/// Watches the bytes before the root element as they stream in, so that a
/// DOCTYPE is refused before libxml2 parses any of it (no entity is ever
/// declared, let alone expanded) and a document in another encoding than
/// UTF-8 is refused with a clear reason.
class PrologGuard {
public:
    enum class Verdict { Continue, Doctype, Encoding };

    /// Checks the next bytes of the input; once the root element starts it
    /// passes everything through without looking.
    Verdict feed(const char *data, std::size_t size) noexcept;

    /// Whether anything but white space (and a byte order mark) has been seen.
    bool sawMarkup() const noexcept { return markup_; }
    /// Whether the prolog has ended: the root element (or something libxml2 will refuse) has begun.
    bool prologEnded() const noexcept { return state_ == State::Done; }

private:
    enum class State {
        Start,
        Bom1,
        Bom2,
        Misc,
        Lt,
        Pi,
        PiQuestion,
        Bang,
        BangDash,
        Comment,
        CommentDash,
        CommentDashDash,
        Done
    };
    Verdict endOfPi() noexcept;

    State state_ = State::Start;
    bool firstConstruct_ = true;
    bool collecting_ = false;
    bool markup_ = false;
    std::string declaration_;
};

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_XML_RUNTIME_H
