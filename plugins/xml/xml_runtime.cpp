#include "xml_runtime.h"

#include <libxml/parser.h>
#include <lendgate/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <mutex>
#include <vector>

namespace lendgate::xml {
namespace {

xmlParserInputPtr refuseExternalEntity(const char *, const char *, xmlParserCtxtPtr) {
    return nullptr;
}

constexpr std::size_t kMaxSchemaBytes = 8u << 20;
constexpr std::size_t kMaxPathBytes = 256;

bool sameName(const xmlNode *a, const xmlNode *b) noexcept {
    if (!xmlStrEqual(a->name, b->name)) return false;
    // xmlStrEqual holds two null pointers equal: both elements in no namespace.
    return xmlStrEqual(a->ns != nullptr ? a->ns->href : nullptr, b->ns != nullptr ? b->ns->href : nullptr) != 0;
}

// An element's position among same-named siblings, 0 when it has none.
std::size_t siblingPosition(const xmlNode *node) noexcept {
    std::size_t before = 0;
    for (const xmlNode *s = node->prev; s != nullptr; s = s->prev)
        if (s->type == XML_ELEMENT_NODE && sameName(s, node)) ++before;
    if (before > 0) return before + 1;
    for (const xmlNode *s = node->next; s != nullptr; s = s->next)
        if (s->type == XML_ELEMENT_NODE && sameName(s, node)) return 1;
    return 0;
}

// Cuts at a UTF-8 character boundary, so a capped path stays valid text.
void capUtf8(std::string &text, std::size_t limit) {
    if (text.size() <= limit) return;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "...";
}

// A name libxml2 quoted in a message, if it is one: {uri}local is reduced to local.
std::string nameOnly(std::string_view quoted) {
    if (const auto close = quoted.find('}'); quoted.size() > 0 && quoted.front() == '{' && close != quoted.npos)
        quoted.remove_prefix(close + 1);
    if (quoted.empty() || quoted.size() > 128) return {};
    for (char c : quoted)
        if (static_cast<unsigned char>(c) < 0x80 && !std::isalnum(static_cast<unsigned char>(c)) && c != '_' &&
            c != '-' && c != '.' && c != ':')
            return {};
    return std::string(quoted);
}

// libxml2 puts the quoted value in the middle of a message and the schema's
// names at its end, so names are only taken from the end: "... atomic type 'T'."
// or "... Expected is ( A, B )." A value cannot reach there.
std::string_view messageTail(std::string_view message, std::string_view open, std::string_view close) {
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.remove_suffix(1);
    if (message.size() < close.size() || message.substr(message.size() - close.size()) != close) return {};
    message.remove_suffix(close.size());
    const auto start = message.rfind(open);
    if (start == message.npos) return {};
    const std::string_view inside = message.substr(start + open.size());
    return inside.find('\'') == inside.npos ? inside : std::string_view();
}

// "Expected is ( {ns}A, {ns}B )" -> "A, B"; names come from the schema, not the document.
std::string expectedElements(std::string_view message) {
    std::string_view list = messageTail(message, "Expected is ( ", " ).");
    if (list.empty()) list = messageTail(message, "Expected is one of ( ", " ).");
    std::string out;
    while (!list.empty()) {
        const auto comma = list.find(", ");
        const std::string name = nameOnly(list.substr(0, comma));
        if (name.empty()) return {};
        out += (out.empty() ? "" : ", ") + name;
        if (comma == list.npos) break;
        list.remove_prefix(comma + 2);
    }
    capUtf8(out, 160);
    return out;
}

std::string facetReason(int code) {
    switch (code) {
        case XML_SCHEMAV_CVC_LENGTH_VALID: return "does not have the length the schema requires";
        case XML_SCHEMAV_CVC_MINLENGTH_VALID: return "is shorter than the schema allows";
        case XML_SCHEMAV_CVC_MAXLENGTH_VALID: return "is longer than the schema allows";
        case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
        case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID:
        case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID:
        case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID: return "is outside the range the schema allows";
        case XML_SCHEMAV_CVC_TOTALDIGITS_VALID:
        case XML_SCHEMAV_CVC_FRACTIONDIGITS_VALID: return "has more digits than the schema allows";
        case XML_SCHEMAV_CVC_PATTERN_VALID: return "does not match the pattern the schema requires";
        case XML_SCHEMAV_CVC_ENUMERATION_VALID: return "is not one of the values the schema allows";
        default: return "breaks a restriction of the schema";
    }
}

std::string reasonFor(const xmlError &error, std::string_view message) {
    const int code = error.code;
    if (code == XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1 || code == XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_2 ||
        code == XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3 || code == XML_SCHEMAV_CVC_TYPE_3_1_1 ||
        code == XML_SCHEMAV_CVC_TYPE_3_1_2) {
        // The schema's type name ("xs:decimal", "Amount"); an anonymous local type has none.
        const std::string type = nameOnly(messageTail(message, "atomic type '", "'."));
        if (!type.empty()) return "is not a valid " + type;
        return "does not have the type the schema requires";
    }
    if (code >= XML_SCHEMAV_CVC_FACET_VALID && code <= XML_SCHEMAV_CVC_ENUMERATION_VALID) return facetReason(code);
    if (code == XML_SCHEMAV_ELEMENT_CONTENT ||
        (code >= XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1 && code <= XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4)) {
        std::string reason;
        if (message.find("not expected") != message.npos)
            reason = "is not expected here";
        else if (message.find("Missing child") != message.npos)
            reason = "lacks a required child element";
        else if (message.find("Character content") != message.npos)
            reason = "holds text where the schema allows only child elements";
        else if (message.find("Element content is not allowed") != message.npos)
            reason = "holds child elements where the schema allows only text";
        else
            reason = "does not have the content the schema requires";
        if (const std::string expected = expectedElements(message); !expected.empty())
            reason += " (expected: " + expected + ")";
        return reason;
    }
    if (code == XML_SCHEMAV_CVC_COMPLEX_TYPE_4) return "lacks a required attribute";
    if (code == XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1 || code == XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2)
        return "is an attribute the schema does not allow";
    if (code == XML_SCHEMAV_CVC_ELT_1) return "is not declared in the schema";
    if (code == XML_SCHEMAV_CVC_IDC) return "breaks a uniqueness or key constraint of the schema";
    if (code >= XML_SCHEMAV_CVC_ELT_2 && code <= XML_SCHEMAV_CVC_ELT_7) return "does not match its declaration";
    return "does not match the schema";
}

// libxml2 keeps no public table of global declarations: validate an empty
// element of that name and see whether the validator found a declaration.
bool declaresGlobally(xmlSchemaPtr schema, const QName &element) {
    xmlDocPtr probe = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr node = xmlNewDocNode(probe, nullptr, BAD_CAST element.local.c_str(), nullptr);
    xmlDocSetRootElement(probe, node);
    if (!element.ns.empty()) xmlSetNs(node, xmlNewNs(node, BAD_CAST element.ns.c_str(), nullptr));
    xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
    bool undeclared = false;
    xmlSchemaSetValidStructuredErrors(
        validator,
        [](void *ctx, xmlErrorPtr error) {
            if (error != nullptr && error->code == XML_SCHEMAV_CVC_ELT_1) *static_cast<bool *>(ctx) = true;
        },
        &undeclared);
    xmlSchemaValidateOneElement(validator, node);
    xmlSchemaFreeValidCtxt(validator);
    xmlFreeDoc(probe);
    return !undeclared;
}

}  // namespace

void initLibxml() {
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xmlSetExternalEntityLoader(&refuseExternalEntity);
    });
}

