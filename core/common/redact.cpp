#include "core/common/redact.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace lendgate {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isAlnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Length of an SSN-shaped token (ddd-dd-dddd) starting at `i`, or 0.
std::size_t ssnAt(std::string_view s, std::size_t i) {
    static constexpr std::string_view shape = "ddd-dd-dddd";
    if (i + shape.size() > s.size()) return 0;
    for (std::size_t k = 0; k < shape.size(); ++k) {
        char c = s[i + k];
        if (shape[k] == 'd' ? !isDigit(c) : c != '-') return 0;
    }
    if (i + shape.size() < s.size() && isDigit(s[i + shape.size()])) return 0;
    return shape.size();
}

void appendMasked(std::string &out, std::string_view token) {
    std::size_t keep = token.size() > 4 ? 4 : 0;
    for (std::size_t k = 0; k + keep < token.size(); ++k) out.push_back(token[k] == '-' ? '-' : '*');
    out.append(token.substr(token.size() - keep));
}

void appendEscaped(std::string &out, char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\x";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xf]);
    } else {
        out.push_back(ch);
    }
}

void capLength(std::string &out, std::size_t maxLen) {
    if (out.size() > maxLen) {
        out.resize(maxLen);
        out += "...";
    }
}

}  // namespace

std::string maskValue(std::string_view value, std::size_t keep) {
    if (value.size() <= keep) return std::string(value.size(), '*');
    std::string out(value.size() - keep, '*');
    out.append(value.substr(value.size() - keep));
    return out;
}

std::string redactForLog(std::string_view text, std::size_t maxLen) {
    std::string out;
    out.reserve(text.size() < maxLen ? text.size() : maxLen);
    std::size_t i = 0;
    while (i < text.size()) {
        bool atWordStart = i == 0 || !isAlnum(text[i - 1]);
        if (atWordStart) {
            if (std::size_t n = ssnAt(text, i); n != 0) {
                appendMasked(out, text.substr(i, n));
                i += n;
                continue;
            }
            std::size_t end = i;
            bool hasDigit = false;
            while (end < text.size() && isAlnum(text[end])) hasDigit |= isDigit(text[end++]);
            std::string_view word = text.substr(i, end - i);
            bool allDigits = !word.empty() && word.find_first_not_of("0123456789") == std::string_view::npos;
            if ((allDigits && word.size() >= 6) || (word.size() == 17 && hasDigit)) {
                appendMasked(out, word);
                i = end;
                continue;
            }
        }
        appendEscaped(out, text[i]);
        ++i;
    }
    capLength(out, maxLen);
    return out;
}

std::string redactFileName(std::string_view name, std::size_t maxLen) {
    std::string out;
    out.reserve(name.size() < maxLen ? name.size() : maxLen);
    std::size_t i = 0;
    while (i < name.size()) {
        // Unlike redactForLog, letters around the digits do not protect them:
        // "acct4401009817.csv" holds the account number all the same.
        const bool runStart = isDigit(name[i]) && (i == 0 || !isDigit(name[i - 1]));
        if (runStart) {
            if (std::size_t n = ssnAt(name, i); n != 0) {
                appendMasked(out, name.substr(i, n));
                i += n;
                continue;
            }
            std::size_t end = i;
            while (end < name.size() && isDigit(name[end])) ++end;
            if (end - i >= 6) {
                appendMasked(out, name.substr(i, end - i));
                i = end;
                continue;
            }
        }
        appendEscaped(out, name[i]);
        ++i;
    }
    capLength(out, maxLen);
    return out;
}

std::string errorDocument(std::string_view code, std::string_view message) {
    nlohmann::json doc{{"error", {{"code", code}, {"message", redactForLog(message)}}}};
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lendgate
