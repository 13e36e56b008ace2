// The project's ZIP convention and the need-to-service match, on hand-built
// services and on the sample nonprofits' directories.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/referral/hsds_directory.h"
#include "referral_test_support.h"

namespace lendgate::referral {
namespace {

using namespace test;

DirectoryService zipAreaService() {
    DirectoryService service;
    service.id = "s-1";
    service.status = "active";
    service.areaZips = {"850", "85201"};
    service.hasZipArea = true;
    service.locations = {DirectoryLocation{"l-1", "Flagstaff", {"86001"}}};
    return service;
}

DirectoryService locationOnlyService() {
    DirectoryService service;
    service.id = "s-2";
    service.status = "active";
    service.locations = {DirectoryLocation{"l-1", "Phoenix", {"85009"}}, DirectoryLocation{"l-2", "Tucson", {}}};
    return service;
}

TEST(HsdsCovers, ListedZip5IsCovered) {
    EXPECT_TRUE(covers(zipAreaService(), "85201"));
}

TEST(HsdsCovers, Zip3PrefixCoversEveryZipUnderIt) {
    EXPECT_TRUE(covers(zipAreaService(), "85012"));
    EXPECT_TRUE(covers(zipAreaService(), "85099"));
    // A ZIP5 entry is not a prefix.
    EXPECT_FALSE(covers(zipAreaService(), "85202"));
}

TEST(HsdsCovers, ZipPlus4CountsOnlyItsFirstFiveDigits) {
    EXPECT_TRUE(covers(zipAreaService(), "85201-1234"));
    EXPECT_TRUE(covers(zipAreaService(), "852011234"));
    EXPECT_FALSE(covers(zipAreaService(), "86001-1234"));
}

TEST(HsdsCovers, ZipNotListedIsNotCovered) {
    EXPECT_FALSE(covers(zipAreaService(), "86004"));
    EXPECT_FALSE(covers(zipAreaService(), "10001"));
}

TEST(HsdsCovers, AnythingButFiveDigitsCoversNothing) {
    for (const char *zip :
         {"", "850", "8520", "8520A", "85 01", " 85201", "85201-", "85201-12", "85201 1234", "852011", "８５２０１"})
        EXPECT_FALSE(covers(zipAreaService(), zip)) << zip;
}

TEST(HsdsCovers, LocationPostalCodesCountOnlyWithoutAZipArea) {
    EXPECT_TRUE(covers(locationOnlyService(), "85009"));
    EXPECT_TRUE(covers(locationOnlyService(), "85009-0001"));
    EXPECT_FALSE(covers(locationOnlyService(), "85010"));
    // zipAreaService's Flagstaff office is outside its own ZIP list: the list decides.
    EXPECT_FALSE(covers(zipAreaService(), "86001"));
}

TEST(HsdsCovers, FreeTextServiceAreaIsIgnored) {
    const Result<Directory> directory = loadDirectoryJson(R"({
        "id": "s-3", "name": "Counseling", "status": "active",
        "service_areas": [
            {"id": "a-1", "extent_type": "text", "extent": "Phoenix metro, 85009"},
            {"id": "a-2", "extent_type": "text", "extent": "85201,"},
            {"id": "a-3", "extent_type": "geojson", "extent": "850"}],
        "service_at_locations": [{"id": "sal-1", "location": {"id": "l-1", "addresses": [{"postal_code": "85281"}]}}]
    })",
                                                          "free-text.json");
    ASSERT_TRUE(directory.ok()) << directory.error().message;
    const DirectoryService &service = directory.value().services.at(0);
    EXPECT_FALSE(service.hasZipArea);
    EXPECT_TRUE(service.areaZips.empty());
    EXPECT_FALSE(covers(service, "85009"));
    EXPECT_FALSE(covers(service, "85012"));
    EXPECT_TRUE(covers(service, "85281"));
}

TEST(HsdsCovers, TextZipListToleratesSpacesAndCase) {
    const Result<Directory> directory = loadDirectoryJson(
        R"({"id": "s", "name": "n", "status": "active",
            "service_areas": [{"id": "a", "extent_type": "Text", "extent": " 850 ,\t85201 "}]})",
        "spaces.json");
    ASSERT_TRUE(directory.ok()) << directory.error().message;
    EXPECT_EQ(directory.value().services.at(0).areaZips, (std::vector<std::string>{"850", "85201"}));
}

