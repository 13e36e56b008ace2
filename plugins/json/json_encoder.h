// Writes canonical records as JSON lines or as one JSON array.
//
// Records are re-spaced token by token, never parsed into a DOM and printed
// again: a DOM would turn "100.10" into 100.1 and big integers into floating
// point, and money must come out exactly as it went in.
#ifndef LENDGATE_PLUGINS_JSON_JSON_ENCODER_H
#define LENDGATE_PLUGINS_JSON_JSON_ENCODER_H

#include <lendgate/plugin.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "json_syntax.h"
#include "json_tree.h"
#include "mapped_codec.h"

namespace lendgate::json_plugin {

enum class OutputForm { JsonLines, Array };

/// Re-spaces one record: compact on one line, or indented by two spaces per
/// level starting at `indent`. Returns the syntax error, if any (out is then unusable).
SyntaxError respace(std::string_view record, bool pretty, std::size_t indent, JsonSyntax &syntax, std::string &out);

class JsonEncoder {
public:
    /// With `mapped`, each canonical record is written in the partner's shape instead of as it is.
    JsonEncoder(EncodeContext &ctx, OutputForm form, bool pretty, const MappedConfig *mapped = nullptr);
    void run();

private:
    /// Checks and re-spaces one record; false (after reporting) when it cannot be written.
    bool prepare(std::string_view record);
    bool map(std::string_view record, const Location &where);

    EncodeContext &ctx_;
    OutputForm form_;
    bool pretty_;
    JsonSyntax syntax_;
    std::string out_;
    std::unique_ptr<MappedCodec> mapped_;
    JsonTree tree_;
    std::string partner_;
};

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_JSON_ENCODER_H
