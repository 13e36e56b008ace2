// One record's JSON text to a DOM, refusing what nlohmann would let through:
// a member named twice in one object (nlohmann keeps the last one silently, so
// a second "status" could overrule the first unseen). Its errors say where and
// what, never quote the text: nlohmann's own messages do.
#ifndef LENDGATE_PLUGINS_HSDS_RECORD_JSON_H
#define LENDGATE_PLUGINS_HSDS_RECORD_JSON_H

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lendgate::hsds {

struct ParsedRecord {
    bool ok = false;
    nlohmann::json value;
    std::string code;  // syntax, encoding, duplicate_key, number_range
    std::string text;  // one sentence for operators, free of the record's content
};

ParsedRecord parseRecord(std::string_view text);

}  // namespace lendgate::hsds

#endif  // LENDGATE_PLUGINS_HSDS_RECORD_JSON_H
