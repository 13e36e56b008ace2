#include "core/sftp/pull_poller.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/common/redact.h"
#include "core/intake/ack_document.h"
#include "core/journal/blob_store.h"
#include "core/pgp/pgp.h"
#include "core/sftp/ack_files.h"
#include "core/sftp/drop_watcher.h"
#include "core/sftp/layout.h"
#include "core/sftp/sftp_client.h"

namespace lendgate::sftp {
namespace {

constexpr std::string_view kComponent = "sftp_pull";

// Streams a remote file into the blob store, holding it to the size the
// listing gave: a file still being written is not taken half done.
class RemoteSource final : public journal::ByteSource {
public:
    RemoteSource(RemoteReader &reader, std::uint64_t expected, std::function<bool()> atEnd)
        : reader_(reader), expected_(expected), atEnd_(std::move(atEnd)) {}

    Result<std::size_t> read(char *buffer, std::size_t capacity) override {
        auto n = reader_.read(buffer, capacity);
        if (!n) {
            failure = n.error();
            return n.error();
        }
        read_ += n.value();
        if (read_ > expected_ || (n.value() == 0 && read_ != expected_)) {
            failure = Error{"changed", "the file changed size while it was read; it is taken next poll"};
            return *failure;
        }
        if (n.value() == 0 && atEnd_ && atEnd_()) {
            failure = Error{"interrupted", "interrupted after the download"};
            return *failure;
        }
        return n;
    }

    std::optional<Error> failure;

private:
    RemoteReader &reader_;
    std::uint64_t expected_;
    std::uint64_t read_ = 0;
    std::function<bool()> atEnd_;
};

std::string errorMessageOf(const std::string &document) {
    auto parsed = nlohmann::json::parse(document, nullptr, false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].contains("message") &&
        parsed["error"]["message"].is_string())
        return parsed["error"]["message"].get<std::string>();
    return "the file was not accepted";
}

// A pgp_* failure that is the sender's doing; pgp_key and pgp_setup are the
// gateway's (the file stays on the server and is tried again).
std::optional<Error> pgpRefusal(const std::optional<Error> &failure) {
    if (!failure || !failure->code.starts_with("pgp_")) return std::nullopt;
    if (failure->code == pgp::errc::kKey || failure->code == pgp::errc::kSetup) return std::nullopt;
    return failure;
}

}  // namespace

std::vector<PullSource> pullSourcesOf(const config::GatewayConfig &config) {
    std::vector<PullSource> out;
    for (const auto &partner : config.partners)
        for (const auto &channel : partner.channels)
            if (channel.type == config::InboundChannel::Type::SftpPull && channel.remote) {
                PullSource source{&partner, &channel, {}};
                if (config.sftp && config::GatewayConfig::sftpDrop(partner) != nullptr)
                    source.ackFolder = layoutOf(config, partner).outbound;
                out.push_back(std::move(source));
            }
    return out;
}

PullPoller::PullPoller(PullServices services, std::vector<PullSource> sources, PullOptions options)
    : s_(services), sources_(std::move(sources)), options_(std::move(options)), states_(sources_.size()) {}

PullPoller::~PullPoller() {
    stop();
}

void PullPoller::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || sources_.empty()) return;
    stopping_ = false;
    halt_ = false;
    thread_ = std::thread([this] { run(); });
}

void PullPoller::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        halt_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PullPoller::run() {
    using Steady = std::chrono::steady_clock;
    std::vector<Steady::time_point> due(sources_.size(), Steady::now());
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto next = *std::min_element(due.begin(), due.end());
        if (wake_.wait_until(lock, next, [this] { return stopping_; })) break;
        for (std::size_t i = 0; i < sources_.size() && !stopping_; ++i) {
            if (due[i] > Steady::now()) continue;
            lock.unlock();
            const auto &source = sources_[i];
            auto polled = pollOnce(i);
            if (!polled)
                s_.logger.log(LogLevel::Warning, kComponent,
                              "partner " + source.partner->id + ": polling failed, trying again in " +
                                  std::to_string(source.channel->pollIntervalMs) + " ms: " + polled.error().message);
            lock.lock();
            due[i] = Steady::now() + std::chrono::milliseconds(source.channel->pollIntervalMs);
        }
    }
}

