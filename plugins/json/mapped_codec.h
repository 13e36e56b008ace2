// The "mapped" mode's engine: writes one record through a compiled output tree
// (mapping_config.h), reading values by JSON Pointer from the other side's
// record. Decode builds the canonical record from the partner's, encode the
// partner's from the canonical one; the conversions run forwards or backwards.
//
// Values are copied as text: no DOM, no floating point. Every problem with a
// field is reported (canonical pointer, code, reason naming the partner
// pointer, never the value) and the record is then not written.
#ifndef LENDGATE_PLUGINS_JSON_MAPPED_CODEC_H
#define LENDGATE_PLUGINS_JSON_MAPPED_CODEC_H

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_tree.h"
#include "mapping_config.h"

namespace lendgate::json_plugin {

class MappedCodec {
public:
    /// code, canonical field pointer, reason.
    using ErrorFn = std::function<void(std::string_view, const std::string &, const std::string &)>;

    explicit MappedCodec(const MappedConfig &config) : config_(config) {}

    /// The type a partner record maps to, or nullptr when no entry's `when` holds.
    const TypeMapping *selectType(const JsonTree &partner) const;
    /// The entry for a canonical message type, or nullptr.
    const TypeMapping *typeNamed(std::string_view messageType) const;

    /// Writes `type`'s record for one direction into `out`; the number of field errors reported.
    std::size_t write(const TypeMapping &type, bool decode, const JsonTree &source, std::string &out,
                      const ErrorFn &onError);

private:
    // A value on its way through the conversions.
    struct Work {
        JsonKind kind;
        std::string_view text;  // a string's content (escapes resolved), a number's digits
    };

    bool writeNode(const OutNode &node, std::uint32_t context, std::string &out);
    bool writeLeaf(const FieldRule &rule, std::uint32_t context, std::string &out);
    bool writeEach(const OutNode &node, std::uint32_t context, std::string &out);
    bool holds(const Condition &condition, std::uint32_t context) const;
    /// Resolves `pointer`; reports a duplicate key or a wrong shape and returns false then too.
    bool find(const FieldRule &rule, const Pointer &pointer, std::uint32_t context, std::uint32_t &out, bool &present);
    bool convert(const FieldRule &rule, Transform transform, Work &value);
    bool checkType(const FieldRule &rule, const Work &value);
    void report(std::string_view code, const FieldRule &rule, const std::string &reason);
    std::string pointerText(const FieldRule &rule, bool canonical) const;

    const MappedConfig &config_;
    const JsonTree *source_ = nullptr;
    bool decode_ = true;
    const ErrorFn *onError_ = nullptr;
    std::size_t errors_ = 0;
    // The arrays being walked: their rule and the element's position, for error pointers.
    std::vector<std::pair<const FieldRule *, std::size_t>> each_;
    std::string scratch_[2];
    int next_ = 0;
};

}  // namespace lendgate::json_plugin

#endif  // LENDGATE_PLUGINS_JSON_MAPPED_CODEC_H
