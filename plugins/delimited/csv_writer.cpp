#include "csv_writer.h"

namespace lendgate::delimited {
namespace {

bool isPlainNumber(std::string_view text) noexcept {
    if (!text.empty() && text.front() == '-') text.remove_prefix(1);
    bool digits = false, point = false;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits = true;
        } else if (c == '.' && digits && !point) {
            point = true;
            digits = false;
        } else {
            return false;
        }
    }
    return digits;
}

}  // namespace

bool startsLikeFormula(std::string_view cell) noexcept {
    std::string_view rest = cell;
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) return false;
    bool trigger = false;
    switch (rest.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
        case '\n': trigger = true; break;
        default:
            // U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠ in UTF-8.
            trigger = rest.size() >= 3 && rest.substr(0, 2) == "\xEF\xBC" &&
                      (rest[2] == '\x9D' || rest[2] == '\x8B' || rest[2] == '\x8D' || rest[2] == '\xA0');
    }
    return trigger && !isPlainNumber(cell);
}

bool CsvWriter::appendCell(std::string &out, std::string_view cell, bool first) const {
    const bool neutralise = options_.spreadsheetSafe && startsLikeFormula(cell);
    bool quote = options_.alwaysQuote;
    for (char c : cell) {
        if (c == options_.delimiter || c == '\n' || c == '\r' || (options_.quote != '\0' && c == options_.quote)) {
            quote = true;
            break;
        }
    }
    if (quote && options_.quote == '\0') {
        if (options_.alwaysQuote) quote = false;
        for (char c : cell)
            if (c == options_.delimiter || c == '\n' || c == '\r') return false;
    }
    if (!first) out += options_.delimiter;
    if (quote) out += options_.quote;
    if (neutralise) out += '\'';
    if (!quote) {
        out.append(cell);
    } else {
        std::size_t plain = 0;
        for (std::size_t i = 0; i < cell.size(); ++i) {
            if (cell[i] != options_.quote) continue;
            out.append(cell.substr(plain, i + 1 - plain));
            out += options_.quote;
            plain = i + 1;
        }
        out.append(cell.substr(plain));
        out += options_.quote;
    }
    return true;
}

}  // namespace lendgate::delimited
