// A partner's webhook for tests: a real Poco HTTPServer on 127.0.0.1 with an
// ephemeral port, which records every request and answers the way the test
// tells it to (healthy, failing, slow, redirecting). Like a receiver that
// honours Idempotency-Key, it accepts each key once and answers 200 to
// repeats without counting them again, so a test can check "exactly N".
// Header-only so end-to-end tests can use it too.
#ifndef LENDGATE_TESTS_CORE_DELIVERY_TEST_RECEIVER_H
#define LENDGATE_TESTS_CORE_DELIVERY_TEST_RECEIVER_H

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace lendgate::delivery::testing {

struct ReceivedRequest {
    std::string method;
    std::string uri;
    std::map<std::string, std::string> headers;  ///< names in lower case
    std::string body;
    int answeredStatus = 0;

    std::string header(std::string name) const {
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class TestReceiver {
public:
    TestReceiver() : state_(std::make_shared<State>()) {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port_ = socket.address().port();
        auto *params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(8);
        params->setKeepAlive(false);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
        server_->start();
    }

    ~TestReceiver() {
        {
            std::lock_guard lock(state_->mutex);
            state_->closing = true;
        }
        state_->changed.notify_all();
        server_->stopAll(true);
    }

    TestReceiver(const TestReceiver &) = delete;
    TestReceiver &operator=(const TestReceiver &) = delete;

    std::uint16_t port() const { return port_; }
    std::string url(const std::string &path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

    /// Answers 200.
    void healthy() {
        configure([](State &s) { s.mode = Mode::Healthy; });
    }
    /// Answers `status` to the next `n` requests, then 200.
    void failFirst(int n, int status = 500) {
        configure([&](State &s) {
            s.mode = Mode::FailFirst;
            s.failuresLeft = n;
            s.failStatus = status;
        });
    }
    /// Answers `status` until told otherwise.
    void alwaysFail(int status = 500) {
        configure([&](State &s) {
            s.mode = Mode::AlwaysFail;
            s.failStatus = status;
        });
    }
    /// Waits `delay` before answering 200 (past a client's timeout).
    void slow(std::chrono::milliseconds delay) {
        configure([&](State &s) {
            s.mode = Mode::Slow;
            s.delay = delay;
        });
    }
    /// Answers 302 with this Location.
    void redirect(std::string location) {
        configure([&](State &s) {
            s.mode = Mode::Redirect;
            s.location = std::move(location);
        });
    }

    std::vector<ReceivedRequest> requests() const {
        std::lock_guard lock(state_->mutex);
        return state_->requests;
    }
    std::size_t total() const {
        std::lock_guard lock(state_->mutex);
        return state_->requests.size();
    }
    /// Distinct Idempotency-Keys answered with 2xx.
    std::size_t distinctKeys() const {
        std::lock_guard lock(state_->mutex);
        return state_->acceptedKeys.size();
    }
    /// Bodies of the first accepted request of each key, in arrival order:
    /// what a deduplicating receiver would have processed.
    std::vector<std::string> acceptedBodies() const {
        std::lock_guard lock(state_->mutex);
        return state_->acceptedBodies;
    }
    /// Waits until `n` distinct keys were accepted.
    bool waitForDistinct(std::size_t n, std::chrono::milliseconds timeout) const {
        std::unique_lock lock(state_->mutex);
        return state_->changed.wait_for(lock, timeout, [&] { return state_->acceptedKeys.size() >= n; });
    }

private:
    enum class Mode { Healthy, FailFirst, AlwaysFail, Slow, Redirect };

    struct State {
        mutable std::mutex mutex;
        std::condition_variable changed;
        bool closing = false;
        Mode mode = Mode::Healthy;
        int failuresLeft = 0;
        int failStatus = 500;
        std::chrono::milliseconds delay{0};
        std::string location;
        std::vector<ReceivedRequest> requests;
        std::set<std::string> acceptedKeys;
        std::vector<std::string> acceptedBodies;
    };

    class Handler final : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(std::shared_ptr<State> state) : state_(std::move(state)) {}

        void handleRequest(Poco::Net::HTTPServerRequest &request, Poco::Net::HTTPServerResponse &response) override {
            ReceivedRequest got;
            got.method = request.getMethod();
            got.uri = request.getURI();
            for (const auto &[name, value] : request) {
                std::string lower = name;
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return std::tolower(c); });
                got.headers[lower] = value;
            }
            Poco::StreamCopier::copyToString(request.stream(), got.body);

            int status = 200;
            std::string location;
            std::chrono::milliseconds delay{0};
            {
                std::unique_lock lock(state_->mutex);
                switch (state_->mode) {
                    case Mode::Healthy: break;
                    case Mode::FailFirst:
                        if (state_->failuresLeft > 0) {
                            --state_->failuresLeft;
                            status = state_->failStatus;
                        }
                        break;
                    case Mode::AlwaysFail: status = state_->failStatus; break;
                    case Mode::Slow: delay = state_->delay; break;
                    case Mode::Redirect:
                        status = 302;
                        location = state_->location;
                        break;
                }
                if (delay.count() > 0) {
                    // Interruptible, so the destructor does not wait it out.
                    state_->changed.wait_for(lock, delay, [&] { return state_->closing; });
                }
                got.answeredStatus = status;
                const std::string key = got.header("Idempotency-Key");
                if (status >= 200 && status < 300 && state_->acceptedKeys.insert(key).second)
                    state_->acceptedBodies.push_back(got.body);
                state_->requests.push_back(std::move(got));
            }
            state_->changed.notify_all();
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
            if (!location.empty()) response.set("Location", location);
            response.setContentLength(0);
            response.send();
        }

    private:
        std::shared_ptr<State> state_;
    };

    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(std::shared_ptr<State> state) : state_(std::move(state)) {}
        Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
            return new Handler(state_);
        }

    private:
        std::shared_ptr<State> state_;
    };

    template <class F>
    void configure(F &&change) {
        {
            std::lock_guard lock(state_->mutex);
            change(*state_);
        }
        state_->changed.notify_all();
    }

    std::shared_ptr<State> state_;
    std::uint16_t port_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace lendgate::delivery::testing

#endif  // LENDGATE_TESTS_CORE_DELIVERY_TEST_RECEIVER_H
