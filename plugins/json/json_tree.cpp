#include "json_tree.h"

#include <cstring>

namespace lendgate::json_plugin {
namespace {

constexpr char kHex[] = "0123456789abcdef";

unsigned hexValue(char c) noexcept {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    return static_cast<unsigned>(c - 'A' + 10);
}

void appendUtf8(std::string &out, unsigned code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// `body` is a valid string literal's content (between the quotes).
void unescape(std::string_view body, std::string &out) {
    out.clear();
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        const char e = body[++i];
        switch (e) {
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned code = 0;
                for (int k = 0; k < 4; ++k) code = code * 16 + hexValue(body[++i]);
                if (code >= 0xD800 && code <= 0xDBFF) {  // JsonSyntax guarantees the low half follows
                    unsigned low = 0;
                    for (int k = 0; k < 4; ++k) low = low * 16 + hexValue(body[i + 3 + static_cast<std::size_t>(k)]);
                    i += 6;
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                }
                appendUtf8(out, code);
                break;
            }
            default: out += e;  // " \ /
        }
    }
}

}  // namespace

bool parsePointer(std::string_view text, Pointer &out) {
    out.text = std::string(text);
    out.segments.clear();
    if (text.empty()) return true;
    if (text.front() != '/') return false;
    std::size_t start = 1;
    for (;;) {
        const std::size_t slash = text.find('/', start);
        const std::string_view raw = text.substr(start, slash == std::string_view::npos ? slash : slash - start);
        PointerSegment segment;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '~') {
                segment.key += raw[i];
                continue;
            }
            if (i + 1 == raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1')) return false;
            segment.key += raw[++i] == '0' ? '~' : '/';
        }
        // RFC 6901 array indices: "0" or digits without a leading zero; kept small.
        const std::string &k = segment.key;
        segment.isIndex = !k.empty() && k.size() <= 6 && (k == "0" || k[0] != '0') &&
                          k.find_first_not_of("0123456789") == std::string::npos;
        if (segment.isIndex) segment.index = static_cast<std::uint32_t>(std::stoul(k));
        out.segments.push_back(std::move(segment));
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

void appendJsonString(std::string &out, std::string_view value) {
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(value.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
        }
    }
    out.append(value.data() + run, value.size() - run);
    out += '"';
}

std::uint32_t JsonTree::push(JsonKind kind, std::uint32_t begin) {
    nodes_.push_back(Node{kind, false, begin, begin, 0});
    return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void JsonTree::skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
        ++pos_;
}

void JsonTree::parse(std::string_view text) {
    text_ = text;
    pos_ = 0;
    nodes_.clear();
    skipSpace();
    parseValue();
}

// Recursion is bounded: JsonSyntax has refused anything nested deeper than 64.
void JsonTree::parseValue() {
    const auto begin = static_cast<std::uint32_t>(pos_);
    const char c = text_[pos_];
    std::uint32_t self;
    if (c == '{' || c == '[') {
        const bool object = c == '{';
        self = push(object ? JsonKind::Object : JsonKind::Array, begin);
        ++pos_;
        skipSpace();
        if (text_[pos_] != (object ? '}' : ']')) {
            for (;;) {
                if (object) {
                    parseValue();  // the key
                    skipSpace();
                    ++pos_;  // ':'
                    skipSpace();
                }
                parseValue();
                skipSpace();
                if (text_[pos_] != ',') break;
                ++pos_;
                skipSpace();
            }
        }
        ++pos_;  // the closing bracket
    } else if (c == '"') {
        self = push(JsonKind::String, begin);
        std::size_t i = pos_ + 1;
        for (;;) {
            const char *hit = static_cast<const char *>(std::memchr(text_.data() + i, '"', text_.size() - i));
            std::size_t q = static_cast<std::size_t>(hit - text_.data());
            // A quote is escaped when an odd number of backslashes precede it.
            std::size_t slashes = 0;
            while (text_[q - 1 - slashes] == '\\') ++slashes;
            if (slashes % 2 == 0) {
                nodes_[self].escaped = std::memchr(text_.data() + pos_ + 1, '\\', q - pos_ - 1) != nullptr;
                pos_ = q + 1;
                break;
            }
            i = q + 1;
        }
    } else if (c == 't' || c == 'f' || c == 'n') {
        self = push(c == 't' ? JsonKind::True : c == 'f' ? JsonKind::False : JsonKind::Null, begin);
        pos_ += c == 'f' ? 5 : 4;
    } else {
        self = push(JsonKind::Number, begin);
        while (pos_ < text_.size() && (std::strchr("0123456789+-.eE", text_[pos_]) != nullptr && text_[pos_] != '\0'))
            ++pos_;
    }
    nodes_[self].end = static_cast<std::uint32_t>(pos_);
    nodes_[self].after = static_cast<std::uint32_t>(nodes_.size());
}

std::string_view JsonTree::stringValue(std::uint32_t i, std::string &scratch) const {
    const Node &n = nodes_[i];
    const std::string_view body = text_.substr(n.begin + 1, n.end - n.begin - 2);
    if (!n.escaped) return body;
    unescape(body, scratch);
    return scratch;
}

std::uint32_t JsonTree::elementCount(std::uint32_t container) const {
    std::uint32_t count = 0;
    forEachElement(container, [&](std::uint32_t) { ++count; });
    return count;
}

JsonTree::Found JsonTree::find(std::uint32_t from, const Pointer &pointer, std::uint32_t &out,
                               std::size_t &depth) const {
    std::uint32_t at = from;
    for (depth = 0; depth < pointer.segments.size(); ++depth) {
        const PointerSegment &segment = pointer.segments[depth];
        const Node &n = nodes_[at];
        if (n.kind == JsonKind::Null) return Found::Absent;
        if (n.kind == JsonKind::Array) {
            if (!segment.isIndex) return Found::WrongKind;
            std::uint32_t seen = 0;
            std::uint32_t hit = 0;
            forEachElement(at, [&](std::uint32_t e) {
                if (seen++ == segment.index) hit = e;
            });
            if (hit == 0) return Found::Absent;
            at = hit;
            continue;
        }
        if (n.kind != JsonKind::Object) return Found::WrongKind;
        std::uint32_t hit = 0;
        int count = 0;
        for (std::uint32_t k = at + 1; k < n.after; k = nodes_[k + 1].after) {
            const Node &key = nodes_[k];
            if (!key.escaped) {
                // The common case, compared in place: most keys are plain ASCII.
                const std::size_t size = key.end - key.begin - 2;
                if (size != segment.key.size() ||
                    std::memcmp(text_.data() + key.begin + 1, segment.key.data(), size) != 0)
                    continue;
            } else if (stringValue(k, keyScratch_) != segment.key) {
                continue;
            }
            ++count;
            hit = k + 1;
        }
        if (count > 1) return Found::Duplicate;
        if (count == 0) return Found::Absent;
        at = hit;
    }
    if (nodes_[at].kind == JsonKind::Null) return Found::Absent;
    out = at;
    return Found::Value;
}

}  // namespace lendgate::json_plugin