std::shared_ptr<const CompiledSchema> CompiledSchema::load(const std::string &path, const QName &recordElement) {
    initLibxml();
    const std::string where = "xsd " + path + ": ";
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw configError("config", where + "cannot be read (a relative path is taken from the working directory)");
    std::vector<char> bytes;
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (bytes.size() > kMaxSchemaBytes) throw configError("config", where + "is larger than 8 MiB");

    std::shared_ptr<CompiledSchema> compiled(new CompiledSchema());
    // Parsed here with the same safe options as partner documents; libxml2's own
    // schema loader would parse it with entity substitution on.
    compiled->doc_ = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (compiled->doc_ == nullptr) throw configError("config", where + "is not well-formed XML");
    if (compiled->doc_->intSubset != nullptr) throw configError("config", where + "has a DOCTYPE, which is refused");

    std::string firstError;
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewDocParserCtxt(compiled->doc_);
    if (parser == nullptr) throw configError("config", where + "cannot be compiled");
    xmlSchemaSetParserStructuredErrors(
        parser,
        [](void *ctx, xmlErrorPtr error) {
            auto *first = static_cast<std::string *>(ctx);
            if (first->empty() && error != nullptr && error->message != nullptr) *first = error->message;
        },
        &firstError);
    compiled->schema_ = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (compiled->schema_ == nullptr) {
        // The schema is the operator's own file, not partner data: its message may be shown.
        std::replace_if(
            firstError.begin(), firstError.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
        capUtf8(firstError, 300);
        throw configError("config", where + "is not a usable XML Schema: " + firstError);
    }
    if (!declaresGlobally(compiled->schema_, recordElement))
        throw configError("config", where + "does not declare the record element " + recordElement.local +
                                        " as a global element, so records cannot be validated one by one");
    return compiled;
}

CompiledSchema::~CompiledSchema() {
    if (schema_ != nullptr) xmlSchemaFree(schema_);
    if (doc_ != nullptr) xmlFreeDoc(doc_);
}

std::string elementPath(const xmlNode *node, const xmlNode *top) {
    std::vector<const xmlNode *> chain;
    for (const xmlNode *n = node; n != nullptr && n->type == XML_ELEMENT_NODE; n = n->parent) {
        chain.push_back(n);
        if (n == top) break;
    }
    std::string path;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!path.empty()) path += '/';
        path += reinterpret_cast<const char *>((*it)->name);
        if (*it == top) continue;
        if (const std::size_t position = siblingPosition(*it); position > 0)
            path += "[" + std::to_string(position) + "]";
    }
    capUtf8(path, kMaxPathBytes);
    return path;
}

