#include "core/journal/journal.h"

#include <array>
#include <utility>

namespace lendgate::journal {
namespace {

template <class Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N> &names, Enum value) noexcept {
    for (const auto &[e, name] : names) {
        if (e == value) return name;
    }
    return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, std::string_view>, N> &names,
                            std::string_view text) noexcept {
    for (const auto &[e, name] : names) {
        if (name == text) return e;
    }
    return std::nullopt;
}

// These texts are also the values stored in the SQLite schema's CHECK lists.
constexpr std::array<std::pair<MessageState, std::string_view>, 6> kMessageStates{{
    {MessageState::Stored, "stored"},
    {MessageState::Unroutable, "unroutable"},
    {MessageState::Pending, "pending"},
    {MessageState::Delivered, "delivered"},
    {MessageState::DeadLettered, "dead"},
    {MessageState::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<DeliveryState, std::string_view>, 5> kDeliveryStates{{
    {DeliveryState::Pending, "pending"},
    {DeliveryState::InFlight, "in_flight"},
    {DeliveryState::Delivered, "delivered"},
    {DeliveryState::Dead, "dead"},
    {DeliveryState::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 10> kEventKinds{{
    {EventKind::Received, "received"},
    {EventKind::Rejected, "rejected"},
    {EventKind::Routed, "routed"},
    {EventKind::Unroutable, "unroutable"},
    {EventKind::DeliveryAttempted, "delivery_attempted"},
    {EventKind::Delivered, "delivered"},
    {EventKind::DeadLettered, "dead_lettered"},
    {EventKind::Replayed, "replayed"},
    {EventKind::BlobPurged, "blob_purged"},
    {EventKind::Cancelled, "cancelled"},
}};

Result<bool> completeOne(Journal &journal, DeliveryOutcome outcome, OutcomeKind kind) {
    outcome.kind = kind;
    auto results = journal.complete(std::span<const DeliveryOutcome>(&outcome, 1));
    return std::move(results.front());
}

}  // namespace

std::string_view toString(MessageState state) noexcept {
    return nameOf(kMessageStates, state);
}
std::string_view toString(DeliveryState state) noexcept {
    return nameOf(kDeliveryStates, state);
}
std::string_view toString(EventKind kind) noexcept {
    return nameOf(kEventKinds, kind);
}

std::optional<MessageState> messageStateFromString(std::string_view text) noexcept {
    return valueOf(kMessageStates, text);
}
std::optional<DeliveryState> deliveryStateFromString(std::string_view text) noexcept {
    return valueOf(kDeliveryStates, text);
}
std::optional<EventKind> eventKindFromString(std::string_view text) noexcept {
    return valueOf(kEventKinds, text);
}

Result<AcceptResult> Journal::accept(const IntakeBatch &batch) {
    auto results = acceptMany(std::span<const IntakeBatch>(&batch, 1));
    return std::move(results.front());
}

Result<bool> Journal::recordAttempt(const DeliveryOutcome &failedAttempt) {
    return completeOne(*this, failedAttempt, OutcomeKind::Retry);
}

Result<bool> Journal::markDelivered(const DeliveryOutcome &success) {
    return completeOne(*this, success, OutcomeKind::Delivered);
}

Result<bool> Journal::deadLetter(const DeliveryOutcome &finalFailure) {
    return completeOne(*this, finalFailure, OutcomeKind::DeadLetter);
}

}  // namespace lendgate::journal
