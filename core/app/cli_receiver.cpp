// `lendgate dev receiver`: a webhook receiver for trying the gateway out (the
// demo's repo firm, servicer and nonprofits) and for partners testing their
// own integration. Each request is kept as a file named by its idempotency
// key, so a redelivered message overwrites itself: the folder shows what a
// deduplicating receiver ends up with.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "core/app/cli.h"
#include "core/common/redact.h"

namespace lendgate::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kReceiverUsage = R"(usage: lendgate dev receiver [--listen HOST:PORT] [--out DIR]

Accepts webhook POSTs (default 127.0.0.1:9101) and writes each body to
DIR/<url path>/<Idempotency-Key>.<ext> (default ./received), printing one line
per request. Answers 200. Stops on Ctrl-C.
)";

std::string safeName(std::string text) {
    for (auto &c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
    if (text.empty() || text[0] == '.') text.insert(text.begin(), '_');
    return text.substr(0, 120);
}

class Receive final : public Poco::Net::HTTPRequestHandler {
public:
    Receive(const fs::path &out, std::mutex &mutex) : out_(out), mutex_(mutex) {}
    void handleRequest(Poco::Net::HTTPServerRequest &in, Poco::Net::HTTPServerResponse &reply) override {
        std::string body;
        Poco::StreamCopier::copyToString(in.stream(), body);
        const auto key = in.get("Idempotency-Key", "no-key");
        const auto type = in.get("Lendgate-Message-Type", "unknown");
        const auto contentType = in.getContentType();
        const std::string ext = contentType.find("csv") != std::string::npos   ? ".csv"
                                : contentType.find("xml") != std::string::npos ? ".xml"
                                                                               : ".json";
        fs::path dir = out_;
        for (const auto &part : fs::path(in.getURI()).relative_path()) dir /= safeName(part.string());
        {
            std::lock_guard lock(mutex_);
            std::error_code ec;
            fs::create_directories(dir, ec);
            std::ofstream(dir / (safeName(key) + ext), std::ios::binary | std::ios::trunc) << body;
            std::cout << "received " << in.getMethod() << " " << redactForLog(in.getURI(), 120) << " " << type
                      << " key=" << redactForLog(key, 40) << " bytes=" << body.size()
                      << (in.has("Lendgate-Signature") ? " signed" : " unsigned") << std::endl;
        }
        reply.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
        reply.setContentType("application/json");
        reply.send() << R"({"received":true})";
    }

private:
    const fs::path &out_;
    std::mutex &mutex_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(fs::path out) : out_(std::move(out)) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override {
        return new Receive(out_, mutex_);
    }

private:
    fs::path out_;
    std::mutex mutex_;
};

}  // namespace

int runDevCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
    if (args.empty() || args[0] != "receiver") return err << kReceiverUsage, Exit::kUsage;
    std::string error;
    auto parsed = Arguments::parse({args.begin() + 1, args.end()}, {"listen", "out"}, {"help"}, error);
    if (!parsed) return err << "lendgate dev receiver: " << error << "\n", Exit::kUsage;
    if (parsed->flag("help")) return out << kReceiverUsage, kAllTaken;
    const auto listen = parsed->value("listen").value_or("127.0.0.1:9101");
    const fs::path dir = fs::absolute(parsed->value("out").value_or("received"));
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);  // threads started below inherit the mask
    try {
        Poco::Net::ServerSocket socket{Poco::Net::SocketAddress(listen)};
        Poco::Net::HTTPServer server(new Factory(dir), socket, new Poco::Net::HTTPServerParams);
        server.start();
        out << "lendgate dev receiver: listening on " << listen << ", writing to " << dir.string() << std::endl;
        int signal = 0;
        sigwait(&stopSignals, &signal);
        server.stop();
    } catch (const Poco::Exception &e) {
        err << "lendgate dev receiver: cannot listen on " << listen << ": " << e.displayText() << "\n";
        return kSetupFailed;
    }
    return kAllTaken;
}

}  // namespace lendgate::cli
