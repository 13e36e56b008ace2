// Shared by the routing tests: the sample world's partners, the golden
// canonical records of tests/core/model, and small helpers to load rules and
// read routing results.
#ifndef LENDGATE_TESTS_CORE_ROUTING_ROUTING_TEST_SUPPORT_H
#define LENDGATE_TESTS_CORE_ROUTING_ROUTING_TEST_SUPPORT_H

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/routing/route_table.h"

namespace lendgate::routing::testing {

inline std::filesystem::path sourceDir() {
    return LENDGATE_SOURCE_DIR;
}

inline std::string readFile(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A golden record of the canonical model (tests/core/model/golden/valid/<name>.json).
inline nlohmann::json golden(const std::string &name) {
    return nlohmann::json::parse(readFile(sourceDir() / "tests/core/model/golden/valid" / (name + ".json")));
}

/// DOMAIN.md's sample world. Valley Recovery takes JSON webhooks and a
/// nightly "batch-csv" summary; Mesa Asset Recovery fixed-width files.
inline StaticPartnerDirectory sampleWorld() {
    StaticPartnerDirectory partners;
    partners.add("desert-valley-bank", model::PartnerRole::Lender);
    partners.add("saguaro-fcu", model::PartnerRole::Lender);
    partners.add("cactus-auto-finance", model::PartnerRole::Lender);
    partners.add("copper-state-lossmit", model::PartnerRole::Servicer);
    partners.add("valley-recovery", model::PartnerRole::RepoFirm, {"json-webhook", "batch-csv"});
    partners.add("mesa-asset-recovery", model::PartnerRole::RepoFirm, {"fixed-width"});
    partners.add("sonoran-family-services", model::PartnerRole::Nonprofit);
    partners.add("arizona-veterans-bridge", model::PartnerRole::Nonprofit);
    return partners;
}

/// Loads rules ({"version": 1, "rules": [...]}) against the sample world,
/// failing the test with the loader's message if they do not load.
/// (A vector, not a json: a one-element braced list would make a json of that element.)
inline RouteTable loadRules(const std::vector<nlohmann::json> &rules) {
    const nlohmann::json file = {{"version", 1}, {"rules", rules}};
    Result<RouteTable> table = RouteTable::load(file.dump(), "test-routes.json", sampleWorld());
    if (table.ok()) return std::move(table).value();
    ADD_FAILURE() << table.error().message;
    // An empty table lets the test go on and report its expectations too.
    return RouteTable::load(R"({"version": 1, "rules": []})", "empty.json", sampleWorld()).value();
}

/// The load error's lines for a rules file (empty if it loaded).
inline std::vector<std::string> loadErrorsOfText(std::string_view text) {
    Result<RouteTable> table = RouteTable::load(text, "config/routes.json", sampleWorld());
    std::vector<std::string> lines;
    if (table.ok()) return lines;
    EXPECT_EQ(table.error().code, "routing.config");
    std::istringstream in(table.error().message);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

inline std::vector<std::string> loadErrors(const std::vector<nlohmann::json> &rules) {
    return loadErrorsOfText(nlohmann::json({{"version", 1}, {"rules", rules}}).dump());
}

inline RoutingInput inputFor(model::MessageType type, std::string_view sender, std::optional<model::PartnerRole> role,
                             const std::string &json) {
    RoutingInput input;
    input.type = type;
    input.sender = sender;
    input.senderRole = role;
    input.canonicalJson = json;
    return input;
}

/// "partner" or "partner/format", in decision order.
inline std::vector<std::string> destinations(const RoutingResult &result) {
    std::vector<std::string> out;
    for (const RouteDecision &decision : result.decisions) {
        out.push_back(decision.format.empty() ? decision.partner : decision.partner + "/" + decision.format);
    }
    return out;
}

}  // namespace lendgate::routing::testing

#endif  // LENDGATE_TESTS_CORE_ROUTING_ROUTING_TEST_SUPPORT_H