Directory sonoran() {
    return loaded(sample("sonoran-family-services"));
}

TEST(HsdsFindService, NeedIsMatchedByTermCode) {
    const Directory directory = sonoran();
    const auto match = findService(directory, {"BH-1800.8500"}, "85009");
    ASSERT_TRUE(match.has_value());
    EXPECT_EQ(match->service->name, "Rent and Utility Assistance");
    EXPECT_EQ(match->term->code, "BH-1800.8500");
    ASSERT_NE(match->location, nullptr);
    EXPECT_EQ(match->location->name, "Phoenix Family Center");
    // A term's id names it as well as its code.
    const auto byId = findService(directory, {"f23617ef-bb9a-5f2d-830f-9f4718b54d21"}, "85009");
    ASSERT_TRUE(byId.has_value());
    EXPECT_EQ(byId->service->name, "Emergency Financial Assistance");
}

TEST(HsdsFindService, TheZipsOwnLocationIsChosen) {
    const Directory directory = sonoran();
    const auto mesa = findService(directory, {"BD-1800.2000"}, "85201-4410");
    ASSERT_TRUE(mesa.has_value());
    EXPECT_EQ(mesa->service->name, "Family Food Pantry");
    ASSERT_NE(mesa->location, nullptr);
    EXPECT_EQ(mesa->location->name, "Mesa Family Center");
    // 85203 is served, but no office is there: the service's first location.
    const auto elsewhere = findService(directory, {"BD-1800.2000"}, "85203");
    ASSERT_TRUE(elsewhere.has_value());
    EXPECT_EQ(elsewhere->location->name, "Phoenix Family Center");
    // Ride vouchers have no office at all.
    const auto rides = findService(directory, {"BT-8500"}, "85009");
    ASSERT_TRUE(rides.has_value());
    EXPECT_EQ(rides->location, nullptr);
}

TEST(HsdsFindService, InactiveServiceIsSkipped) {
    Directory directory = sonoran();
    DirectoryService second = directory.services.at(1);  // Rent and Utility Assistance
    second.id = "rent-2";
    second.name = "Rent Help (second office)";
    directory.services.push_back(second);
    directory.services.at(1).status = "temporarily closed";
    const auto match = findService(directory, {"BH-1800.8500"}, "85009");
    ASSERT_TRUE(match.has_value());
    EXPECT_EQ(match->service->id, "rent-2");
    directory.services.back().status = "inactive";
    EXPECT_FALSE(findService(directory, {"BH-1800.8500"}, "85009").has_value());
}

TEST(HsdsFindService, EarlierTermCodesArePreferredOverDirectoryOrder) {
    const Directory directory = sonoran();
    // Emergency Financial Assistance (NL-6000.2000) comes first in the directory, counseling last.
    const auto counseling = findService(directory, {"RP-1400", "NL-6000.2000"}, "85201");
    ASSERT_TRUE(counseling.has_value());
    EXPECT_EQ(counseling->service->name, "Family Counseling");
    const auto funds = findService(directory, {"NL-6000.2000", "RP-1400"}, "85201");
    ASSERT_TRUE(funds.has_value());
    EXPECT_EQ(funds->service->name, "Emergency Financial Assistance");
    // A code nobody offers falls through to the next.
    const auto next = findService(directory, {"XX-0000", "RP-1400"}, "85201");
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->service->name, "Family Counseling");
}

TEST(HsdsFindService, NoMatchIsNullopt) {
    const Directory directory = sonoran();
    EXPECT_FALSE(findService(directory, {"XX-0000"}, "85009").has_value());
    EXPECT_FALSE(findService(directory, {"BH-1800.8500"}, "86001").has_value());
    EXPECT_FALSE(findService(directory, {"BH-1800.8500"}, "not a zip").has_value());
    EXPECT_FALSE(findService(directory, {}, "85009").has_value());
    // An empty code must not match a term that has none.
    Directory codeless;
    DirectoryService service = locationOnlyService();
    service.terms = {TaxonomyTerm{"t-1", "", "Unnamed", ""}};
    codeless.services.push_back(service);
    EXPECT_FALSE(findService(codeless, {""}, "85009").has_value());
    EXPECT_TRUE(findService(codeless, {"t-1"}, "85009").has_value());
}

}  // namespace
}  // namespace lendgate::referral
