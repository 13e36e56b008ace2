#include "xml_decoder.h"

#include <libxml/parser.h>

#include <algorithm>

namespace lendgate::xml {
namespace {

// Never XML_PARSE_NOENT (entity substitution), XML_PARSE_DTDLOAD or
// XML_PARSE_HUGE (lifts libxml2's own caps on depth, text and lookahead).
// The document is read as UTF-8 whatever its first bytes or declaration say
// (IGNORE_ENC, and UTF-8 named below): libxml2's encoding converters report
// their failures, with the offending bytes, to the global error handler, that
// is to stderr, so no converter may ever run. Other encodings are refused first.
constexpr int kReaderOptions =
    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC;

// libxml2 reads ahead of the node it reports (4 KiB reads, 512-byte pushes),
// so the record budget allows that much beyond max_record_bytes.
constexpr std::uint64_t kReadAheadSlack = 16u << 10;

constexpr std::size_t kMaxSchemaErrorsPerRecord = 10;

const char *chars(const xmlChar *text) {
    return reinterpret_cast<const char *>(text);
}

bool sameName(const QName &name, const xmlChar *local, const xmlChar *ns) {
    if (!xmlStrEqual(local, BAD_CAST name.local.c_str())) return false;
    return name.ns.empty() ? ns == nullptr || *ns == '\0' : xmlStrEqual(ns, BAD_CAST name.ns.c_str()) != 0;
}

std::string describe(const QName &name) {
    return "<" + name.local + ">" + (name.ns.empty() ? " in no namespace" : " in namespace " + name.ns);
}

// A document's element name for a message: names are structure, not values, but keep them short.
std::string shortName(const xmlChar *name) {
    std::string text = name != nullptr ? chars(name) : "";
    if (text.size() > 64) text = text.substr(0, 64) + "...";
    for (char &c : text)
        if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    return text;
}

}  // namespace

XmlDecoder::XmlDecoder(const XmlConfig &config, const CompiledSchema *schema, DecodeContext &ctx)
    : config_(config), schema_(schema), ctx_(ctx), mapper_(config) {
    recordPathPrefix_ = "/" + config.root.local;
    if (config.record) recordPathPrefix_ += "/" + config.record->local;
}

XmlDecoder::~XmlDecoder() {
    if (reader_ != nullptr) xmlFreeTextReader(reader_);
    if (validator_ != nullptr) xmlSchemaFreeValidCtxt(validator_);
}

int XmlDecoder::read(void *context, char *buffer, int length) noexcept {
    auto *self = static_cast<XmlDecoder *>(context);
    if (self->ioFailure_ || self->prolog_ != PrologGuard::Verdict::Continue || self->budgetExceeded_) return -1;
    // Failing the read is the one way to stop xmlTextReaderExpand from reading in an oversized record.
    if (self->budgetActive_ &&
        self->fed_ - self->budgetStart_ > self->config_.limits.maxRecordBytes + kReadAheadSlack) {
        self->budgetExceeded_ = true;
        return -1;
    }
    std::size_t n = 0;
    try {
        n = self->ctx_.input().read(buffer, static_cast<std::size_t>(std::max(length, 0)));
    } catch (...) {
        self->ioFailure_ = std::current_exception();
        return -1;
    }
    self->prolog_ = self->guard_.feed(buffer, n);
    if (self->prolog_ != PrologGuard::Verdict::Continue) return -1;
    self->fed_ += n;
    if (n == 0) self->ended_ = true;
    return static_cast<int>(n);
}

void XmlDecoder::onParserError(void *context, xmlErrorPtr error) noexcept {
    auto *self = static_cast<XmlDecoder *>(context);
    // Well-formedness errors are fatal in XML; a recoverable one still means the
    // document is not what it claims to be. Warnings pass.
    if (error == nullptr || error->level < XML_ERR_ERROR || self->fatalCode_ != 0) return;
    self->fatalCode_ = error->code != 0 ? error->code : -1;
    self->fatalLine_ = error->line;
    self->fatalAtEnd_ = self->ended_;
    try {
        if (error->message != nullptr)
            self->fatalKind_.assign(error->message, std::min<std::size_t>(64, xmlStrlen(BAD_CAST error->message)));
    } catch (...) {
        // Kept only to classify the error; without it the document is still refused.
    }
}

void XmlDecoder::onSchemaError(void *context, xmlErrorPtr error) noexcept {
    auto *self = static_cast<XmlDecoder *>(context);
    if (error == nullptr || error->level < XML_ERR_ERROR || self->validating_ == nullptr) return;
    if (self->schemaProblems_.size() == kMaxSchemaErrorsPerRecord) {
        ++self->schemaErrorsDropped_;
        return;
    }
    try {
        self->schemaProblems_.push_back(describeSchemaError(*error, self->validating_));
    } catch (...) {
        ++self->schemaErrorsDropped_;  // out of memory: the record is still refused
    }
}

void XmlDecoder::checkDocument() const {
    if (ioFailure_) std::rethrow_exception(ioFailure_);
    if (prolog_ == PrologGuard::Verdict::Doctype)
        throw inputError("doctype",
                         "the document has a DOCTYPE: DTDs, entity declarations and external "
                         "subsets are refused");
    if (prolog_ == PrologGuard::Verdict::Encoding)
        throw inputError("encoding",
                         "the document is not UTF-8: its byte order mark or encoding declaration names "
                         "another encoding");
    if (budgetExceeded_)
        throw inputError("record_too_large", "record " + std::to_string(records_) +
                                                 " is larger than max_record_bytes (" +
                                                 std::to_string(config_.limits.maxRecordBytes) +
                                                 " bytes); the rest of the document cannot be read");
    if (fatalCode_ != 0) {
        if (!guard_.sawMarkup()) throw inputError("empty", "the document is empty");
        if (!guard_.prologEnded()) throw inputError("empty", "the document has no root element");
        const DocumentProblem problem = describeParserError(fatalCode_, fatalAtEnd_, fatalKind_);
        throw inputError(problem.code,
                         "not well-formed XML at line " + std::to_string(fatalLine_) + ": " + problem.reason);
    }
}

void XmlDecoder::checkRoot() {
    const xmlNode *root = xmlTextReaderCurrentNode(reader_);
    const xmlChar *ns = root != nullptr && root->ns != nullptr ? root->ns->href : nullptr;
    if (root == nullptr || !sameName(config_.root, root->name, ns))
        throw inputError("root", "the root element is <" + shortName(root != nullptr ? root->name : nullptr) +
                                     ">, not the expected " + describe(config_.root));
    rootSeen_ = true;
}

void XmlDecoder::run() {
    if (!ctx_.expectedType().empty() && ctx_.expectedType() != config_.messageType)
        throw PluginError(
            LENDGATE_ERR_UNSUPPORTED, "plugin.unsupported",
            "this configuration decodes " + config_.messageType + ", not " + std::string(ctx_.expectedType()));
    initLibxml();
    reader_ = xmlReaderForIO(&XmlDecoder::read, nullptr, this, nullptr, "UTF-8", kReaderOptions);
    if (reader_ == nullptr) {
        checkDocument();
        throw inputError("empty", "the document is empty");
    }
    xmlTextReaderSetStructuredErrorHandler(reader_, &XmlDecoder::onParserError, this);
    if (schema_ != nullptr) {
        validator_ = xmlSchemaNewValidCtxt(schema_->get());
        if (validator_ == nullptr) throw std::bad_alloc();
        xmlSchemaSetValidStructuredErrors(validator_, &XmlDecoder::onSchemaError, this);
    }

    int rc = xmlTextReaderRead(reader_);
    while (true) {
        checkDocument();
        if (rc == 0) break;
        if (rc < 0) throw inputError("not_well_formed", "the document cannot be read as XML");
        const int type = xmlTextReaderNodeType(reader_);
        const int depth = xmlTextReaderDepth(reader_);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            throw inputError("doctype", "the document has a DOCTYPE, which is refused");
        if (depth == 0 && type == XML_READER_TYPE_ELEMENT) {
            checkRoot();
            if (!config_.record) {
                onRecord();
                rc = xmlTextReaderNext(reader_);
                continue;
            }
        } else if (depth == 1 && config_.record) {
            if (type == XML_READER_TYPE_ELEMENT) {
                const xmlNode *node = xmlTextReaderCurrentNode(reader_);
                const xmlChar *ns = node->ns != nullptr ? node->ns->href : nullptr;
                if (!sameName(*config_.record, node->name, ns))
                    throw inputError("unexpected_element", "the root holds an element <" + shortName(node->name) +
                                                               ">, not only " + describe(*config_.record) + " records");
                onRecord();
                rc = xmlTextReaderNext(reader_);
                continue;
            }
            if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
                const xmlChar *value = xmlTextReaderConstValue(reader_);
                if (value != nullptr && !isBlank(chars(value)))
                    throw inputError("text_outside_records", "the root holds text between its records");
            }
        }
        rc = xmlTextReaderRead(reader_);
    }
    if (!rootSeen_) throw inputError("empty", "the document has no root element");
}

