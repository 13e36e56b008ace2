#include "core/delivery/ack_slices.h"

namespace lendgate::delivery {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// The closing quote of the string whose opening quote is at `at`.
std::size_t endOfString(std::string_view text, std::size_t at) {
    for (std::size_t i = at + 1; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            return i;
        }
    }
    return text.size();
}

std::size_t skipBlanks(std::string_view text, std::size_t at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) ++at;
    return at;
}

}  // namespace

AckSlices::AckSlices(std::string_view document, std::size_t perSlice)
    : document_(document), perSlice_(perSlice == 0 ? 1 : perSlice) {
    // Find "payload": {... "records": [ ... ] ...} at the top of the document.
    // keyAt[d] is the last member name read inside the object at depth d.
    std::string_view keyAt[3];
    bool inPayload = false;
    int depth = 0;
    std::size_t open = npos;
    for (std::size_t i = 0; i < document_.size(); ++i) {
        const char c = document_[i];
        if (c == '"') {
            const std::size_t end = endOfString(document_, i);
            const std::size_t after = skipBlanks(document_, end + 1);
            if (after < document_.size() && document_[after] == ':' && depth >= 1 && depth <= 2)
                keyAt[depth] = document_.substr(i + 1, end - i - 1);
            i = end;
        } else if (c == '{' || c == '[') {
            if (depth == 1 && c == '{') inPayload = keyAt[1] == "payload";
            if (depth == 2 && c == '[' && inPayload && keyAt[2] == "records") open = i;
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
            if (open != npos && depth == 2) {
                close_ = i;
                break;
            }
            if (depth <= 1) inPayload = false;
        }
    }
    if (open == npos || close_ == npos) return;
    // A short list goes whole, so that the plugin sees exactly the document.
    const std::size_t first = skipBlanks(document_, open + 1);
    if (first >= close_ || endOfRun(first) == close_) return;
    open_ = open;
    cursor_ = open + 1;
}

std::size_t AckSlices::endOfRun(std::size_t from) const {
    std::size_t count = 0;
    int depth = 0;
    for (std::size_t i = from; i < close_; ++i) {
        const char c = document_[i];
        if (c == '"') {
            i = endOfString(document_, i);
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 0 && ++count == perSlice_) {
            return i;
        }
    }
    return close_;
}

bool AckSlices::next(std::string &slice) {
    if (done_) return false;
    if (!sliced()) {
        slice.assign(document_);
        done_ = true;
        return true;
    }
    std::size_t start = skipBlanks(document_, cursor_);
    if (start < close_ && document_[start] == ',') start = skipBlanks(document_, start + 1);
    if (start >= close_) {
        done_ = true;
        return false;
    }
    const std::size_t end = endOfRun(start);
    slice.clear();
    slice.reserve(open_ + 1 + (end - start) + (document_.size() - close_));
    slice.append(document_.substr(0, open_ + 1));
    slice.append(document_.substr(start, end - start));
    slice.append(document_.substr(close_));
    cursor_ = end;
    if (end == close_) done_ = true;
    return true;
}

}  // namespace lendgate::delivery
