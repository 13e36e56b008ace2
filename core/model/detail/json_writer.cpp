#include "core/model/detail/json_writer.h"

namespace lendgate::model::detail {

void JsonWriter::beforeValue() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (!firstInContainer_.empty()) {
        if (!firstInContainer_.back()) out_ += ',';
        firstInContainer_.back() = false;
    }
}

void JsonWriter::beginObject() {
    beforeValue();
    out_ += '{';
    firstInContainer_.push_back(true);
}

void JsonWriter::endObject() {
    firstInContainer_.pop_back();
    out_ += '}';
}

void JsonWriter::beginArray() {
    beforeValue();
    out_ += '[';
    firstInContainer_.push_back(true);
}

void JsonWriter::endArray() {
    firstInContainer_.pop_back();
    out_ += ']';
}

void JsonWriter::key(std::string_view name) {
    beforeValue();
    writeEscaped(name);
    out_ += ':';
    afterKey_ = true;
}

void JsonWriter::string(std::string_view value) {
    beforeValue();
    writeEscaped(value);
}

void JsonWriter::integer(std::int64_t value) {
    beforeValue();
    out_ += std::to_string(value);
}

void JsonWriter::boolean(bool value) {
    beforeValue();
    out_ += value ? "true" : "false";
}

// Escapes exactly what JSON requires, with the short forms where JSON has
// them, and passes UTF-8 through; the same choices as nlohmann's dump(), so
// either side may produce canonical text.
void JsonWriter::writeEscaped(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_ += '"';
    for (const char c : text) {
        switch (c) {
            case '"': out_ += "\\\""; break;
            case '\\': out_ += "\\\\"; break;
            case '\b': out_ += "\\b"; break;
            case '\f': out_ += "\\f"; break;
            case '\n': out_ += "\\n"; break;
            case '\r': out_ += "\\r"; break;
            case '\t': out_ += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out_ += "\\u00";
                    out_ += kHex[(c >> 4) & 0x0F];
                    out_ += kHex[c & 0x0F];
                } else {
                    out_ += c;
                }
        }
    }
    out_ += '"';
}

}  // namespace lendgate::model::detail
