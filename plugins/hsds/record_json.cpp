#include "record_json.h"

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace lendgate::hsds {
namespace {

using Json = nlohmann::json;

// Builds the DOM through nlohmann's own SAX builder and watches keys on the way.
class CheckedBuilder final : public nlohmann::json_sax<Json> {
public:
    explicit CheckedBuilder(Json &out) : dom_(out, false) {}

    bool null() override { return dom_.null(); }
    bool boolean(bool value) override { return dom_.boolean(value); }
    bool number_integer(number_integer_t value) override { return dom_.number_integer(value); }
    bool number_unsigned(number_unsigned_t value) override { return dom_.number_unsigned(value); }
    bool number_float(number_float_t value, const string_t &text) override { return dom_.number_float(value, text); }
    bool string(string_t &value) override { return dom_.string(value); }
    bool binary(binary_t &value) override { return dom_.binary(value); }
    bool start_object(std::size_t size) override {
        keys_.emplace_back();
        return dom_.start_object(size);
    }
    bool key(string_t &value) override {
        if (!keys_.back().insert(value).second) {
            duplicate_ = true;
            return false;
        }
        return dom_.key(value);
    }
    bool end_object() override {
        keys_.pop_back();
        return dom_.end_object();
    }
    bool start_array(std::size_t size) override { return dom_.start_array(size); }
    bool end_array() override { return dom_.end_array(); }
    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &error) override {
        position_ = position;
        errorId_ = error.id;
        // nlohmann's text quotes the offending token; only the kind of problem is kept.
        badUtf8_ = std::string_view(error.what()).find("UTF-8") != std::string_view::npos;
        return false;
    }

    bool duplicate() const noexcept { return duplicate_; }
    std::size_t position() const noexcept { return position_; }
    int errorId() const noexcept { return errorId_; }
    bool badUtf8() const noexcept { return badUtf8_; }

private:
    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    std::vector<std::unordered_set<std::string>> keys_;
    bool duplicate_ = false;
    std::size_t position_ = 0;
    int errorId_ = 0;
    bool badUtf8_ = false;
};

}  // namespace

ParsedRecord parseRecord(std::string_view text) {
    ParsedRecord parsed;
    CheckedBuilder builder(parsed.value);
    if (Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json, true)) {
        parsed.ok = true;
        return parsed;
    }
    parsed.value = Json();
    if (builder.duplicate()) {
        parsed.code = "duplicate_key";
        parsed.text = "a member appears twice in one object";
    } else if (builder.badUtf8()) {
        parsed.code = "encoding";
        parsed.text = "a string is not valid UTF-8 (byte " + std::to_string(builder.position()) + " of the record)";
    } else if (builder.errorId() == 406) {
        parsed.code = "number_range";
        parsed.text = "a number is too large (byte " + std::to_string(builder.position()) + " of the record)";
    } else {
        parsed.code = "syntax";
        parsed.text = "the record is not valid JSON (byte " + std::to_string(builder.position()) + " of the record)";
    }
    return parsed;
}

}  // namespace lendgate::hsds
