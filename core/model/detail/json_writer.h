// A minimal writer of compact JSON text, private to core/model.
//
// Writing text directly keeps fields in model order (a JSON DOM would sort
// them) and is several times faster than building a DOM per record.
#ifndef LENDGATE_MODEL_DETAIL_JSON_WRITER_H
#define LENDGATE_MODEL_DETAIL_JSON_WRITER_H

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lendgate::model::detail {

class JsonWriter {
public:
    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    /// The member name of the next value inside an object.
    void key(std::string_view name);
    void string(std::string_view value);
    void integer(std::int64_t value);
    void boolean(bool value);

    std::string take() { return std::move(out_); }

private:
    void beforeValue();
    void writeEscaped(std::string_view text);

    std::string out_;
    std::vector<bool> firstInContainer_;
    bool afterKey_ = false;
};

}  // namespace lendgate::model::detail

#endif  // LENDGATE_MODEL_DETAIL_JSON_WRITER_H
