#include "core/model/formats.h"

#include <algorithm>
#include <array>

namespace lendgate::model {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isLower(char c) {
    return c >= 'a' && c <= 'z';
}
bool isAlpha(char c) {
    return isUpper(c) || isLower(c);
}
bool isAlnum(char c) {
    return isAlpha(c) || isDigit(c);
}

bool allDigits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), isDigit);
}

// 49 CFR 565.15 transliteration of VIN characters to values, A to Z in
// order; '-' marks I, O and Q, which a VIN never contains.
int vinValue(char c) {
    static constexpr std::string_view kLetterValues = "12345678-12345-7-923456789";
    if (isDigit(c)) return c - '0';
    if (!isUpper(c) || kLetterValues[c - 'A'] == '-') return -1;
    return kLetterValues[c - 'A'] - '0';
}

// A DNS label: letters, digits and inner hyphens, 1 to 63 characters.
bool isDnsLabel(std::string_view label) {
    if (label.empty() || label.size() > 63) return false;
    if (!isAlnum(label.front()) || !isAlnum(label.back())) return false;
    return std::all_of(label.begin(), label.end(), [](char c) { return isAlnum(c) || c == '-'; });
}

bool isEmailLocalChar(char c) {
    static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~.-";
    return isAlnum(c) || kSpecials.find(c) != std::string_view::npos;
}

}  // namespace

bool isVinSyntax(std::string_view vin) {
    return vin.size() == 17 && std::all_of(vin.begin(), vin.end(), [](char c) { return vinValue(c) >= 0; });
}

std::optional<char> vinCheckDigit(std::string_view vin) {
    static constexpr std::array<int, 17> kWeights = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    if (!isVinSyntax(vin)) return std::nullopt;
    int sum = 0;
    for (std::size_t i = 0; i < vin.size(); ++i) sum += vinValue(vin[i]) * kWeights[i];
    const int remainder = sum % 11;
    return remainder == 10 ? 'X' : static_cast<char>('0' + remainder);
}

bool isValidVin(std::string_view vin) {
    const std::optional<char> expected = vinCheckDigit(vin);
    return expected && vin[8] == *expected;
}

bool isUsStateCode(std::string_view code) {
    static constexpr std::array<std::string_view, 59> kCodes = {
        "AA", "AE", "AK", "AL", "AP", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA",
        "GU", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO",
        "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA",
        "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"};
    return std::binary_search(kCodes.begin(), kCodes.end(), code);
}

bool isUsPostalCode(std::string_view code) {
    if (code.size() == 5) return allDigits(code);
    return code.size() == 10 && code[5] == '-' && allDigits(code.substr(0, 5)) && allDigits(code.substr(6));
}

bool isE164Phone(std::string_view number) {
    if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] < '1' || number[1] > '9') return false;
    return allDigits(number.substr(1));
}

bool isSsnSyntax(std::string_view ssn) {
    if (ssn.size() == 9) return allDigits(ssn);
    return ssn.size() == 11 && ssn[3] == '-' && ssn[6] == '-' && allDigits(ssn.substr(0, 3)) &&
           allDigits(ssn.substr(4, 2)) && allDigits(ssn.substr(7));
}

bool isEmailAddress(std::string_view email) {
    if (email.size() > 254) return false;
    const std::size_t at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64) return false;
    const std::string_view local = email.substr(0, at);
    if (!std::all_of(local.begin(), local.end(), isEmailLocalChar)) return false;
    std::string_view domain = email.substr(at + 1);
    std::size_t labels = 0;
    while (true) {
        const std::size_t dot = domain.find('.');
        if (!isDnsLabel(domain.substr(0, dot))) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        domain.remove_prefix(dot + 1);
    }
    return labels >= 2;
}

bool isLanguageTag(std::string_view tag) {
    if (tag.size() > 35) return false;
    std::size_t start = 0;
    bool first = true;
    while (true) {
        const std::size_t dash = tag.find('-', start);
        const std::string_view part = tag.substr(start, dash == std::string_view::npos ? dash : dash - start);
        if (first) {
            if (part.size() < 2 || part.size() > 3 || !std::all_of(part.begin(), part.end(), isAlpha)) return false;
        } else if (part.size() < 2 || part.size() > 8 || !std::all_of(part.begin(), part.end(), isAlnum)) {
            return false;
        }
        first = false;
        if (dash == std::string_view::npos) return true;
        start = dash + 1;
    }
}

bool isUlid(std::string_view id) {
    static constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    if (id.size() != 26 || id[0] < '0' || id[0] > '7') return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return kCrockford.find(c) != std::string_view::npos; });
}

bool isSha256Hex(std::string_view digest) {
    return digest.size() == 64 &&
           std::all_of(digest.begin(), digest.end(), [](char c) { return isDigit(c) || (c >= 'a' && c <= 'f'); });
}

bool isJsonPointer(std::string_view pointer) {
    if (pointer.empty()) return true;
    if (pointer[0] != '/') return false;
    for (std::size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] != '~') continue;
        if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) return false;
    }
    return true;
}

bool isPartnerId(std::string_view id) {
    if (id.empty() || id.size() > 64 || !isAlnum(id[0])) return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool isCodeToken(std::string_view code) {
    if (code.empty() || code.size() > 64 || !isLower(code[0])) return false;
    return std::all_of(code.begin(), code.end(), [](char c) { return isLower(c) || isDigit(c) || c == '_'; });
}

bool isAccountNumber(std::string_view number) {
    if (number.empty() || number.size() > 34 || !isAlnum(number[0])) return false;
    return std::all_of(number.begin(), number.end(), [](char c) { return isAlnum(c) || c == '-'; });
}

bool isAccountToken(std::string_view token) {
    if (token.empty() || token.size() > 128) return false;
    return std::all_of(token.begin(), token.end(),
                       [](char c) { return isAlnum(c) || c == '_' || c == '-' || c == '.' || c == ':'; });
}

bool isPlate(std::string_view plate) {
    if (plate.empty() || plate.size() > 10) return false;
    return std::all_of(plate.begin(), plate.end(),
                       [](char c) { return isUpper(c) || isDigit(c) || c == ' ' || c == '-'; });
}

std::size_t codePointCount(std::string_view utf8) {
    // Every code point has exactly one byte that is not a continuation byte.
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool isSingleLine(std::string_view text) {
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

bool isMultiLine(std::string_view text) {
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7F;
    });
}

}  // namespace lendgate::model
