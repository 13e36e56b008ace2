#include "tests/e2e/e2e_http.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace lendgate::e2e {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

Poco::Timespan timespanOf(std::chrono::milliseconds timeout) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
}

}  // namespace

std::string HttpResult::header(const std::string &lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

nlohmann::json HttpResult::json() const {
    return nlohmann::json::parse(body, nullptr, false);
}

HttpResult httpRequest(std::uint16_t port, const std::string &method, const std::string &target,
                       const std::string &body, const Headers &headers, std::chrono::milliseconds timeout) {
    HttpResult result;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(timespanOf(timeout));
        session.setKeepAlive(false);
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const auto &[name, value] : headers) request.set(name, value);
        if (method == "POST" || method == "PUT" || !body.empty())
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        auto &in = session.receiveResponse(response);
        Poco::StreamCopier::copyToString(in, result.body);
        for (const auto &[name, value] : response) result.headers[lower(name)] = value;
        result.status = static_cast<int>(response.getStatus());
    } catch (const Poco::Exception &e) {
        result = HttpResult{};
        result.error = e.displayText();
    } catch (const std::exception &e) {
        result = HttpResult{};
        result.error = e.what();
    }
    return result;
}

std::string rawExchange(std::uint16_t port, const std::string &raw, std::chrono::milliseconds timeout) {
    std::string answer;
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), timespanOf(timeout));
        socket.setReceiveTimeout(timespanOf(timeout));
        socket.sendBytes(raw.data(), static_cast<int>(raw.size()));
        char buffer[4096];
        for (;;) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            answer.append(buffer, static_cast<std::size_t>(n));
        }
    } catch (const Poco::Exception &) {
        // Timeout or reset: what arrived so far is the answer.
    }
    return answer;
}

std::string partnerKey(const std::string &partnerId) {
    return "lgk_demo_" + partnerId + "_only_for_local_use";
}

HttpResult submit(std::uint16_t partnerPort, const std::string &partnerId, const Submission &submission,
                  std::chrono::milliseconds timeout) {
    Headers headers{{"Authorization", "Bearer " + partnerKey(partnerId)}, {"Content-Type", submission.contentType}};
    if (!submission.idempotencyKey.empty()) headers.emplace_back("Idempotency-Key", submission.idempotencyKey);
    const std::string target = submission.type.empty() ? "/v1/messages" : "/v1/messages?type=" + submission.type;
    return httpRequest(partnerPort, "POST", target, submission.body, headers, timeout);
}

HttpResult adminGet(std::uint16_t adminPort, const std::string &target, const std::string &token) {
    Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return httpRequest(adminPort, "GET", target, {}, headers);
}

HttpResult adminPost(std::uint16_t adminPort, const std::string &target, const std::string &token) {
    Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return httpRequest(adminPort, "POST", target, {}, headers);
}

std::vector<nlohmann::json> listAllMessages(std::uint16_t adminPort, const std::string &partner) {
    std::vector<nlohmann::json> all;
    std::string after;
    for (;;) {
        const auto page =
            adminGet(adminPort,
                     "/admin/v1/messages?partner=" + partner + "&limit=1000" + (after.empty() ? "" : "&after=" + after),
                     kViewerToken);
        if (page.status != 200) throw std::runtime_error("listing messages failed: " + page.body);
        const auto messages = page.json()["messages"];
        if (messages.empty()) return all;
        all.insert(all.end(), messages.begin(), messages.end());
        after = messages.back()["message_id"].get<std::string>();
    }
}

std::vector<std::string> acceptedMessageIds(const std::string &ackDocument) {
    std::vector<std::string> ids;
    if (!ackDocument.starts_with("{")) {
        // A partner's CSV ACK (RECORD_TYPE,RECORD_NO,STATUS,MESSAGE_ID,...): detail rows only.
        std::istringstream lines(ackDocument);
        for (std::string line; std::getline(lines, line);) {
            if (!line.starts_with("D,")) continue;
            std::vector<std::string> cells;
            std::istringstream row(line);
            for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
            if (cells.size() > 3 && cells[2] == "ACCEPTED") ids.push_back(cells[3]);
        }
        return ids;
    }
    auto ack = nlohmann::json::parse(ackDocument, nullptr, false);
    if (!ack.is_object() || !ack.contains("payload") || !ack["payload"].is_object()) return ids;
    const auto &payload = ack["payload"];
    if (!payload.contains("records") || !payload["records"].is_array()) return ids;
    for (const auto &record : payload["records"])
        if (record.value("status", "") == "ACCEPTED" && record.contains("message_id") &&
            record["message_id"].is_string())
            ids.push_back(record["message_id"].get<std::string>());
    return ids;
}

bool eventually(const std::function<bool()> &condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(every);
    }
}

}  // namespace lendgate::e2e
