// The running gateway: every room of the daemon assembled in start-up order
// and taken down in the reverse order. lendgated wraps it in a Poco
// ServerApplication; tests and benchmarks can run it in-process.
#ifndef LENDGATE_APP_GATEWAY_H
#define LENDGATE_APP_GATEWAY_H

#include <cstdint>
#include <memory>
#include <ostream>

#include "core/common/result.h"
#include "core/config/gateway_config.h"

namespace lendgate::app {

struct GatewayOptions {
    std::ostream *logStream = nullptr;  ///< JSON-lines log; null: standard output
};

class Gateway {
public:
    /// Opens (or creates) the key ring, blob store and journal under the
    /// configuration's data_dir, then starts delivery and both listeners.
    /// Error codes: secret, keyring_*, journal errors, listen.
    static Result<std::unique_ptr<Gateway>> start(const config::GatewayConfig &config,
                                                  const GatewayOptions &options = {});
    ~Gateway();
    Gateway(const Gateway &) = delete;
    Gateway &operator=(const Gateway &) = delete;

    std::uint16_t partnerPort() const;
    std::uint16_t adminPort() const;

    /// Stops taking requests, lets those in progress commit and be answered,
    /// lets deliveries in flight finish, then closes the journal. Idempotent.
    void stop();

    struct Parts;

private:
    explicit Gateway(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> parts_;
};

}  // namespace lendgate::app

#endif  // LENDGATE_APP_GATEWAY_H
