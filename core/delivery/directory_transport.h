// Delivery by writing a file into a folder the partner reads (a local drop
// folder, a mounted share, the chroot of the gateway's SFTP server).
//
// The file is <endpoint.path>/<messageId><extension>, written to a hidden
// temporary file in the same folder, fsynced, renamed into place and the
// folder fsynced: a reader never sees half a file, and once send() reports
// success the file survives a power cut. Sending the same message again
// replaces the same file, so a retry never makes a second copy.
#ifndef LENDGATE_DELIVERY_DIRECTORY_TRANSPORT_H
#define LENDGATE_DELIVERY_DIRECTORY_TRANSPORT_H

#include "core/delivery/transport.h"

namespace lendgate::delivery {

class DirectoryTransport final : public Transport {
public:
    /// Creates endpoint.path (mode 0750) if it is missing.
    TransportResult send(const OutboundMessage &message, const config::Endpoint &endpoint) override;
};

}  // namespace lendgate::delivery

#endif  // LENDGATE_DELIVERY_DIRECTORY_TRANSPORT_H
