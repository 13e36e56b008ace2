// lendgated: the gateway daemon. Runs in the foreground (or with --daemon, as
// Poco's ServerApplication provides), and on SIGTERM or SIGINT finishes the
// requests and deliveries in progress before it exits.
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>

#include "core/app/gateway.h"
#include "core/config/gateway_config.h"

namespace {

// Exit codes from sysexits.h, as service managers expect.
constexpr int kExitConfig = 78;
constexpr int kExitUnavailable = 69;

class Lendgated final : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet &options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Poco::Util::Option("config", "c", "the gateway configuration (lendgate.json)")
                              .required(false)
                              .argument("FILE")
                              .binding("lendgate.config"));
        options.addOption(Poco::Util::Option("plugin-dir", "", "overrides plugin_dir of the configuration")
                              .required(false)
                              .argument("DIR")
                              .binding("lendgate.plugin_dir"));
        options.addOption(Poco::Util::Option("help", "h", "this text")
                              .required(false)
                              .repeatable(false)
                              .callback(Poco::Util::OptionCallback<Lendgated>(this, &Lendgated::showHelp)));
    }

    int main(const std::vector<std::string> &) override {
        if (helpShown_) return EXIT_OK;
        const std::string configFile = config().getString("lendgate.config", "config/lendgate.json");
        lendgate::config::LoadOptions loadOptions;
        if (config().has("lendgate.plugin_dir")) loadOptions.pluginDir = config().getString("lendgate.plugin_dir");
        auto loaded = lendgate::config::loadGatewayConfig(configFile, loadOptions);
        for (const auto &problem : loaded.problems) std::cerr << lendgate::config::describe(problem) << "\n";
        if (!loaded.config) {
            std::cerr << "lendgated: the configuration has errors; nothing was started\n";
            return kExitConfig;
        }
        auto gateway = lendgate::app::Gateway::start(*loaded.config);
        if (!gateway) {
            std::cerr << "lendgated: " << gateway.error().message << "\n";
            return gateway.error().code == "secret" ? kExitConfig : kExitUnavailable;
        }
        waitForTerminationRequest();
        gateway.value()->stop();
        return EXIT_OK;
    }

private:
    void showHelp(const std::string &, const std::string &) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand(commandName());
        help.setUsage("[--config FILE] [--plugin-dir DIR] [--daemon --pidfile FILE]");
        help.setHeader("The lendgate gateway daemon: partner API, admin API, journal and delivery.");
        help.format(std::cout);
        helpShown_ = true;
        stopOptionsProcessing();
    }

    bool helpShown_ = false;
};

}  // namespace

POCO_SERVER_MAIN(Lendgated)
