// Errors are values at room boundaries (std::expected arrives with C++23).
#ifndef LENDGATE_COMMON_RESULT_H
#define LENDGATE_COMMON_RESULT_H

#include <string>
#include <utility>
#include <variant>

namespace lendgate {

/// A failure meant for an operator: one clear line, no personal data.
struct Error {
    std::string code;
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    T &value() & { return std::get<0>(state_); }
    T &&value() && { return std::get<0>(std::move(state_)); }
    const T &value() const & { return std::get<0>(state_); }
    const Error &error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

}  // namespace lendgate

#endif  // LENDGATE_COMMON_RESULT_H
