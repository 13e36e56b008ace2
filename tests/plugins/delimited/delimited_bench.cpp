// Runs the delimited plugin on files through its C ABI, streaming both ways,
// and reports throughput: the tool behind the README's performance figures.
//
//   delimited_bench PLUGIN.so decode CONFIG INPUT [OUT.jsonl]
//   delimited_bench PLUGIN.so encode CONFIG INPUT.jsonl [OUT.csv]
//   delimited_bench generate-delinquency MEGABYTES OUT.csv
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

// A Desert Valley Bank style delinquency file of about `megabytes`, totals matching.
int generate(long megabytes, const char *path) {
    std::ofstream out(path, std::ios::binary);
    out << "RECORD_TYPE,RECORD_ID,ACCT_NO,PRODUCT_CODE,CONTRACT_DATE,FIRST_PMT_DATE,BORR_FIRST,BORR_LAST,BORR_SSN,"
           "BORR_PHONE,BORR_ADDR1,BORR_ADDR2,BORR_CITY,BORR_STATE,BORR_ZIP,BORR_LANG,COSIGNER_FIRST,COSIGNER_LAST,"
           "COSIGNER_PHONE,VIN,VEH_YEAR,VEH_MAKE,VEH_MODEL,VEH_COLOR,PLATE,PLATE_STATE,AS_OF_DATE,DAYS_PAST_DUE,"
           "AMT_PAST_DUE_CENTS,PAYOFF_AMT,LAST_PMT_DATE,LAST_PMT_AMT,SCRA_STATUS,SCRA_CERT_ID,SCRA_CHECKED_DATE,"
           "BK_FLAG,BK_CHAPTER,BK_FILED_DATE,RTC_NOTICE_DATE,RTC_CURE_DATE,CEASE_COMM\nH,DVB,20261123,001,DELQ\n";
    const std::uint64_t target = static_cast<std::uint64_t>(megabytes) * 1000 * 1000;
    std::uint64_t written = 0, count = 0, total = 0;
    char row[1024];
    while (written < target) {
        const std::uint64_t cents = 10000 + count * 37 % 250000;
        const int n = std::snprintf(
            row, sizeof row,
            "D,DQ-%09llu,44%08llu,R,03/14/2021,04/28/2021,Maria,Delgado-Pena,921-47-3856,(602) 555-0143,"
            "\"1420 E Camelback Rd, Apt 12\",,Phoenix,AZ,85014,SPA,,,,4T1B11HK5M0214873,2021,TOYOTA,CAMRY,SILVER,"
            "CMX4127,AZ,11/22/2026,45,%llu,14872.19,09/28/2026,306.20,N,DMDC-26-0417-5521,11/20/2026,N,,,,,N\n",
            static_cast<unsigned long long>(count), static_cast<unsigned long long>(count % 100000000),
            static_cast<unsigned long long>(cents));
        out.write(row, n);
        written += static_cast<std::uint64_t>(n);
        total += cents;
        ++count;
    }
    out << "T," << count << "," << total << "\n";
    std::cout << count << " detail records, " << written / 1e6 << " MB\n";
    return out ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 4 && std::string(argv[1]) == "generate-delinquency") return generate(std::atol(argv[2]), argv[3]);
    return lendgate::bench::runPluginBench(argc, argv,
                                           "usage: delimited_bench PLUGIN.so decode|encode CONFIG INPUT [OUTPUT]\n"
                                           "       delimited_bench generate-delinquency MEGABYTES OUT.csv\n");
}