SchemaProblem describeSchemaError(const xmlError &error, const xmlNode *record) {
    const std::string_view message = error.message != nullptr ? error.message : "";
    SchemaProblem problem;
    const auto *node = static_cast<const xmlNode *>(error.node);
    std::string attribute;
    if (node != nullptr && node->type == XML_ATTRIBUTE_NODE) {
        attribute = reinterpret_cast<const char *>(node->name);
        node = node->parent;
    } else if (error.code == XML_SCHEMAV_CVC_COMPLEX_TYPE_4 && error.str1 != nullptr) {
        attribute = nameOnly(error.str1);  // the missing attribute, named by the schema
    } else if (message.rfind("Element '", 0) == 0) {
        // "Element 'X', attribute 'a': ..." names the attribute an error is about.
        // Names cannot hold a quote, so the head up to the first "': " holds no value.
        const std::string_view head = message.substr(0, message.find("': "));
        if (const auto at = head.find("', attribute '"); at != head.npos) attribute = nameOnly(head.substr(at + 14));
    }
    problem.path =
        node != nullptr && node->type == XML_ELEMENT_NODE ? elementPath(node, record) : elementPath(record, record);
    if (!attribute.empty()) problem.path += "/@" + attribute;
    capUtf8(problem.path, kMaxPathBytes);
    problem.reason = reasonFor(error, message);
    return problem;
}

