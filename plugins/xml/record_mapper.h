// Decoding side of the mapping: one record element (an expanded libxml2
// subtree) to the frame of values its canonical record is written from.
//
// One pass over the record's elements, guided by the compiled element tree of
// each scope: children the mapping does not name are skipped without being
// looked at. Values are read from text and attribute nodes in place; nothing
// is copied unless an element's text comes in several pieces.
#ifndef LENDGATE_PLUGINS_XML_RECORD_MAPPER_H
#define LENDGATE_PLUGINS_XML_RECORD_MAPPER_H

#include <libxml/tree.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json_layout.h"
#include "xml_config.h"

namespace lendgate::xml {

/// One refused value: code (required, repeated, amount, ...), the canonical
/// JSON Pointer (or the element path when the value has no `to`), and a
/// message naming the element and the rule, never the value.
struct FieldProblem {
    std::string code;
    std::string field;
    std::string message;
};

/// Converts one value as a field's transforms say; on refusal returns false
/// and sets `code` and `reason` (a phrase such as "is not a decimal number").
bool decodeValue(const Field &field, std::string_view raw, Scalar &out, std::string &code, std::string &reason);

class RecordMapper {
public:
    explicit RecordMapper(const XmlConfig &config);

    /// Fills `record` from `element`; returns false when any value was refused
    /// (each one is in `problems`, in document order).
    bool map(const xmlNode *element, Frame &record, std::vector<FieldProblem> &problems);

private:
    void mapScope(int scope, const xmlNode *element, Frame &frame, const std::string &pointerBase);
    void visit(int scope, int node, const xmlNode *element, Frame &frame, const std::string &pointerBase);
    void readField(int scope, const Field &field, const xmlNode *element, Frame &frame, const std::string &pointerBase);
    std::string_view text(const xmlNode *element);
    std::string_view attribute(const xmlNode *element, const QName &name);
    /// Where a value that is not there would have been: the context element's
    /// path, then the mapped names below it.
    std::string missingPath(int scope, int node, const xmlNode *context, const QName *attribute) const;
    void report(std::string code, const std::string &field, const std::string &path, const std::string &reason);

    const XmlConfig &config_;
    std::vector<std::vector<std::uint32_t>> counts_;  // per scope, per element node: occurrences seen
    std::vector<std::vector<char>> refused_;          // per scope, per slot: the value was reported bad
    const xmlNode *record_ = nullptr;
    std::vector<FieldProblem> *problems_ = nullptr;
    std::string scratch_;
};

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_RECORD_MAPPER_H
