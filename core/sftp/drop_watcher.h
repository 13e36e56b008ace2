// Intake from partners' SFTP drop folders (layout.h).
//
// One thread watches every partner's inbound/ with inotify and rescans it
// on start-up, so nothing dropped while the daemon was down is missed. A file
// is taken when it is complete: renamed into place (the NAME.partial
// convention; also OpenSSH's link()+unlink() rename, seen as the .partial
// name going away), or, for partners that cannot rename, unchanged for the
// quiet period. Names with control characters, symlinks, hard links (seen
// twice a quiet period apart: a link-based rename shows two links for an
// instant), anything but a regular file, and files over the size cap are
// refused with a NACK and removed (a symlink or link is removed, not what it
// points at).
//
// A taken file is renamed into the partner's processing folder (outside the
// chroot), streamed into the journal's blob store and journaled by the
// intake service, answered with an ACK file in outbound/ rendered by the
// partner's `ack` plugin, and only then removed. A crash anywhere in between
// leaves it in processing, where the next start finds it; the journal
// recognises content it already has and answers with the first ACK, so
// nothing is journaled twice. If the journal is unavailable the file waits
// in processing and is tried again.
//
// OpenPGP partners (profile "openpgp", decrypt_inbound): the file is
// decrypted on its way into the blob store and kept only if its signature
// is the pinned key's; the plaintext's hash is its identity, so the same
// content encrypted again is a duplicate. A file refused for a pgp_* reason
// (not encrypted, not for us, unsigned, wrong signer, bad signature, expired
// or revoked key, corrupt) gets a NACK naming it and is removed; a keyring
// problem (pgp_key, pgp_setup) is the gateway's and the file waits. ACK
// files to a partner with encrypt_outbound are encrypted and signed too.
#ifndef LENDGATE_SFTP_DROP_WATCHER_H
#define LENDGATE_SFTP_DROP_WATCHER_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/common/log.h"
#include "core/common/result.h"
#include "core/config/gateway_config.h"
#include "core/delivery/renderer.h"
#include "core/intake/intake_service.h"
#include "core/journal/ulid.h"
#include "core/metrics/metrics.h"
#include "core/sftp/layout.h"

namespace lendgate::pgp {
class Keyring;
}

namespace lendgate::sftp {

struct DropFolder {
    const config::Partner *partner = nullptr;
    DropLayout layout;
    std::uint32_t quietPeriodMs = 30000;
    std::uint64_t maxFileBytes = 256u << 20;
};

/// The drop folders of every partner with an sftp_drop channel (none without
/// an sftp section).
std::vector<DropFolder> dropFoldersOf(const config::GatewayConfig &config);

struct DropServices {
    intake::IntakeService &intake;
    delivery::Renderer &renderer;
    journal::UlidGenerator &ulids;
    const Clock &clock;
    Logger &logger;
    metrics::Registry &metrics;
    /// The gateway's OpenPGP keyring; null when no partner uses OpenPGP. A
    /// partner with openpgp.decrypt_inbound gets its files decrypted and
    /// their signature checked before intake; a refused file (pgp_* code)
    /// is answered with a NACK naming the reason and removed.
    const pgp::Keyring *keyring = nullptr;
};

/// Which of the partner's inbound formats a dropped file is, by the
/// bindings' file_pattern (for a partner that sends OpenPGP files, a name
/// ending in .pgp, .gpg or .asc also matches without that ending). `declaredType` unset: the intake service picks
/// (all inbound types share one plugin). `refusal` set: none fits.
struct FormatChoice {
    std::optional<model::MessageType> declaredType;
    std::string refusal;
};
FormatChoice chooseFormat(const config::Partner &partner, const std::string &fileName);
/// `fileName` without a trailing .pgp/.gpg/.asc when the partner sends
/// OpenPGP files (X.csv.pgp is X.csv encrypted), else `fileName`.
std::string withoutPgpEnding(const config::Partner &partner, const std::string &fileName);

class DropWatcher {
public:
    DropWatcher(DropServices services, std::vector<DropFolder> folders);
    ~DropWatcher();
    DropWatcher(const DropWatcher &) = delete;
    DropWatcher &operator=(const DropWatcher &) = delete;

    /// Starts the thread; a folder that is missing is logged and retried.
    Result<bool> start();
    /// Finishes the file in hand, then stops. Idempotent.
    void stop();

    /// Files finished so far: answered (ACK or NACK written) or refused.
    std::uint64_t filesHandled() const { return handled_.load(); }

    struct State;

private:
    void run();

    DropServices s_;
    std::vector<DropFolder> folders_;
    std::unique_ptr<State> state_;
    std::thread thread_;
    int stopFd_ = -1;
    std::atomic<std::uint64_t> handled_{0};
};

}  // namespace lendgate::sftp

#endif  // LENDGATE_SFTP_DROP_WATCHER_H
