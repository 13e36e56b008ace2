#include <algorithm>

#include "core/common/redact.h"
#include "core/common/strict_json.h"
#include "core/routing/detail/record_fields.h"
#include "core/routing/detail/rule_compiler.h"

namespace lendgate::routing::detail {

namespace {

// A file with hundreds of problems is better fixed from the top; the count
// of the rest is still given.
constexpr std::size_t kMaxReported = 200;

// Document order: "/rules/2/..." before "/rules/10/...", a member before its
// children.
bool documentOrder(const std::string &a, const std::string &b) {
    std::string problem;
    const auto left = splitPointer(a, problem).value_or(std::vector<std::string>{});
    const auto right = splitPointer(b, problem).value_or(std::vector<std::string>{});
    const std::size_t common = std::min(left.size(), right.size());
    for (std::size_t i = 0; i < common; ++i) {
        if (left[i] == right[i]) continue;
        const std::optional<std::size_t> leftIndex = arrayIndex(left[i]);
        const std::optional<std::size_t> rightIndex = arrayIndex(right[i]);
        if (leftIndex && rightIndex) return *leftIndex < *rightIndex;
        return left[i] < right[i];
    }
    return left.size() < right.size();
}

}  // namespace

void Diagnostics::add(std::string pointer, std::string message) {
    problems_.push_back(Problem{std::move(pointer), std::move(message)});
}

Error Diagnostics::toError() const {
    std::vector<const Problem *> ordered;
    ordered.reserve(problems_.size());
    for (const Problem &problem : problems_) ordered.push_back(&problem);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Problem *a, const Problem *b) { return documentOrder(a->pointer, b->pointer); });

    std::string text;
    for (std::size_t i = 0; i < ordered.size() && i < kMaxReported; ++i) {
        if (!text.empty()) text += '\n';
        text += origin_ + ": " + (ordered[i]->pointer.empty() ? "/" : ordered[i]->pointer) + ": " + ordered[i]->message;
    }
    if (ordered.size() > kMaxReported) {
        text += "\n" + origin_ + ": ... and " + std::to_string(ordered.size() - kMaxReported) + " more problems";
    }
    return Error{"routing.config", std::move(text)};
}

std::string inQuotes(std::string_view text) {
    return "\"" + redactForLog(text, 100) + "\"";
}

std::string child(const std::string &pointer, std::string_view token) {
    std::string out = pointer;
    appendPointerToken(out, token);
    return out;
}

std::string child(const std::string &pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

}  // namespace lendgate::routing::detail
