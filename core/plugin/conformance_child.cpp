// Plugin calls in forked children: a crash is a signal, a hang a timeout, and
// the parent always lives to say which check it was.
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "core/plugin/conformance_internal.h"

namespace lendgate::plugin::conformance {

namespace {

using Clock = std::chrono::steady_clock;

// Length-prefixed fields over the pipe; both ends are this program.
class WireWriter {
public:
    void u64(std::uint64_t v) { out_.append(reinterpret_cast<const char *>(&v), sizeof v); }
    void str(std::string_view s) {
        u64(s.size());
        out_.append(s);
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class WireReader {
public:
    explicit WireReader(std::string_view in) : in_(in) {}
    bool u64(std::uint64_t &v) {
        if (in_.size() - pos_ < sizeof v) return false;
        std::memcpy(&v, in_.data() + pos_, sizeof v);
        pos_ += sizeof v;
        return true;
    }
    bool str(std::string &s) {
        std::uint64_t n = 0;
        if (!u64(n) || in_.size() - pos_ < n) return false;
        s.assign(in_.substr(pos_, n));
        pos_ += n;
        return true;
    }

private:
    std::string_view in_;
    std::size_t pos_ = 0;
};

void put(WireWriter &w, const RecordLocation &where) {
    w.u64(where.record);
    w.u64(where.line);
    w.u64(where.byteOffset);
    w.str(where.path);
}
bool get(WireReader &r, RecordLocation &where) {
    return r.u64(where.record) && r.u64(where.line) && r.u64(where.byteOffset) && r.str(where.path);
}
void put(WireWriter &w, const std::vector<RecordProblem> &problems) {
    w.u64(problems.size());
    for (const auto &p : problems) {
        put(w, p.where);
        w.str(p.code);
        w.str(p.field);
        w.str(p.message);
    }
}
bool get(WireReader &r, std::vector<RecordProblem> &problems) {
    std::uint64_t n = 0;
    if (!r.u64(n)) return false;
    for (std::uint64_t i = 0; i < n; ++i) {
        RecordProblem p;
        if (!get(r, p.where) || !r.str(p.code) || !r.str(p.field) || !r.str(p.message)) return false;
        problems.push_back(std::move(p));
    }
    return true;
}
void putStatus(WireWriter &w, CallStatus status, const std::string &code, const std::string &message) {
    w.u64(static_cast<std::uint64_t>(status));
    w.str(code);
    w.str(message);
}
bool getStatus(WireReader &r, CallStatus &status, std::string &code, std::string &message) {
    std::uint64_t s = 0;
    if (!r.u64(s) || s > static_cast<std::uint64_t>(CallStatus::Internal)) return false;
    status = static_cast<CallStatus>(s);
    return r.str(code) && r.str(message);
}
void put(WireWriter &w, const DecodeRun &run) {
    putStatus(w, run.status, run.code, run.message);
    w.u64(run.records.size());
    for (const auto &record : run.records) {
        w.str(record.type);
        w.str(record.json);
        put(w, record.where);
    }
    put(w, run.errors);
    w.str(run.sequence);
}
bool get(WireReader &r, DecodeRun &run) {
    std::uint64_t n = 0;
    if (!getStatus(r, run.status, run.code, run.message) || !r.u64(n)) return false;
    for (std::uint64_t i = 0; i < n; ++i) {
        DecodedRecord record;
        if (!r.str(record.type) || !r.str(record.json) || !get(r, record.where)) return false;
        run.records.push_back(std::move(record));
    }
    return get(r, run.errors) && r.str(run.sequence) && run.sequence.size() == run.records.size() + run.errors.size();
}
void put(WireWriter &w, const EncodeRun &run) {
    putStatus(w, run.status, run.code, run.message);
    w.str(run.bytes);
    put(w, run.problems);
}
bool get(WireReader &r, EncodeRun &run) {
    return getStatus(r, run.status, run.code, run.message) && r.str(run.bytes) && get(r, run.problems);
}

class StringReader final : public ByteReader {
public:
    StringReader(std::string_view input, Reads reads) : input_(input), reads_(reads) {}
    std::size_t read(char *buffer, std::size_t capacity) override {
        std::size_t n = std::min(capacity, input_.size() - pos_);
        if (reads_ == Reads::Trickle) n = std::min<std::size_t>(n, 1 + (calls_++ % 13));
        std::memcpy(buffer, input_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    std::string_view input_;
    Reads reads_;
    std::size_t pos_ = 0;
    std::size_t calls_ = 0;
};

class Collector final : public DecodeHandler {
public:
    explicit Collector(DecodeRun &run) : run_(run) {}
    bool onRecord(std::string_view type, std::string_view json, const RecordLocation &where) override {
        run_.records.push_back(DecodedRecord{std::string(type), std::string(json), where});
        run_.sequence.push_back('r');
        return true;
    }
    void onRecordError(const RecordProblem &problem) override {
        run_.errors.push_back(problem);
        run_.sequence.push_back('e');
    }

private:
    DecodeRun &run_;
};

class ListSource final : public RecordSource {
public:
    explicit ListSource(const std::vector<std::string> &records) : records_(records) {}
    bool next(std::string &json) override {
        if (next_ == records_.size()) return false;
        json = records_[next_++];
        return true;
    }

private:
    const std::vector<std::string> &records_;
    std::size_t next_ = 0;
};

class StringWriter final : public ByteWriter {
public:
    explicit StringWriter(std::string &out) : out_(out) {}
    void write(std::string_view bytes) override { out_.append(bytes); }

private:
    std::string &out_;
};

DecodeRun decodeWith(PluginInstance &instance, const DecodeRequest &request) {
    DecodeRun run;
    StringReader reader(request.input, request.reads);
    Collector collector(run);
    CallOutcome outcome = instance.decode(request.expectedType, reader, collector);
    run.status = outcome.status;
    run.code = outcome.code;
    run.message = outcome.message;
    return run;
}

// The plugin may log; the suite judges what it returns, not what it says.
Result<std::unique_ptr<PluginInstance>> instantiate(const Subject &subject) {
    return subject.library->instantiate(subject.config, subject.configOrigin, HostServices{nullptr, &subject.clock});
}

// A child's answer starts with a tag: 'S' setup failed (then the reason), 'R' results.
std::string setupFailure(const std::string &why) {
    WireWriter w;
    w.u64('S');
    w.str(why);
    return w.take();
}

bool readTag(WireReader &r, std::string &setupError, bool &ok) {
    std::uint64_t tag = 0;
    ok = false;
    if (!r.u64(tag)) return false;
    if (tag == 'S') return r.str(setupError);
    ok = tag == 'R';
    return ok;
}

void writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

std::string ChildEnd::describe(std::chrono::milliseconds timeout) const {
    switch (kind) {
        case Kind::Finished: return "finished";
        case Kind::Crashed: {
            const char *name = strsignal(signal);
            return "crashed with signal " + std::to_string(signal) + " (" + (name ? name : "?") + ")";
        }
        case Kind::TimedOut: {
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(timeout.count()) / 1000.0);
            return std::string("gave no answer within ") + seconds + " s (a hang?) and was killed";
        }
        case Kind::Died: break;
    }
    return "ended its process with exit status " + std::to_string(exitCode) +
           " before answering (a sanitizer report, or exit() in the plugin?)";
}

std::string ChildEnd::cost() const {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f s, peak RSS %ld MB", seconds, (peakRssKb + 512) / 1024);
    return text;
}

ChildEnd runInChild(const std::function<std::string()> &job, std::chrono::milliseconds timeout) {
    ChildEnd end;
    int fds[2];
    if (pipe(fds) != 0) {
        end.exitCode = -1;
        return end;
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    const auto start = Clock::now();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        end.exitCode = -1;
        return end;
    }
    if (pid == 0) {
        close(fds[0]);
        // Whatever the plugin prints must not mix with the report on stdout.
        dup2(STDERR_FILENO, STDOUT_FILENO);
        int status = 0;
        try {
            writeAll(fds[1], job());
        } catch (...) {
            status = 70;
        }
        close(fds[1]);
        _exit(status);
    }
    close(fds[1]);
    const auto deadline = start + timeout;
    bool timedOut = false;
    char buffer[64 * 1024];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            timedOut = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        end.payload.append(buffer, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    rusage usage{};
    // A child that closed its pipe exits at once; one that did not is killed.
    while (!timedOut) {
        pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        if (Clock::now() >= deadline) timedOut = true;
        if (!timedOut) usleep(2000);
    }
    if (timedOut) {
        kill(pid, SIGKILL);
        while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
        }
        end.kind = ChildEnd::Kind::TimedOut;
    } else if (WIFSIGNALED(status)) {
        end.kind = ChildEnd::Kind::Crashed;
        end.signal = WTERMSIG(status);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        end.kind = ChildEnd::Kind::Finished;
    } else {
        end.kind = ChildEnd::Kind::Died;
        end.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    end.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    end.peakRssKb = usage.ru_maxrss;
    if (!end.finished()) end.payload.clear();
    return end;
}

DecodeResults decodeIsolated(const Subject &subject, const std::vector<DecodeRequest> &requests,
                             std::chrono::milliseconds timeout) {
    DecodeResults results;
    results.end = runInChild(
        [&] {
            std::unique_ptr<PluginInstance> instance;
            WireWriter w;
            w.u64('R');
            w.u64(requests.size());
            for (const auto &request : requests) {
                if (!instance || request.freshInstance) {
                    instance.reset();
                    auto made = instantiate(subject);
                    if (!made) return setupFailure(made.error().message);
                    instance = std::move(made).value();
                }
                put(w, decodeWith(*instance, request));
            }
            return w.take();
        },
        timeout);
    if (!results.end.finished()) return results;
    WireReader r(results.end.payload);
    bool ok = false;
    std::uint64_t n = 0;
    bool parsed = readTag(r, results.setupError, ok) && (!ok || r.u64(n));
    for (std::uint64_t i = 0; parsed && ok && i < n; ++i) {
        DecodeRun run;
        parsed = get(r, run);
        results.runs.push_back(std::move(run));
    }
    if (!parsed || (ok && results.runs.size() != requests.size())) {
        results.end.kind = ChildEnd::Kind::Died;
        results.runs.clear();
    }
    return results;
}

RoundTripResults roundTripIsolated(const Subject &subject, const std::string &type,
                                   const std::vector<std::string> &records, std::chrono::milliseconds timeout) {
    RoundTripResults results;
    results.end = runInChild(
        [&] {
            auto made = instantiate(subject);
            if (!made) return setupFailure(made.error().message);
            EncodeRun encoded;
            ListSource source(records);
            StringWriter writer(encoded.bytes);
            CallOutcome outcome = made.value()->encode(type, source, writer);
            encoded.status = outcome.status;
            encoded.code = outcome.code;
            encoded.message = outcome.message;
            encoded.problems = outcome.encodeProblems;
            WireWriter w;
            w.u64('R');
            put(w, encoded);
            put(w, decodeWith(*made.value(), DecodeRequest{encoded.bytes, type, Reads::Whole, false}));
            return w.take();
        },
        timeout);
    if (!results.end.finished()) return results;
    WireReader r(results.end.payload);
    bool ok = false;
    bool parsed = readTag(r, results.setupError, ok) && (!ok || (get(r, results.encoded) && get(r, results.decoded)));
    if (!parsed) results.end.kind = ChildEnd::Kind::Died;
    return results;
}

std::optional<std::string> createIsolated(const Subject &subject, std::chrono::milliseconds timeout) {
    ChildEnd end = runInChild(
        [&] {
            auto made = instantiate(subject);
            if (!made) return setupFailure(made.error().message);
            WireWriter w;
            w.u64('R');
            return w.take();
        },
        timeout);
    if (!end.finished()) return "create() " + end.describe(timeout);
    WireReader r(end.payload);
    std::string setupError;
    bool ok = false;
    if (!readTag(r, setupError, ok)) return "create(): the child answered nothing readable";
    if (!ok) return setupError;
    return std::nullopt;
}

}  // namespace lendgate::plugin::conformance
