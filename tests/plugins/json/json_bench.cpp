// Runs the JSON plugin on files through its C ABI, streaming both ways, and
// reports throughput: the tool behind the README's performance figures.
//
//   json_bench PLUGIN.so decode CONFIG INPUT [OUT.jsonl]
//   json_bench PLUGIN.so encode CONFIG INPUT.jsonl [OUT]
//   json_bench generate canonical|valley jsonl|array MEGABYTES OUT
//
// Peak memory: run it under /usr/bin/time -v. Not a test: ctest does not run it.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tests/plugins/plugin_abi_bench.h"

namespace {

// One repossession outcome with the agent's interactions, as Valley Recovery Co. posts it (partner) and as the
// canonical model holds it; %09llu is the record's number.
constexpr const char *kPartnerRecord =
    "{\"event_id\":\"VRC-OUT-%09llu\",\"event_type\":\"outcome.recovered\",\"occurred_at\":\"2026-12-04T18"
    ":55:00-07:00\",\"case_number\":\"VRC-88120\",\"assignment_number\":\"CAF-REPO-2026-0088\",\"agent\":{"
    "\"id\":\"VRC-AGT-07\",\"name\":\"R. Tsosie\"},\"recovery\":{\"location\":\"residence\",\"address\":{\"kind\""
    ":\"home\",\"street1\":\"8810 N 43rd Ave\",\"city\":\"Glendale\",\"state\":\"AZ\",\"zip\":\"85302\"},\"method\""
    ":\"wheel_lift\",\"debtor_present\":true,\"debtor_objected\":false,\"entered_closed_structure\":fal"
    "se,\"police\":{\"involved\":false,\"report_number\":null},\"storage\":{\"lot_name\":\"Valley Recovery"
    " Co. West Lot\",\"address\":{\"kind\":\"other\",\"street1\":\"4020 W Buckeye Rd\",\"city\":\"Phoenix\",\"s"
    "tate\":\"AZ\",\"zip\":\"85009\"},\"phone\":\"+16025550190\"}},\"vehicle_condition\":{\"odometer\":\"41872\""
    ",\"drivable\":true,\"keys_recovered\":false,\"damage\":[{\"area\":\"front\",\"severity\":\"minor\",\"note"
    "s\":\"Scuffed bumper cover\"}],\"photos\":[{\"sha256\":\"2c26b46b68ffc68ff99b453c1d30413413422d706"
    "483bfa0f98a5e886266e7ae\",\"taken_at\":\"2026-12-04T18:47:12-07:00\",\"caption\":\"Front three-qua"
    "rter view\"}]},\"personal_property\":[{\"description\":\"Child car seat\",\"qty\":1,\"stored_at\":\"We"
    "st Lot office, shelf B\"},{\"description\":\"Toolbox\",\"qty\":1,\"stored_at\":\"West Lot office, sh"
    "elf B\",\"released_on\":\"2026-12-06\",\"release_fee\":0.00}],\"interactions\":[{\"at\":\"2026-12-04T1"
    "8:38:00-07:00\",\"channel\":\"in_person\",\"with\":\"borrower\",\"summary\":\"Borrower came out, was c"
    "alm, said he served in the Army and lost his job.\",\"stated_needs\":[\"veteran\",\"transportati"
    "on\",\"mental_health\"],\"referral\":{\"offered\":true,\"accepted\":true,\"consent_id\":\"VRC-CONSENT-"
    "000781\"}}]}";
constexpr const char *kCanonicalRecord =
    "{\"message_type\":\"repossession_outcome\",\"schema_version\":\"1.0\",\"idempotency_key\":\"VRC-OUT-%"
    "09llu\",\"occurred_at\":\"2026-12-04T18:55:00-07:00\",\"partner_refs\":[{\"partner\":\"valley-recove"
    "ry\",\"kind\":\"case_number\",\"value\":\"VRC-88120\"}],\"payload\":{\"assignment_id\":\"CAF-REPO-2026-0"
    "088\",\"event\":\"RECOVERED\",\"agent_id\":\"VRC-AGT-07\",\"recovery\":{\"location_type\":\"RESIDENCE\",\""
    "address\":{\"type\":\"HOME\",\"line1\":\"8810 N 43rd Ave\",\"city\":\"Glendale\",\"state\":\"AZ\",\"postal_c"
    "ode\":\"85302\"},\"method\":\"WHEEL_LIFT\",\"debtor_present\":true,\"debtor_objected\":false,\"closed_"
    "structure_entered\":false,\"police_involved\":false,\"storage_facility\":{\"name\":\"Valley Recove"
    "ry Co. West Lot\",\"address\":{\"type\":\"OTHER\",\"line1\":\"4020 W Buckeye Rd\",\"city\":\"Phoenix\",\"s"
    "tate\":\"AZ\",\"postal_code\":\"85009\"},\"phone\":{\"type\":\"WORK\",\"number\":\"+16025550190\"}}},\"condi"
    "tion\":{\"odometer\":41872,\"drivable\":true,\"keys_recovered\":false,\"damage\":[{\"area\":\"FRONT\",\""
    "severity\":\"MINOR\",\"description\":\"Scuffed bumper cover\"}],\"photos\":[{\"sha256\":\"2c26b46b68ff"
    "c68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\",\"taken_at\":\"2026-12-04T18:47:12-07:0"
    "0\",\"caption\":\"Front three-quarter view\"}]},\"personal_property\":[{\"item\":\"Child car seat\",\""
    "quantity\":1,\"storage\":\"West Lot office, shelf B\"},{\"item\":\"Toolbox\",\"quantity\":1,\"storage\""
    ":\"West Lot office, shelf B\",\"release_date\":\"2026-12-06\",\"fee_charged\":\"0.00\"}],\"interactio"
    "ns\":[{\"occurred_at\":\"2026-12-04T18:38:00-07:00\",\"channel\":\"IN_PERSON\",\"party\":\"BORROWER\",\""
    "summary\":\"Borrower came out, was calm, said he served in the Army and lost his job.\",\"stat"
    "ed_needs\":[\"veteran-status\",\"transportation-insecurity\",\"mental-health\"],\"referral_offered"
    "\":true,\"referral_accepted\":true,\"consent_id\":\"VRC-CONSENT-000781\"}]}}";

// About `megabytes` of records, one per line (jsonl) or as one pretty-ish array (array).
int generate(const std::string &shape, const std::string &form, long megabytes, const char *path) {
    const char *record = shape == "valley" ? kPartnerRecord : kCanonicalRecord;
    const bool array = form == "array";
    std::ofstream out(path, std::ios::binary);
    const std::uint64_t target = static_cast<std::uint64_t>(megabytes) * 1000 * 1000;
    std::uint64_t written = 0, count = 0;
    std::string row(4096, '\0');
    if (array) out << "[\n";
    while (written < target) {
        const int n = std::snprintf(row.data(), row.size(), record, static_cast<unsigned long long>(count));
        if (array && count > 0) out << ",\n";
        out.write(row.data(), n);
        if (!array) out << "\n";
        written += static_cast<std::uint64_t>(n) + 2;
        ++count;
    }
    if (array) out << "\n]\n";
    std::cout << count << " records, " << written / 1e6 << " MB\n";
    return out ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 6 && std::string(argv[1]) == "generate") return generate(argv[2], argv[3], std::atol(argv[4]), argv[5]);
    return lendgate::bench::runPluginBench(argc, argv,
                                           "usage: json_bench PLUGIN.so decode|encode CONFIG INPUT [OUTPUT]\n"
                                           "       json_bench generate canonical|valley jsonl|array MEGABYTES OUT\n");
}
