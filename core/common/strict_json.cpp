#include "core/common/strict_json.h"

#include <utility>
#include <vector>

namespace lendgate {

void appendPointerToken(std::string &pointer, std::string_view token) {
    pointer.push_back('/');
    for (char c : token) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer.push_back(c);
        }
    }
}

namespace {

using json = nlohmann::json;

// Builds the DOM itself so it can see every key as it arrives: nlohmann's own
// DOM builder overwrites duplicates before anyone could notice.
class StrictBuilder : public nlohmann::json_sax<json> {
public:
    StrictBuilder(const StrictJsonLimits &limits, JsonSyntaxError &error) : limits_(limits), error_(error) {}

    json take() { return std::move(root_); }

    bool null() override { return add(json(nullptr)); }
    bool boolean(bool value) override { return add(json(value)); }
    bool number_integer(number_integer_t value) override { return add(json(value)); }
    bool number_unsigned(number_unsigned_t value) override { return add(json(value)); }
    bool number_float(number_float_t value, const string_t &text) override {
        // Integers too large for 64 bits arrive here too; a million-digit
        // number must be refused, not turned into infinity.
        if (text.size() > limits_.maxNumberChars) return fail("number_too_long", "number has too many digits");
        return add(json(value));
    }
    bool string(string_t &value) override {
        if (value.size() > limits_.maxStringBytes) return fail("string_too_long", "string is too long");
        return add(json(std::move(value)));
    }
    bool binary(binary_t &) override { return fail("syntax", "binary values are not JSON"); }

    bool start_object(std::size_t) override {
        if (!open(json::object())) return false;
        return true;
    }
    bool key(string_t &name) override {
        if (name.size() > limits_.maxStringBytes) return fail("string_too_long", "member name is too long");
        Frame &frame = stack_.back();
        frame.hasKey = false;
        if (frame.value->contains(name)) {
            std::string where = pointer();
            appendPointerToken(where, name);
            error_.pointer = where;
            error_.code = "duplicate_key";
            error_.message = "member appears more than once in the same object";
            return false;
        }
        frame.key = name;
        frame.hasKey = true;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool end_array() override { return close(); }

    bool parse_error(std::size_t position, const std::string &lastToken, const nlohmann::detail::exception &) override {
        // nlohmann refuses numbers that overflow a double before number_float
        // sees them; the token is only inspected, never quoted.
        if (error_.code.empty() && lastToken.size() > limits_.maxNumberChars &&
            lastToken.find_first_not_of("0123456789+-.eE") == std::string::npos) {
            fail("number_too_long", "number has too many digits");
        }
        if (error_.code.empty()) {
            error_.code = "syntax";
            error_.pointer = pointer();
            error_.message = "invalid JSON syntax at byte " + std::to_string(position);
        }
        error_.offset = position;
        return false;
    }

private:
    struct Frame {
        json *value;
        std::string key;
        bool hasKey = false;
    };

    std::string pointer() const {
        // An enclosing array already holds the element being parsed; the
        // innermost one does not yet hold a scalar that failed.
        std::string out;
        for (std::size_t i = 0; i < stack_.size(); ++i) {
            const Frame &frame = stack_[i];
            if (frame.value->is_object()) {
                if (frame.hasKey) appendPointerToken(out, frame.key);
            } else {
                std::size_t index = frame.value->size();
                if (i + 1 < stack_.size() && index > 0) --index;
                appendPointerToken(out, std::to_string(index));
            }
        }
        return out;
    }

    bool fail(const char *code, const char *message) {
        error_.code = code;
        error_.pointer = pointer();
        error_.message = message;
        return false;
    }

    json *place(json &&value) {
        if (stack_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        Frame &frame = stack_.back();
        if (frame.value->is_object()) {
            json &slot = (*frame.value)[frame.key];
            slot = std::move(value);
            return &slot;
        }
        frame.value->push_back(std::move(value));
        return &frame.value->back();
    }

    bool add(json &&value) {
        place(std::move(value));
        return true;
    }

    bool open(json &&container) {
        if (stack_.size() >= limits_.maxDepth) return fail("too_deep", "nesting is too deep");
        json *slot = place(std::move(container));
        stack_.push_back(Frame{slot, {}});
        return true;
    }

    bool close() {
        stack_.pop_back();
        return true;
    }

    const StrictJsonLimits &limits_;
    JsonSyntaxError &error_;
    json root_;
    std::vector<Frame> stack_;
};

}  // namespace

std::optional<nlohmann::json> parseStrictJson(std::string_view text, JsonSyntaxError &error,
                                              const StrictJsonLimits &limits) {
    error = JsonSyntaxError{};
    if (text.size() > limits.maxBytes) {
        error.code = "too_large";
        error.message = "document is larger than " + std::to_string(limits.maxBytes) + " bytes";
        return std::nullopt;
    }
    StrictBuilder builder(limits, error);
    bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true, false);
    if (!ok) {
        if (error.code.empty()) {
            error.code = "syntax";
            error.message = "invalid JSON syntax";
        }
        return std::nullopt;
    }
    return builder.take();
}

}  // namespace lendgate
