// One canonical ACK cut into the slices the gateway hands a plugin that
// declares LENDGATE_CAP_ACK_SLICES (see lendgate/plugin.h): the same ACK,
// `perSlice` of its payload.records at a time. For plugin tests: encoding
// the slices must give the bytes encoding the whole ACK gives.
#ifndef LENDGATE_TESTS_PLUGINS_SUPPORT_ACK_SLICES_H
#define LENDGATE_TESTS_PLUGINS_SUPPORT_ACK_SLICES_H

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lendgate::test {

inline std::vector<std::string> ackInSlices(const std::string &ack, std::size_t perSlice) {
    const nlohmann::json whole = nlohmann::json::parse(ack);
    const nlohmann::json::json_pointer at("/payload/records");
    if (!whole.contains(at)) return {ack};
    const nlohmann::json &records = whole.at(at);
    std::vector<std::string> slices;
    for (std::size_t at = 0; at < records.size(); at += perSlice) {
        nlohmann::json slice = whole;
        slice["payload"]["records"] =
            nlohmann::json(records.begin() + static_cast<std::ptrdiff_t>(at),
                           records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), at + perSlice)));
        slices.push_back(slice.dump());
    }
    if (slices.empty()) slices.push_back(ack);
    return slices;
}

}  // namespace lendgate::test

#endif  // LENDGATE_TESTS_PLUGINS_SUPPORT_ACK_SLICES_H
