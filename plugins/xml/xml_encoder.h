// One encode call of the xml plugin: canonical records in, one XML document
// out, written with libxml2's xmlTextWriter (which escapes every value).
//
// With a record element configured, the document is the root holding one
// record element per canonical record; without one, the single canonical
// record is the whole document (an ACK, say). Each record is first turned
// into values for every mapped element and attribute, and written only when
// all of them are good, so a refused record leaves nothing half-written: it
// becomes a record error and the document stays well-formed. The output is
// handed to the host record by record, so memory stays bounded.
#ifndef LENDGATE_PLUGINS_XML_XML_ENCODER_H
#define LENDGATE_PLUGINS_XML_XML_ENCODER_H

#include <libxml/xmlwriter.h>
#include <lendgate/plugin.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "record_mapper.h"
#include "xml_config.h"

namespace lendgate::xml {

/// The partner text for one canonical value as a field's transforms say, undone
/// in reverse order; on refusal returns false with `code` and `reason`.
bool encodeValue(const Field &field, const nlohmann::json &value, std::string &out, std::string &code,
                 std::string &reason);

class XmlEncoder {
public:
    XmlEncoder(const XmlConfig &config, EncodeContext &ctx);
    ~XmlEncoder();
    XmlEncoder(const XmlEncoder &) = delete;
    XmlEncoder &operator=(const XmlEncoder &) = delete;

    void run();

private:
    struct Value {
        std::string text;
        bool present = false;
        bool constant = false;  // a const alone does not make its element worth writing
    };
    struct Frame {
        std::vector<Value> values;
        std::vector<std::vector<Frame>> repeats;
    };

    void collect(int scope, const nlohmann::json &context, Frame &frame, const std::string &pointerBase);
    bool hasContent(int scope, int node, const Frame &frame) const;
    void render(int scope, int node, const Frame &frame, const QName &name, bool root);
    /// Starts the root element with the namespace declarations and root_attributes.
    void openRoot(const QName &name);
    void check(int rc) const;
    void flush();

    const XmlConfig &config_;
    EncodeContext &ctx_;
    xmlBufferPtr buffer_ = nullptr;
    xmlTextWriterPtr writer_ = nullptr;
    std::vector<FieldProblem> problems_;
};

}  // namespace lendgate::xml

#endif  // LENDGATE_PLUGINS_XML_XML_ENCODER_H
