// The tabular form: a datapackage descriptor and RFC 4180 CSV tables as
// spreadsheets and the specification's own tools write them.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/referral/hsds_directory.h"
#include "referral_test_support.h"

namespace lendgate::referral {
namespace {

using namespace test;

const std::map<std::string, std::string> kResources = {{"organization", "organizations.csv"},
                                                       {"service", "services.csv"},
                                                       {"service_at_location", "service_at_location.csv"},
                                                       {"location", "locations.csv"},
                                                       {"address", "addresses.csv"},
                                                       {"service_area", "service_areas.csv"},
                                                       {"attribute", "attributes.csv"},
                                                       {"taxonomy_term", "taxonomy_terms.csv"},
                                                       {"taxonomy", "taxonomies.csv"}};

// A small nonprofit's export: a BOM, CRLF, quoted commas, doubled quotes and a
// line break inside a quoted field, all in the services and organizations tables.
std::map<std::string, std::string> smallExport() {
    return {
        {"organizations.csv", "\xEF\xBB\xBFid,name\r\norg-1,\"Sonoran \"\"Family\"\" Services\"\r\n"},
        {"services.csv",
         "id,organization_id,name,status,eligibility_description,minimum_age,maximum_age\r\n"
         "svc-1,org-1,Rent Help,active,\"Households behind on rent,\r\nwith a notice\",18,\r\n"
         "svc-2,org-1,Food,inactive,,,\r\n"},
        {"service_at_location.csv", "id,service_id,location_id\nsal-1,svc-1,loc-1\n"},
        {"locations.csv", "id,name\nloc-1,Phoenix Center\n"},
        {"addresses.csv", "id,location_id,postal_code\na-1,loc-1,85009-1234\n"},
        {"service_areas.csv", "id,service_id,extent,extent_type\nsa-1,svc-1,\"850, 85201\",text\n"},
        {"attributes.csv",
         "id,link_id,taxonomy_term_id,link_type\nat-1,svc-1,term-1,service_category\nat-2,loc-1,term-2,feature\n"},
        {"taxonomy_terms.csv",
         "id,code,name,taxonomy,taxonomy_id\nterm-1,BH-1800.8500,Rent Payment Assistance,,tax-1\nterm-2,X,Y,,tax-1\n"},
        {"taxonomies.csv", "id,name\ntax-1,211 Human Services Taxonomy\n"},
    };
}

fs::path writeDatapackage(const ScratchDir &scratch, const std::map<std::string, std::string> &files,
                          std::map<std::string, std::string> paths = kResources) {
    std::string descriptor = R"({"profile": "tabular-data-package", "resources": [)";
    bool first = true;
    for (const auto &[name, path] : paths) {
        descriptor += (first ? "" : ", ") + std::string(R"({"name": ")") + name + R"(", "path": ")" + path + "\"}";
        first = false;
    }
    writeText(scratch / "datapackage.json", descriptor + "]}");
    for (const auto &[file, text] : files) writeText(scratch / file, text);
    return scratch / "datapackage.json";
}

TEST(HsdsCsvDirectory, ReadsQuotedFieldsBomAndCrlfAsASpreadsheetWritesThem) {
    ScratchDir scratch;
    const Directory directory = loaded(writeDatapackage(scratch, smallExport()));
    ASSERT_EQ(directory.services.size(), 2u);
    const DirectoryService &rent = directory.services[0];
    EXPECT_EQ(rent.id, "svc-1");
    EXPECT_EQ(rent.organizationName, "Sonoran \"Family\" Services");
    EXPECT_EQ(rent.eligibility, "Households behind on rent,\r\nwith a notice");
    EXPECT_EQ(rent.minimumAge, 18);
    EXPECT_FALSE(rent.maximumAge.has_value());
    ASSERT_EQ(rent.locations.size(), 1u);
    EXPECT_EQ(rent.locations[0].name, "Phoenix Center");
    EXPECT_EQ(rent.locations[0].postalCodes, std::vector<std::string>{"85009-1234"});
    EXPECT_TRUE(rent.hasZipArea);
    EXPECT_EQ(rent.areaZips, (std::vector<std::string>{"850", "85201"}));
    EXPECT_EQ(directory.services[1].status, "inactive");
    EXPECT_FALSE(directory.services[1].eligibility.has_value());
}

TEST(HsdsCsvDirectory, AttributeLinksATermToTheServiceItNamesWhateverItsLinkType) {
    ScratchDir scratch;
    const Directory directory = loaded(writeDatapackage(scratch, smallExport()));
    ASSERT_EQ(directory.services.size(), 2u);
    ASSERT_EQ(directory.services[0].terms.size(), 1u);
    const TaxonomyTerm &term = directory.services[0].terms[0];
    EXPECT_EQ(term.id, "term-1");
    EXPECT_EQ(term.code, "BH-1800.8500");
    EXPECT_EQ(term.name, "Rent Payment Assistance");
    // The term names no taxonomy itself: its taxonomy's name from taxonomies.csv.
    EXPECT_EQ(term.taxonomy, "211 Human Services Taxonomy");
    // at-2 links term-2 to a location, not a service.
    EXPECT_TRUE(directory.services[1].terms.empty());
}

TEST(HsdsCsvDirectory, TaxonomiesTableIsOptional) {
    ScratchDir scratch;
    auto files = smallExport();
    files.erase("taxonomies.csv");
    auto paths = kResources;
    paths.erase("taxonomy");
    const Directory directory = loaded(writeDatapackage(scratch, files, paths));
    ASSERT_EQ(directory.services.size(), 2u);
    EXPECT_EQ(directory.services[0].terms.at(0).taxonomy, "");
}

TEST(HsdsCsvDirectory, UnterminatedQuoteIsRefusedNamingFileAndRow) {
    ScratchDir scratch;
    auto files = smallExport();
    files["services.csv"] += "svc-3,org-1,\"Broken,active,,,\r\n";
    const Error error = loadError(writeDatapackage(scratch, files));
    EXPECT_EQ(error.code, "invalid_directory");
    // Row 2 spans two lines; the broken record is the fourth.
    EXPECT_EQ(error.message,
              (scratch / "services.csv").string() + ": row 4, column \"name\": quoted field is never closed");
}

TEST(HsdsCsvDirectory, RowWithTheWrongNumberOfFieldsIsRefused) {
    ScratchDir scratch;
    auto files = smallExport();
    files["locations.csv"] += "loc-2,Mesa,extra\n";
    const Error error = loadError(writeDatapackage(scratch, files));
    EXPECT_EQ(error.message, (scratch / "locations.csv").string() + ": row 3, 3 fields where the header has 2");
}

TEST(HsdsCsvDirectory, ServiceRowWithoutStatusIsRefusedByColumn) {
    ScratchDir scratch;
    auto files = smallExport();
    files["services.csv"] += "svc-3,org-1,Rides,,,,\r\n";
    const Error error = loadError(writeDatapackage(scratch, files));
    EXPECT_EQ(error.message, (scratch / "services.csv").string() + ": row 4, column \"status\": is empty");
}

TEST(HsdsCsvDirectory, DatapackageNamingAMissingCsvIsAnIoError) {
    ScratchDir scratch;
    auto files = smallExport();
    files.erase("taxonomy_terms.csv");
    const Error error = loadError(writeDatapackage(scratch, files));
    EXPECT_EQ(error.code, "io");
    EXPECT_EQ(error.message.rfind((scratch / "taxonomy_terms.csv").string() + ": cannot be read", 0), 0u)
        << error.message;
    EXPECT_NE(error.message.find("/resources/8/path"), std::string::npos) << error.message;
}

TEST(HsdsCsvDirectory, ResourcePathMustStayInsideThePackageFolder) {
    ScratchDir scratch;
    auto paths = kResources;
    paths["location"] = "../locations.csv";
    const Error error = loadError(writeDatapackage(scratch, smallExport(), paths));
    EXPECT_EQ(error.code, "invalid_directory");
    EXPECT_NE(error.message.find("datapackage.json: /resources/2/path: must be a relative path"), std::string::npos)
        << error.message;
}

TEST(HsdsCsvDirectory, RequiredTableMissingFromTheDescriptorIsNamed) {
    ScratchDir scratch;
    auto paths = kResources;
    paths.erase("service_area");
    const Error error = loadError(writeDatapackage(scratch, smallExport(), paths));
    EXPECT_NE(error.message.find("datapackage.json: /resources: no resource named \"service_area\""), std::string::npos)
        << error.message;
}

}  // namespace
}  // namespace lendgate::referral
