// How rendered bytes leave the gateway: one interface, one implementation per
// endpoint type (webhook_transport.h, directory_transport.h,
// sftp_push_transport.h).
//
// A transport makes one attempt and says how it went; retrying, ordering and
// recording are the dispatcher's. Every send of one message carries the same
// message id, which receivers use to drop duplicates (at-least-once delivery,
// RELIABILITY.md G3).
#ifndef LENDGATE_DELIVERY_TRANSPORT_H
#define LENDGATE_DELIVERY_TRANSPORT_H

#include <string>

#include "core/config/gateway_config.h"

namespace lendgate::delivery {

/// A message rendered for one destination.
struct OutboundMessage {
    std::string messageId;      ///< also the idempotency key receivers dedupe on
    std::string messageType;    ///< e.g. "repossession_assignment"
    std::string destination;    ///< partner id
    std::string caseId;         ///< empty if none
    std::string contentType;    ///< e.g. "application/json"
    std::string fileExtension;  ///< e.g. ".json", for file transports
    /// File transports: the file's whole name, for a batch file (many
    /// messages; messageId is then the file name too). Empty: the transport
    /// names the file after the message.
    std::string fileName;
    std::string body;
};

struct TransportResult {
    bool delivered = false;
    int status = 0;     ///< HTTP status, 0 when there was none
    std::string error;  ///< why it was not delivered: never contains the body, capped
    /// Retrying cannot help (a refused host key, permission denied): the
    /// dispatcher dead-letters at once, except a critical message.
    bool permanent = false;
};

class Transport {
public:
    virtual ~Transport() = default;
    /// One attempt. Must be safe to call from several threads at once and must
    /// not throw: every failure is a TransportResult.
    virtual TransportResult send(const OutboundMessage &message, const config::Endpoint &endpoint) = 0;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_TRANSPORT_H
