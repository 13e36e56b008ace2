// Shared by the delivery tests: valid canonical messages made from the model's
// goldens, partners built in code, and a logger that keeps its lines.
#ifndef LENDGATE_TESTS_CORE_DELIVERY_DELIVERY_TEST_SUPPORT_H
#define LENDGATE_TESTS_CORE_DELIVERY_DELIVERY_TEST_SUPPORT_H

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/config/gateway_config.h"
#include "core/model/message.h"

namespace lendgate::delivery::testing {

inline std::string readText(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    std::string out = text.str();
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

inline std::string golden(const std::string &name) {
    return readText(std::filesystem::path(GOLDEN_DIR) / "valid" / (name + ".json"));
}

/// A valid NEW repossession assignment whose idempotency key (and assignment
/// id) is `key`, so each test message is a distinct record.
inline std::string assignment(const std::string &key) {
    auto parsed = model::parseMessage(golden("repossession_assignment_new"));
    if (!parsed.ok()) throw std::runtime_error("golden repossession_assignment_new does not parse");
    model::Message message = *parsed.message;
    message.envelope.idempotencyKey = key;
    std::get<model::RepossessionAssignment>(message.payload).assignmentId = key;
    return model::toCanonicalJson(message);
}

/// A valid HOLD (critical) with the idempotency key `key`.
inline std::string hold(const std::string &key) {
    auto parsed = model::parseMessage(golden("repossession_assignment_hold"));
    if (!parsed.ok()) throw std::runtime_error("golden repossession_assignment_hold does not parse");
    model::Message message = *parsed.message;
    message.envelope.idempotencyKey = key;
    message.envelope.messageId.reset();
    return model::toCanonicalJson(message);
}

/// The idempotency key inside a canonical body (as a receiver would read it).
inline std::string keyOf(const std::string &body) {
    auto parsed = model::parseMessage(body);
    return parsed.ok() ? parsed.message->envelope.idempotencyKey : "<unparsable>";
}

inline config::Endpoint webhook(std::string url, std::vector<model::MessageType> types = {}) {
    config::Endpoint e;
    e.type = config::Endpoint::Type::Webhook;
    e.id = "webhook";
    e.url = std::move(url);
    e.timeoutMs = 2000;
    e.messageTypes = std::move(types);
    return e;
}

inline config::Endpoint directory(std::filesystem::path path) {
    config::Endpoint e;
    e.type = config::Endpoint::Type::Directory;
    e.id = "drop";
    e.path = std::move(path);
    return e;
}

inline config::Partner partner(std::string id, std::vector<config::Endpoint> endpoints) {
    config::Partner p;
    p.id = std::move(id);
    p.name = p.id;
    p.role = model::PartnerRole::RepoFirm;
    p.endpoints = std::move(endpoints);
    return p;
}

/// Keeps every line so a test can look for alerts.
class RecordingLogger final : public Logger {
public:
    struct Line {
        LogLevel level;
        std::string component;
        std::string message;
    };

    void log(LogLevel level, std::string_view component, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(Line{level, std::string(component), std::string(message)});
    }

    std::vector<Line> lines(std::string_view component = {}) const {
        std::lock_guard lock(mutex_);
        std::vector<Line> out;
        for (const Line &line : lines_)
            if (component.empty() || line.component == component) out.push_back(line);
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<Line> lines_;
};

}  // namespace lendgate::delivery::testing

#endif  // LENDGATE_TESTS_CORE_DELIVERY_DELIVERY_TEST_SUPPORT_H