void XmlDecoder::onRecord() {
    ++records_;
    Location where;
    where.record = records_;
    where.path = recordPathPrefix_ + (config_.record ? "[" + std::to_string(records_) + "]" : "");
    budgetActive_ = true;
    budgetStart_ = fed_;
    const xmlNode *record = xmlTextReaderExpand(reader_);
    budgetActive_ = false;
    checkDocument();
    if (record == nullptr)
        throw inputError("not_well_formed", "record " + std::to_string(records_) + " cannot be read");
    where.line = record->line < 65535 ? record->line : 0;  // libxml2 keeps 16 bits of line number per element

    if (!withinLimits(record, where) || !validate(record, where)) return;
    problems_.clear();
    if (!mapper_.map(record, frame_, problems_)) {
        for (const FieldProblem &p : problems_) ctx_.recordError(where, p.code, p.field, p.message);
        return;
    }
    json_.clear();
    config_.layout.write(frame_, json_);
    ctx_.emit(config_.messageType, json_, where);
}

bool XmlDecoder::withinLimits(const xmlNode *record, const Location &where) {
    const Limits &limits = config_.limits;
    std::size_t nodes = 0;
    std::size_t depth = 1;
    auto refuse = [&](const char *code, const xmlNode *at, const std::string &reason) {
        const std::string path = elementPath(at, record);
        ctx_.recordError(where, code, path, "element " + path + ": " + reason);
        return false;
    };
    for (const xmlNode *node = record; node != nullptr;) {
        if (++nodes > limits.maxRecordNodes)
            return refuse("too_many_nodes", record,
                          "the record has more than max_record_nodes (" + std::to_string(limits.maxRecordNodes) +
                              ") elements, attributes and text nodes");
        if (node->type == XML_ELEMENT_NODE) {
            if (depth > limits.maxDepth)
                return refuse("record_too_deep", node->parent,
                              "elements nest deeper than max_depth (" + std::to_string(limits.maxDepth) + ")");
            for (const xmlAttr *a = node->properties; a != nullptr; a = a->next) {
                ++nodes;
                for (const xmlNode *v = a->children; v != nullptr; v = v->next)
                    if (v->content != nullptr && static_cast<std::size_t>(xmlStrlen(v->content)) > limits.maxTextBytes)
                        return refuse(
                            "text_too_long", node,
                            "an attribute is longer than max_text_bytes (" + std::to_string(limits.maxTextBytes) + ")");
            }
            if (node->children != nullptr) {
                node = node->children;
                ++depth;
                continue;
            }
        } else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->content != nullptr &&
                   static_cast<std::size_t>(xmlStrlen(node->content)) > limits.maxTextBytes) {
            return refuse("text_too_long", node->parent,
                          "its text is longer than max_text_bytes (" + std::to_string(limits.maxTextBytes) + ")");
        }
        while (node != record && node->next == nullptr) {
            node = node->parent;
            --depth;
        }
        if (node == record) break;
        node = node->next;
    }
    return true;
}

bool XmlDecoder::validate(const xmlNode *record, const Location &where) {
    if (validator_ == nullptr) return true;
    schemaProblems_.clear();
    schemaErrorsDropped_ = 0;
    validating_ = record;
    const int rc = xmlSchemaValidateOneElement(validator_, const_cast<xmlNode *>(record));
    validating_ = nullptr;
    if (rc == 0 && schemaProblems_.empty()) return true;
    if (schemaProblems_.empty()) schemaProblems_.push_back({elementPath(record, record), "does not match the schema"});
    for (const SchemaProblem &p : schemaProblems_)
        ctx_.recordError(where, "schema", p.path, "element " + p.path + ": " + p.reason);
    if (schemaErrorsDropped_ > 0)
        ctx_.recordError(where, "schema", "",
                         "and " + std::to_string(schemaErrorsDropped_) + " more schema errors in this record");
    return false;
}

}  // namespace lendgate::xml
