// Batch file names: the placeholders of BatchSettings::fileName. Kept apart
// from the loader so the dispatcher names files with the very code that
// checked the pattern when the configuration was loaded.
#include <ctime>
#include <string>
#include <string_view>

#include "core/config/gateway_config.h"

namespace lendgate::config {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::string_view kDateDirectives = "YymdjHMSF";

bool safeNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
}

std::string padded(long long value, int width) {
    std::string digits = std::to_string(value);
    if (static_cast<int>(digits.size()) < width) digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
    return digits;
}

std::string formatDate(std::string_view format, const std::tm &t) {
    std::string out;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out.push_back(format[i]);
            continue;
        }
        switch (format[++i]) {
            case 'Y': out += padded(t.tm_year + 1900, 4); break;
            case 'y': out += padded((t.tm_year + 1900) % 100, 2); break;
            case 'm': out += padded(t.tm_mon + 1, 2); break;
            case 'd': out += padded(t.tm_mday, 2); break;
            case 'j': out += padded(t.tm_yday + 1, 3); break;
            case 'H': out += padded(t.tm_hour, 2); break;
            case 'M': out += padded(t.tm_min, 2); break;
            case 'S': out += padded(t.tm_sec, 2); break;
            case 'F':
                out += padded(t.tm_year + 1900, 4) + "-" + padded(t.tm_mon + 1, 2) + "-" + padded(t.tm_mday, 2);
                break;
            default: break;  // refused by the pattern check before any file is named
        }
    }
    return out;
}

/// One pass over a pattern: calls `placeholder(name)` for each {name} and
/// `literal(c)` for every other character; returns why it is malformed.
template <class OnPlaceholder, class OnLiteral>
std::string scan(const std::string &pattern, OnPlaceholder placeholder, OnLiteral literal) {
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '}') return "has a '}' without its '{'";
        if (pattern[i] != '{') {
            literal(pattern[i]);
            continue;
        }
        const std::size_t close = pattern.find('}', i);
        if (close == std::string::npos) return "has a '{' without its '}'";
        const std::string name = pattern.substr(i + 1, close - i - 1);
        if (std::string why = placeholder(name); !why.empty()) return why;
        i = close;
    }
    return {};
}

/// Why `name` is not a placeholder ("" when it is); `width` gets {seq:0N}'s N.
std::string checkPlaceholder(const std::string &name, int &width) {
    if (name == "partner" || name == "type" || name == "ext" || name == "seq") return {};
    if (name.rfind("seq:0", 0) == 0 && name.size() == 6 && name[5] >= '1' && name[5] <= '9') {
        width = name[5] - '0';
        return {};
    }
    if (name.rfind("date:", 0) == 0) {
        const std::string_view format = std::string_view(name).substr(5);
        if (format.empty()) return "{date:} needs a format, e.g. {date:%Y%m%d}";
        for (std::size_t i = 0; i < format.size(); ++i) {
            if (format[i] == '%') {
                if (i + 1 == format.size() || kDateDirectives.find(format[i + 1]) == std::string_view::npos)
                    return "{" + name + "}: only %Y %y %m %d %j %H %M %S %F may be used";
                ++i;
            } else if (!safeNameChar(format[i])) {
                return "{" + name + "}: only letters, digits, '-', '_' and '.' may stand between directives";
            }
        }
        return {};
    }
    return "{" + name + "} is not a placeholder ({partner}, {type}, {date:FORMAT}, {seq}, {seq:0N}, {ext})";
}

}  // namespace

std::optional<std::string> formatBatchFileName(const std::string &pattern, const BatchFileNameParts &parts,
                                               std::string &why) {
    const std::time_t seconds = static_cast<std::time_t>(parts.unixMs / 1000);
    std::tm utc{};
    if (::gmtime_r(&seconds, &utc) == nullptr) {
        why = "the file's time is out of range";
        return std::nullopt;
    }
    std::string name;
    why = scan(
        pattern,
        [&](const std::string &placeholder) {
            int width = 0;
            if (std::string problem = checkPlaceholder(placeholder, width); !problem.empty()) return problem;
            if (placeholder == "partner") name += parts.partner;
            if (placeholder == "type") name += parts.messageType;
            if (placeholder == "ext") name += parts.extension;
            if (placeholder.rfind("seq", 0) == 0) name += padded(parts.sequence, width);
            if (placeholder.rfind("date:", 0) == 0) name += formatDate(std::string_view(placeholder).substr(5), utc);
            return std::string();
        },
        [&](char c) { name.push_back(c); });
    if (!why.empty()) return std::nullopt;
    bool safe = !name.empty() && name.size() <= kMaxNameLength && name.front() != '.';
    for (char c : name) safe = safe && safeNameChar(c);
    if (!safe) {
        why = "does not give a safe file name (letters, digits, '-', '_', '.'; not starting with '.'; at most 200)";
        return std::nullopt;
    }
    return name;
}

std::string checkBatchFileName(const std::string &pattern, bool severalTypes) {
    bool sequence = false, type = false, year = false, month = false, dayOfMonth = false, dayOfYear = false;
    std::string why = scan(
        pattern,
        [&](const std::string &placeholder) {
            int width = 0;
            if (std::string problem = checkPlaceholder(placeholder, width); !problem.empty()) return problem;
            sequence = sequence || placeholder.rfind("seq", 0) == 0;
            type = type || placeholder == "type";
            if (placeholder.rfind("date:", 0) == 0) {
                auto has = [&](std::string_view directive) { return placeholder.find(directive) != std::string::npos; };
                year = year || has("%Y") || has("%y") || has("%F");
                month = month || has("%m") || has("%F");
                dayOfMonth = dayOfMonth || has("%d") || has("%F");
                dayOfYear = dayOfYear || has("%j");
            }
            return std::string();
        },
        [](char) {});
    if (!why.empty()) return why;
    if (!sequence) return "needs {seq} (or {seq:0N}): two files of one day must never share a name";
    if (!year || !(dayOfYear || (month && dayOfMonth)))
        return "needs a {date:...} naming the day (e.g. {date:%Y%m%d}): the sequence starts again every day";
    if (severalTypes && !type)
        return "needs {type}: the endpoint batches several message types, each numbered on its own";
    // A sample name catches what only shows once filled in (length, a leading '.').
    BatchFileNameParts sample{"p", "repossession_assignment", 0, 1, ".json"};
    if (!formatBatchFileName(pattern, sample, why)) return why;
    return {};
}

}  // namespace lendgate::config
