// Any bytes: the strict parser answers with a value or an error, never a crash,
// and an error message never contains the input's bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/common/strict_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    lendgate::JsonSyntaxError error;
    auto parsed = lendgate::parseStrictJson(text, error);
    if (!parsed && error.code.empty()) std::abort();
    return 0;
}