void PullPoller::skip(const PullSource &source, SourceState &state, const std::string &name, const Seen &seen,
                      const std::string &why, PollReport &report) {
    ++report.skipped;
    auto it = state.warned.find(name);
    if (it != state.warned.end() && it->second == seen) return;  // said already
    state.warned[name] = seen;
    s_.logger.log(LogLevel::Warning, kComponent,
                  "partner " + source.partner->id + ": left " + redactFileName(name) + " on the server: " + why);
    s_.metrics.increment("lendgate_sftp_pull_skipped_total", {{"partner", source.partner->id}});
}

bool PullPoller::answers(const PullSource &source) const {
    return !source.ackFolder.empty() && s_.renderer != nullptr && s_.ulids != nullptr && s_.clock != nullptr;
}

bool PullPoller::answer(const PullSource &source, const std::string &name, const std::string &document) {
    if (!answers(source)) return true;  // answered in the journal only
    return writeAckFile(AckFileServices{*s_.renderer, s_.logger, s_.metrics}, *source.partner, source.ackFolder, name,
                        document);
}

Result<PollReport> PullPoller::pollOnce(std::size_t index) {
    std::lock_guard poll(pollMutex_);
    const PullSource &source = sources_.at(index);
    SourceState &state = states_.at(index);
    const config::SftpRemote &remote = *source.channel->remote;
    const std::string &partnerId = source.partner->id;
    const std::string &moveTo = source.channel->afterPullMoveTo;

    auto connected = SftpClient::connect(remote);
    if (!connected) {
        s_.metrics.increment("lendgate_sftp_pull_errors_total",
                             {{"partner", partnerId}, {"code", connected.error().code}});
        return connected.error();
    }
    SftpClient &client = *connected.value();
    auto listed = client.list(remote.folder);
    if (!listed) return listed.error();
    auto entries = std::move(listed.value());
    // Oldest first, as a partner would expect them processed.
    std::sort(entries.begin(), entries.end(), [](const RemoteEntry &a, const RemoteEntry &b) {
        return a.mtime != b.mtime ? a.mtime < b.mtime : a.name < b.name;
    });

    PollReport report;
    std::set<std::string> present;
    for (const RemoteEntry &entry : entries) present.insert(entry.name);
    for (const RemoteEntry &entry : entries) {
        if (halt_) break;
        if (entry.name.front() == '.' || isPartial(entry.name)) continue;
        const Seen seen{entry.size, entry.mtime};
        const std::string path = remotePath(remote.folder, entry.name);
        if (const auto problem = nameProblem(entry.name); !problem.empty()) {
            skip(source, state, entry.name, seen, "the file name " + problem, report);
            continue;
        }
        if (!entry.regular) {
            skip(source, state, entry.name, seen, "not a regular file", report);
            continue;
        }
        if (entry.size > options_.maxFileBytes) {
            skip(source, state, entry.name, seen, "over the cap of " + std::to_string(options_.maxFileBytes) + " bytes",
                 report);
            continue;
        }
        const auto choice = chooseFormat(*source.partner, entry.name);
        if (!choice.refusal.empty()) {
            skip(source, state, entry.name, seen, choice.refusal, report);
            continue;
        }
        if (auto w = state.warned.find(entry.name); w != state.warned.end() && w->second == seen) {
            ++report.skipped;  // refused by the intake before, unchanged since
            continue;
        }

        auto committed = state.committed.find(entry.name);
        if (committed == state.committed.end() || !(committed->second == seen)) {
            auto reader = client.openRead(path);
            if (!reader) {
                ++report.failed;
                s_.logger.log(LogLevel::Warning, kComponent,
                              "partner " + partnerId + ": cannot read " + redactFileName(entry.name) + ": " +
                                  reader.error().message);
                continue;
            }
            const std::string name = entry.name;
            const std::string shown = redactFileName(entry.name);
            RemoteSource bytes(*reader.value(), entry.size,
                               [&] { return options_.interrupt && options_.interrupt(PullStage::Downloaded, name); });
            // As for a dropped file: only plaintext whose signature checked
            // out reaches the journal, and its hash is the file's identity.
            std::optional<pgp::DecryptingSource> decrypting;
            if (const auto &openpgp = source.partner->openpgp; openpgp && openpgp->decryptInbound) {
                if (s_.keyring == nullptr) {
                    skip(source, state, entry.name, seen,
                         "the partner sends OpenPGP files and the gateway has no keyring", report);
                    continue;
                }
                pgp::DecryptOptions decryptOptions;
                decryptOptions.expectedSigner = openpgp->partnerFingerprint;
                decryptOptions.requireSignature = openpgp->requireSignature;
                decryptOptions.maxPlaintextBytes = options_.maxFileBytes;
                decrypting.emplace(*s_.keyring, bytes, std::move(decryptOptions));
            }
            intake::IntakeRequest request;
            request.sender = partnerId;
            request.declaredType = choice.declaredType;
            request.channel = "sftp_pull";
            request.reference = entry.name;
            request.isFile = true;
            request.source = decrypting ? static_cast<journal::ByteSource *>(&*decrypting) : &bytes;
            request.maxBytes = options_.maxFileBytes;
            auto response = s_.intake.ingest(request);
            const auto refusal = decrypting ? pgpRefusal(decrypting->failure()) : std::nullopt;
            decrypting.reset();  // its worker reads `bytes`: stopped before `bytes` is looked at
            if (bytes.failure && bytes.failure->code == "interrupted") {
                report.interrupted = true;
                return report;
            }
            using intake::IntakeStatus;
            if (refusal && !bytes.failure) {
                // The partner's fault, and fetching it again cannot help: it
                // is answered with a NACK, then cleared like a committed file.
                if (!answers(source)) {
                    skip(source, state, entry.name, seen,
                         "refused (" + refusal->code + "), and there is no folder for its NACK", report);
                    continue;
                }
                const std::string nack = refusalDocument(
                    partnerId, entry.name, refusal->code,
                    "file " + shown + " was refused: " + refusal->message + "; the file was removed, send it again",
                    *s_.ulids, *s_.clock);
                if (!answer(source, entry.name, nack)) {
                    ++report.failed;
                    continue;
                }
                ++report.refused;
                ++handled_;
                s_.metrics.increment("lendgate_sftp_refused_total",
                                     {{"partner", partnerId}, {"reason", refusal->code}});
                s_.logger.log(LogLevel::Warning, kComponent,
                              "partner " + partnerId + ": refused " + shown + ": " + refusal->code);
            } else {
                if (response.status == IntakeStatus::Unavailable || response.status == IntakeStatus::Internal ||
                    bytes.failure) {
                    ++report.failed;
                    s_.logger.log(LogLevel::Warning, kComponent,
                                  "partner " + partnerId + ": " + shown +
                                      " was not committed, trying again next poll: " +
                                      (bytes.failure ? bytes.failure->message : errorMessageOf(response.document)));
                    s_.metrics.increment("lendgate_sftp_pull_retries_total", {{"partner", partnerId}});
                    continue;
                }
                if (response.status == IntakeStatus::Forbidden || response.status == IntakeStatus::Conflict ||
                    response.status == IntakeStatus::TooLarge) {
                    skip(source, state, entry.name, seen, "not accepted: " + errorMessageOf(response.document), report);
                    continue;
                }
                // Committed; the partner's copy stays until its answer is out
                // (the next poll answers it again, from the journal).
                if (!answer(source, entry.name, response.document)) {
                    ++report.failed;
                    continue;
                }
                const std::string status = intake::ackStatusOf(response.document);
                ++(response.replayed ? report.replayed : report.ingested);
                ++handled_;
                s_.metrics.increment("lendgate_sftp_pull_files_total",
                                     {{"partner", partnerId}, {"status", status.empty() ? "unknown" : status}});
                s_.logger.log(LogLevel::Info, kComponent,
                              "partner " + partnerId + ": file " + shown + " answered " + status +
                                  (response.replayed ? " (content already journaled: the earlier answer)" : ""));
            }
            state.committed[entry.name] = seen;
            if (options_.interrupt && options_.interrupt(PullStage::Committed, entry.name)) {
                report.interrupted = true;
                return report;
            }
        }

        // Committed: only now may the partner's copy go.
        Result<bool> cleared = true;
        if (moveTo.empty()) {
            cleared = client.remove(path);
        } else {
            std::string target = remotePath(moveTo, entry.name);
            auto taken = client.stat(target);
            if (taken && taken.value())
                target += "." + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
            cleared = client.rename(path, target);
        }
        if (!cleared && cleared.error().code != "not_found") {
            ++report.failed;
            s_.logger.log(LogLevel::Error, kComponent,
                          "partner " + partnerId + ": " + redactFileName(entry.name) +
                              " is answered but could not be " + (moveTo.empty() ? "removed" : "moved") +
                              " on the server (tried again next poll): " + cleared.error().message);
            continue;
        }
        state.committed.erase(entry.name);
        ++report.cleared;
    }
    // Forget what the partner has taken away.
    std::erase_if(state.warned, [&](const auto &item) { return !present.contains(item.first); });
    std::erase_if(state.committed, [&](const auto &item) { return !present.contains(item.first); });
    return report;
}

}  // namespace lendgate::sftp
