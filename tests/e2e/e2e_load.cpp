#include "tests/e2e/e2e_load.h"

#include <chrono>

#include "tests/e2e/e2e_http.h"
#include "tests/e2e/e2e_world.h"

namespace lendgate::e2e {

using namespace std::chrono_literals;

void ContinuousPoster::run(std::uint16_t port, int thread) {
    for (int n = 0; !stop_; ++n) {
        const std::string key = prefix_ + "-t" + std::to_string(thread) + "-n" + std::to_string(n);
        const std::string account = std::to_string(7100000000LL + thread * 100000 + n);
        const auto answer = submit(port, kFixtureLender,
                                   {jsonLines({phoenixAssignment(key, account)}), "application/json", key, ""}, 20s);
        std::lock_guard lock(mutex_);
        if (answer.status == 202) {
            const auto ids = acceptedMessageIds(answer.body);
            if (ids.size() != 1) unexpected_.push_back("202 without one message ID: " + answer.body);
            ids_.insert(ids_.end(), ids.begin(), ids.end());
            ++acks_;
        } else if (answer.status != 0 && answer.status != 503) {
            unexpected_.push_back(std::to_string(answer.status) + " " + answer.body);
        }
        if (answer.status == 0 && !stop_) std::this_thread::sleep_for(10ms);  // the daemon is gone
    }
}

}  // namespace lendgate::e2e