DocumentProblem describeParserError(int code, bool atEnd, std::string_view message) {
    // libxml2 files bytes that are not UTF-8 under "invalid character" too, and
    // decodes an encoded UTF-16 surrogate (ED A0 80..ED BF BF) before refusing it.
    const bool surrogate = code == XML_ERR_INVALID_CHAR && message.size() > 9 && message.rfind("Char 0xD", 0) == 0 &&
                           std::string_view("89ABab").find(message[8]) != std::string_view::npos;
    if (message.rfind("Input is not proper UTF-8", 0) == 0 || surrogate)
        return {"encoding", "it contains bytes that are not UTF-8"};
    switch (code) {
        case XML_ERR_GT_REQUIRED:
        case XML_ERR_ATTRIBUTE_NOT_FINISHED:
        case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
        case XML_ERR_LITERAL_NOT_FINISHED:
        case XML_ERR_STRING_NOT_CLOSED:
        case XML_ERR_COMMENT_NOT_FINISHED:
        case XML_ERR_PI_NOT_FINISHED:
        case XML_ERR_CDATA_NOT_FINISHED:
        case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        case XML_ERR_NAME_REQUIRED:
        case XML_ERR_SPACE_REQUIRED:
        case XML_ERR_EQUAL_REQUIRED:
            if (atEnd) return {"truncated", "the document ends in the middle of a tag (cut short?)"};
            break;
        default: break;
    }
    switch (code) {
        case XML_ERR_DOCUMENT_EMPTY: return {"empty", "the document is empty"};
        case XML_ERR_TAG_NOT_FINISHED:
        case XML_ERR_LTSLASH_REQUIRED:
        case XML_ERR_NOT_WELL_BALANCED:
            return {"truncated", "the document ends before its root element is closed (cut short?)"};
        case XML_ERR_DOCUMENT_END:
            return {"not_well_formed", "there is content after the root element (a second root?)"};
        case XML_ERR_INTERNAL_ERROR:
        case XML_ERR_NO_MEMORY:
        case XML_ERR_NAME_TOO_LONG:
            return {"too_large", "a piece of markup or text exceeds libxml2's limits (10 MB text, names, lookahead)"};
        case XML_ERR_INVALID_CHAR: return {"not_well_formed", "it contains a character XML does not allow"};
        case XML_ERR_INVALID_HEX_CHARREF:
        case XML_ERR_INVALID_DEC_CHARREF:
        case XML_ERR_INVALID_CHARREF: return {"not_well_formed", "it contains an invalid character reference"};
        case XML_ERR_UNDECLARED_ENTITY:
        case XML_WAR_UNDECLARED_ENTITY:
        case XML_ERR_ENTITYREF_NO_NAME:
        case XML_ERR_ENTITYREF_SEMICOL_MISSING:
            return {
                "not_well_formed",
                "it contains an entity reference other than &lt; &gt; &amp; &quot; &apos; or a character reference"};
        case XML_ERR_UNKNOWN_ENCODING:
        case XML_ERR_UNSUPPORTED_ENCODING:
        case XML_ERR_INVALID_ENCODING:
        case XML_ERR_ENCODING_NAME: return {"encoding", "it contains bytes that are not UTF-8"};
        case XML_ERR_ATTRIBUTE_REDEFINED: return {"not_well_formed", "an element has the same attribute twice"};
        case XML_ERR_TAG_NAME_MISMATCH: return {"not_well_formed", "an end tag does not match its start tag"};
        default: break;
    }
    if (code >= XML_NS_ERR_XML_NAMESPACE && code <= XML_NS_ERR_COLON)
        return {"not_well_formed", "it breaks the XML namespace rules (an undeclared prefix?)"};
    return {"not_well_formed", "it is not well-formed XML (libxml2 error " + std::to_string(code) + ")"};
}

