#include "tests/e2e/e2e_daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_http.h"

extern char **environ;

namespace lendgate::e2e {

namespace fs = std::filesystem;

namespace {

// When the suite runs under scripts/test.sh, each daemon's log outlives its
// world so the run's logs can be searched for personal values afterwards.
fs::path daemonLogFile(const GatewayWorld &world) {
    const char *keep = std::getenv("LENDGATE_TEST_LOG_DIR");
    if (keep == nullptr || *keep == '\0') return world.root() / "lendgated.log";
    static std::atomic<int> started{0};
    std::string name = "lendgated";
    if (const auto *test = ::testing::UnitTest::GetInstance()->current_test_info()) {
        name = std::string(test->test_suite_name()) + "." + test->name();
        for (char &c : name)
            if (c == '/') c = '_';
    }
    fs::create_directories(keep);
    return fs::path(keep) / (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++started) + ".log");
}

}  // namespace

Daemon::Daemon(const GatewayWorld &world) : world_(world), log_(daemonLogFile(world)) {}

Daemon::~Daemon() {
    if (pid_ <= 0) return;
    try {
        kill9();
    } catch (const std::exception &) {
        // Nothing more a destructor can do; PR_SET_PDEATHSIG is the backstop.
    }
}

void Daemon::spawn() {
    // Everything the child needs is built before fork: after it, only
    // async-signal-safe calls until exec.
    const std::string binary = lendgatedBinary().string();
    const std::string config = world_.configFile().string();
    std::vector<std::string> args{binary, "--config", config};
    std::vector<char *> argv;
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env;
    for (char **e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        if (!world_.secretEnvironment().contains(entry.substr(0, entry.find('=')))) env.push_back(entry);
    }
    for (const auto &[name, value] : world_.secretEnvironment()) env.push_back(name + "=" + value);
    std::vector<char *> envp;
    for (auto &e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    const int logFd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logFd < 0) throw std::runtime_error("cannot open " + log_.string());
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(logFd);
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(125);
        ::dup2(logFd, STDOUT_FILENO);
        ::dup2(logFd, STDERR_FILENO);
        const int devNull = ::open("/dev/null", O_RDONLY);
        if (devNull >= 0) ::dup2(devNull, STDIN_FILENO);
        // The test's sockets (receivers, clients) are not the daemon's.
        ::syscall(SYS_close_range, 3U, UINT_MAX, 0U);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(logFd);
    pid_ = pid;
}

void Daemon::start(std::chrono::milliseconds timeout) {
    if (pid_ > 0) throw std::runtime_error("lendgated is already running");
    const fs::path portsFile = world_.dataDir() / "lendgated.ports.json";
    std::error_code ec;
    fs::remove(portsFile, ec);  // a killed daemon leaves its ports behind
    partnerPort_ = adminPort_ = 0;
    spawn();
    const bool ready = eventually(
        [&] {
            if (!running()) return true;
            if (partnerPort_ == 0) {
                if (!fs::exists(portsFile, ec)) return false;
                auto ports = nlohmann::json::parse(readText(portsFile), nullptr, false);
                if (!ports.is_object() || !ports.contains("partner_api") || !ports.contains("admin_api")) return false;
                partnerPort_ = ports["partner_api"].get<std::uint16_t>();
                adminPort_ = ports["admin_api"].get<std::uint16_t>();
            }
            return httpRequest(adminPort_, "GET", "/readyz", {}, {}, std::chrono::seconds(2)).status == 200;
        },
        timeout);
    if (!running())
        throw std::runtime_error("lendgated exited during start-up (status " + std::to_string(exitStatus_) +
                                 "); log:\n" + logTail());
    if (!ready) {
        kill9();
        throw std::runtime_error("lendgated was not ready in time; log:\n" + logTail());
    }
}

bool Daemon::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    const pid_t got = ::waitpid(pid_, &status, WNOHANG);
    if (got == pid_ || (got < 0 && errno == ECHILD)) {
        exitStatus_ = status;
        pid_ = -1;
        return false;
    }
    return true;
}

bool Daemon::reap(std::chrono::milliseconds timeout) {
    return eventually([&] { return !running(); }, timeout, std::chrono::milliseconds(5));
}

void Daemon::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    // SIGKILL cannot be caught; the wait is for the kernel to tear it down.
    if (!reap(std::chrono::seconds(30))) throw std::runtime_error("lendgated survived SIGKILL");
}

std::optional<int> Daemon::terminate(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return std::nullopt;
    ::kill(pid_, SIGTERM);
    if (!reap(timeout)) {
        kill9();
        return std::nullopt;
    }
    if (WIFEXITED(exitStatus_)) return WEXITSTATUS(exitStatus_);
    return std::nullopt;
}

std::string Daemon::logTail(std::size_t bytes) const {
    std::string text;
    try {
        text = readText(log_);
    } catch (const std::exception &) {
        return "(no log)";
    }
    return text.size() <= bytes ? text : text.substr(text.size() - bytes);
}

}  // namespace lendgate::e2e
