// Any bytes as a canonical record: validation ends with a message or errors,
// and a valid message survives a round trip through its canonical JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/model/message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    lendgate::model::ParseResult first = lendgate::model::parseMessage(text);
    if (!first.ok()) {
        if (first.errors.empty()) std::abort();
        return 0;
    }
    std::string canonical = lendgate::model::toCanonicalJson(*first.message);
    lendgate::model::ParseResult second = lendgate::model::parseMessage(canonical);
    if (!second.ok() || lendgate::model::toCanonicalJson(*second.message) != canonical) std::abort();
    return 0;
}