PrologGuard::Verdict PrologGuard::endOfPi() noexcept {
    const bool declaration =
        collecting_ && declaration_.size() > 3 && declaration_.compare(0, 3, "xml") == 0 &&
        (declaration_[3] == ' ' || declaration_[3] == '\t' || declaration_[3] == '\r' || declaration_[3] == '\n');
    collecting_ = false;
    if (!declaration) return Verdict::Continue;
    const auto at = declaration_.find("encoding");
    if (at == std::string::npos) return Verdict::Continue;
    std::size_t i = at + 8;
    auto skipSpace = [&] {
        while (i < declaration_.size() && (declaration_[i] == ' ' || declaration_[i] == '\t' ||
                                           declaration_[i] == '\r' || declaration_[i] == '\n'))
            ++i;
    };
    skipSpace();
    if (i >= declaration_.size() || declaration_[i] != '=') return Verdict::Continue;  // libxml2 reports it
    ++i;
    skipSpace();
    if (i >= declaration_.size() || (declaration_[i] != '"' && declaration_[i] != '\'')) return Verdict::Continue;
    const char quote = declaration_[i++];
    const auto end = declaration_.find(quote, i);
    if (end == std::string::npos) return Verdict::Continue;
    std::string name = declaration_.substr(i, end - i);
    for (char &c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name == "UTF-8" || name == "US-ASCII" ? Verdict::Continue : Verdict::Encoding;
}

PrologGuard::Verdict PrologGuard::feed(const char *data, std::size_t size) noexcept {
    for (std::size_t i = 0; i < size && state_ != State::Done; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        // A zero byte before the root is UTF-16 or UCS-4 without a byte order mark ("<\0?\0").
        if (c == 0x00) return Verdict::Encoding;
        switch (state_) {
            case State::Start:
                // UTF-16 and UTF-32 start with FE FF, FF FE or a zero byte; UTF-8 may start with EF BB BF.
                if (c == 0xFE || c == 0xFF) return Verdict::Encoding;
                if (c == 0xEF) {
                    state_ = State::Bom1;
                    break;
                }
                state_ = State::Misc;
                [[fallthrough]];
            case State::Misc:
                if (c == '<') {
                    state_ = State::Lt;
                    markup_ = true;
                } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    state_ = State::Done;  // text before the root: libxml2 refuses it
                    markup_ = true;
                }
                break;
            case State::Bom1:
            case State::Bom2:
                if (c == (state_ == State::Bom1 ? 0xBB : 0xBF)) {
                    state_ = state_ == State::Bom1 ? State::Bom2 : State::Misc;
                } else {
                    state_ = State::Done;  // not a byte order mark: libxml2 judges the bytes
                    markup_ = true;
                }
                break;
            case State::Lt:
                if (c == '?') {
                    state_ = State::Pi;
                    collecting_ = firstConstruct_;
                    declaration_.clear();
                } else {
                    state_ = c == '!' ? State::Bang : State::Done;  // anything else starts the root element
                }
                firstConstruct_ = false;
                break;
            case State::Pi:
            case State::PiQuestion:
                if (state_ == State::PiQuestion && c == '>') {
                    state_ = State::Misc;
                    if (endOfPi() == Verdict::Encoding) return Verdict::Encoding;
                    break;
                }
                if (state_ == State::PiQuestion && collecting_) declaration_ += '?';
                state_ = c == '?' ? State::PiQuestion : State::Pi;
                if (c != '?' && collecting_) {
                    if (declaration_.size() < 512)
                        declaration_ += static_cast<char>(c);
                    else
                        collecting_ = false;  // no declaration is that long; libxml2 judges it
                }
                break;
            case State::Bang:
                if (c != '-') return Verdict::Doctype;  // <!DOCTYPE, or a <![CDATA[ before the root
                state_ = State::BangDash;
                break;
            case State::BangDash: state_ = c == '-' ? State::Comment : State::Done; break;
            case State::Comment: state_ = c == '-' ? State::CommentDash : State::Comment; break;
            case State::CommentDash: state_ = c == '-' ? State::CommentDashDash : State::Comment; break;
            case State::CommentDashDash:
                state_ = c == '>' ? State::Misc : c == '-' ? State::CommentDashDash : State::Comment;
                break;
            case State::Done: break;
        }
    }
    return Verdict::Continue;
}

}  // namespace lendgate::xml
