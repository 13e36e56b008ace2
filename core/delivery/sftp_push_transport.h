// Delivery by upload to a partner's own SFTP server (endpoint type sftp_push).
//
// The file goes up as NAME.partial, is closed (the server then has every
// byte) and renamed to NAME, so the partner never sees half a file under
// the final name. NAME comes from the endpoint's file_name pattern and always
// holds the message id, so a retry targets the same name: if NAME is already
// there with exactly our bytes, an earlier attempt got through and this one
// counts as delivered; with other bytes it is a conflict and nothing is
// overwritten. The host key is pinned (sftp_client.h).
//
// Failures are permanent (dead letter at once, unless the message is
// critical) when retrying cannot help: host key mismatch or not pinned,
// permission denied, a conflicting file, an unusable private key. The rest
// (no connection, timeouts, a refused login) are retried by the dispatcher.
#ifndef LENDGATE_DELIVERY_SFTP_PUSH_TRANSPORT_H
#define LENDGATE_DELIVERY_SFTP_PUSH_TRANSPORT_H

#include <string>

#include "core/common/result.h"
#include "core/delivery/transport.h"

namespace lendgate::delivery {

/// The remote file name for `message` from `pattern` ({message_id},
/// {message_type}, {case_id}, {ext}); an error if the result is not a safe
/// plain file name.
Result<std::string> sftpFileName(const std::string &pattern, const OutboundMessage &message);

class SftpPushTransport final : public Transport {
public:
    /// One connection per send: deliveries to one partner are few and far
    /// between, and a kept session would need keep-alives to stay useful.
    TransportResult send(const OutboundMessage &message, const config::Endpoint &endpoint) override;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_SFTP_PUSH_TRANSPORT_H
