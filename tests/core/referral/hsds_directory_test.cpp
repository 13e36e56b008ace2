// Loading and validating HSDS 3.0 directories: the specification's own
// examples unchanged, the sample nonprofits' directories, and the errors an
// operator sees for a broken file.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/referral/hsds_directory.h"
#include "referral_test_support.h"

namespace lendgate::referral {
namespace {

using namespace test;

const std::string kExampleServiceId = "ac148810-d857-441c-9679-408f346de14b";
const std::string kExampleOrganizationId = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
const std::string kExampleLocationId = "3a19ff88-4620-4d17-9830-ac1d859eb5d5";

// What every official example says about its one service, whichever shape carries it.
void expectTheExampleService(const Directory &directory) {
    ASSERT_EQ(directory.services.size(), 1u);
    const DirectoryService &service = directory.services[0];
    EXPECT_EQ(service.id, kExampleServiceId);
    EXPECT_EQ(service.name, "Community Counselling");
    EXPECT_EQ(service.status, "active");
    EXPECT_EQ(service.organizationId, kExampleOrganizationId);
    EXPECT_EQ(service.organizationName, "Example Organization Inc.");
    ASSERT_TRUE(service.eligibility.has_value());
    EXPECT_EQ(*service.eligibility,
              "This service is intended for all people aged 12 and over who require counselling services in the "
              "MyCity area");
    EXPECT_EQ(service.minimumAge, 12);
    EXPECT_EQ(service.maximumAge, 100);
    ASSERT_EQ(service.locations.size(), 1u);
    EXPECT_EQ(service.locations[0].id, kExampleLocationId);
    EXPECT_EQ(service.locations[0].name, "MyCity Civic Center");
    EXPECT_EQ(service.locations[0].postalCodes, std::vector<std::string>{"ABC 1234"});
    // Its only service area is GeoJSON: no ZIP list, so coverage falls back to the (non-US) postal code.
    EXPECT_FALSE(service.hasZipArea);
    EXPECT_TRUE(service.areaZips.empty());
}

void expectTheExampleTerm(const DirectoryService &service) {
    ASSERT_EQ(service.terms.size(), 1u);
    EXPECT_EQ(service.terms[0].id, "3f7b145d-84af-42d7-8fae-eaca714b02b2");
    EXPECT_EQ(service.terms[0].code, "code");
    EXPECT_EQ(service.terms[0].name, "name");
    EXPECT_EQ(service.terms[0].taxonomy, "taxonomy");
}

TEST(HsdsDirectory, ReadsTheOfficialServiceExampleUnchanged) {
    const Directory directory = loaded(examples() / "service_full.json");
    EXPECT_EQ(directory.source, (examples() / "service_full.json").string());
    expectTheExampleService(directory);
    if (!directory.services.empty()) expectTheExampleTerm(directory.services[0]);
}

TEST(HsdsDirectory, ReadsTheOfficialOrganizationExampleUnchanged) {
    const Directory directory = loaded(examples() / "organization_full.json");
    expectTheExampleService(directory);
    if (!directory.services.empty()) expectTheExampleTerm(directory.services[0]);
}

TEST(HsdsDirectory, ReadsTheOfficialServiceAtLocationExampleUnchanged) {
    const Directory directory = loaded(examples() / "service_at_location_full.json");
    expectTheExampleService(directory);
    if (!directory.services.empty()) expectTheExampleTerm(directory.services[0]);
}

TEST(HsdsDirectory, ReadsTheOfficialCsvDatapackageUnchanged) {
    const Directory directory = loaded(examples() / "csv" / "datapackage.json");
    expectTheExampleService(directory);
    // The example's one attribute links its term to f28dd44b-..., which is not this service.
    if (!directory.services.empty()) {
        EXPECT_TRUE(directory.services[0].terms.empty());
    }
    // A folder stands for its datapackage.json.
    EXPECT_EQ(loaded(examples() / "csv").services.size(), 1u);
}

TEST(HsdsDirectory, OfficialJsonExamplesValidateAgainstTheShippedSchemas) {
    for (const char *example : {"service_full.json", "organization_full.json", "service_at_location_full.json"}) {
        const std::vector<std::string> problems = validateDirectory(examples() / example, schemaDir());
        EXPECT_TRUE(problems.empty()) << example << ": " << (problems.empty() ? "" : problems[0]);
    }
    EXPECT_TRUE(validateDirectory(examples() / "csv" / "datapackage.json", schemaDir()).empty());
}

const DirectoryService *byName(const Directory &directory, const std::string &name) {
    for (const DirectoryService &service : directory.services)
        if (service.name == name) return &service;
    ADD_FAILURE() << "no service " << name;
    return nullptr;
}

TEST(HsdsDirectory, SonoranSampleLoadsItsFiveServices) {
    const Directory directory = loaded(sample("sonoran-family-services"));
    ASSERT_EQ(directory.services.size(), 5u);
    const DirectoryService *rent = byName(directory, "Rent and Utility Assistance");
    ASSERT_NE(rent, nullptr);
    EXPECT_EQ(rent->id, "32d095e1-0d67-5d50-92f3-8b7fa0855fe6");
    EXPECT_EQ(rent->organizationId, "259bd622-95a8-5087-b8f2-c3eb763af4ba");
    EXPECT_EQ(rent->organizationName, "Sonoran Family Services");
    ASSERT_EQ(rent->terms.size(), 1u);
    EXPECT_EQ(rent->terms[0].code, "BH-1800.8500");
    EXPECT_EQ(rent->terms[0].taxonomy, "211 Human Services Taxonomy");
    EXPECT_TRUE(rent->hasZipArea);
    EXPECT_EQ(rent->areaZips, (std::vector<std::string>{"850", "852", "85201", "85202", "85203", "85204", "85210"}));
    ASSERT_EQ(rent->locations.size(), 1u);
    EXPECT_EQ(rent->locations[0].name, "Phoenix Family Center");
    EXPECT_EQ(rent->locations[0].postalCodes, std::vector<std::string>{"85009"});

    const DirectoryService *pantry = byName(directory, "Family Food Pantry");
    ASSERT_NE(pantry, nullptr);
    EXPECT_EQ(pantry->terms.at(0).code, "BD-1800.2000");
    EXPECT_EQ(pantry->locations.size(), 2u);
    const DirectoryService *rides = byName(directory, "Ride to Work Vouchers");
    ASSERT_NE(rides, nullptr);
    EXPECT_EQ(rides->terms.at(0).code, "BT-8500");
    EXPECT_TRUE(rides->locations.empty());
}

TEST(HsdsDirectory, VeteransBridgeSampleLoadsItsFourServices) {
    const Directory directory = loaded(sample("arizona-veterans-bridge"));
    ASSERT_EQ(directory.services.size(), 4u);
    const DirectoryService *benefits = byName(directory, "VA Benefits Navigation");
    ASSERT_NE(benefits, nullptr);
    EXPECT_EQ(benefits->terms.at(0).code, "FT-1000.9000");
    EXPECT_EQ(benefits->areaZips, (std::vector<std::string>{"850", "851", "852", "853", "855", "856", "857", "859",
                                                            "860", "863", "864", "865"}));
    ASSERT_EQ(benefits->locations.size(), 2u);
    EXPECT_EQ(benefits->locations[1].postalCodes, std::vector<std::string>{"85705"});
    const DirectoryService *peers = byName(directory, "Peer Support Counseling");
    ASSERT_NE(peers, nullptr);
    EXPECT_EQ(peers->terms.at(0).code, "RP-1400");
}

TEST(HsdsDirectory, SampleDirectoriesValidateAgainstTheShippedSchemas) {
    for (const char *nonprofit : {"sonoran-family-services", "arizona-veterans-bridge"}) {
        const std::vector<std::string> problems = validateDirectory(sample(nonprofit), schemaDir());
        EXPECT_TRUE(problems.empty()) << nonprofit << ": " << (problems.empty() ? "" : problems[0]);
    }
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

bool anyLineStartsWith(const std::vector<std::string> &lines, const std::string &prefix, const std::string &word) {
    for (const std::string &line : lines)
        if (line.rfind(prefix, 0) == 0 && line.find(word) != std::string::npos) return true;
    return false;
}

TEST(HsdsDirectory, BrokenSampleCopyNamesTheFileAndPointerOfEachProblem) {
    ScratchDir scratch;
    const fs::path broken = scratch / "hsds_directory.json";
    std::string text = readText(sample("sonoran-family-services"));
    text = replaced(text, R"("status": "active")", R"("status": "open")");
    text = replaced(text, R"("name": "Emergency Financial Assistance",)", "");
    writeText(broken, text);
    const std::vector<std::string> problems = validateDirectory(broken, schemaDir());
    std::string all;
    for (const std::string &line : problems) all += line + "\n";
    EXPECT_TRUE(anyLineStartsWith(problems, broken.string() + ": /0/status: ", "enum")) << all;
    EXPECT_TRUE(anyLineStartsWith(problems, broken.string() + ": /0: ", "name")) << all;
    // Nested tables are checked too: location.json is reached through service.json's $refs.
    writeText(broken, replaced(readText(sample("arizona-veterans-bridge")), R"("location_type": "physical")",
                               R"("location_type": "office")"));
    EXPECT_TRUE(anyLineStartsWith(validateDirectory(broken, schemaDir()),
                                  broken.string() + ": /0/service_at_locations/0/location/location_type: ", "enum"));
    // The loader refuses the missing name too, by pointer.
    writeText(broken, text);
    const Error error = loadError(broken);
    EXPECT_EQ(error.code, "invalid_directory");
    EXPECT_EQ(error.message, broken.string() + ": /0/name: is missing");
}

TEST(HsdsDirectory, MalformedJsonIsRefusedNamingTheFile) {
    ScratchDir scratch;
    writeText(scratch / "directory.json", R"([{"id": "s-1", "name": "Rent help",)");
    const Error error = loadError(scratch / "directory.json");
    EXPECT_EQ(error.code, "invalid_directory");
    EXPECT_EQ(error.message.rfind((scratch / "directory.json").string() + ": ", 0), 0u) << error.message;
    EXPECT_NE(error.message.find("syntax"), std::string::npos) << error.message;
    EXPECT_EQ(validateDirectory(scratch / "directory.json", schemaDir()).size(), 1u);
}

TEST(HsdsDirectory, ServiceWithoutIdIsRefusedByPointer) {
    const Result<Directory> directory = loadDirectoryJson(
        R"([{"id": "s-1", "name": "Rent help", "status": "active"}, {"name": "Food", "status": "active"}])",
        "sonoran.json");
    ASSERT_FALSE(directory.ok());
    EXPECT_EQ(directory.error().code, "invalid_directory");
    EXPECT_EQ(directory.error().message, "sonoran.json: /1/id: is missing");
}

TEST(HsdsDirectory, FieldsTheMatchReliesOnMustBeStrings) {
    const auto message = [](const std::string &text) {
        const Result<Directory> directory = loadDirectoryJson(text, "d.json");
        return directory.ok() ? std::string("loaded") : directory.error().message;
    };
    EXPECT_EQ(message(R"({"id": 7, "name": "Food", "status": "active"})"), "d.json: /id: must be a string");
    EXPECT_EQ(message(R"({"id": "s", "name": "Food", "status": true})"), "d.json: /status: must be a string");
    EXPECT_EQ(message(R"({"id": "s", "name": "Food", "status": "active",
                          "attributes": [{"taxonomy_term": {"id": "t", "code": 12}}]})"),
              "d.json: /attributes/0/taxonomy_term/code: must be a string");
    EXPECT_EQ(message(R"(["not a service"])"),
              "d.json: /0: must be an HSDS service, organization or service_at_location object");
    // Everything HSDS allows stays allowed: null for absent, fractional ages, unknown members.
    const Result<Directory> lenient = loadDirectoryJson(
        R"({"id": "s", "name": "Food", "status": "active", "eligibility_description": null,
            "minimum_age": 17.5, "maximum_age": 64, "x_local_note": {"any": "thing"}})",
        "d.json");
    ASSERT_TRUE(lenient.ok()) << lenient.error().message;
    EXPECT_FALSE(lenient.value().services[0].eligibility.has_value());
    EXPECT_FALSE(lenient.value().services[0].minimumAge.has_value());
    EXPECT_EQ(lenient.value().services[0].maximumAge, 64);
}

TEST(HsdsDirectory, ServiceListedOncePerLocationIsOneService) {
    const Result<Directory> directory = loadDirectoryJson(R"([
        {"id": "sal-1", "service": {"id": "s-1", "name": "Food", "status": "active"},
         "location": {"id": "l-1", "name": "Phoenix", "addresses": [{"postal_code": "85009"}]}},
        {"id": "sal-2", "service": {"id": "s-1", "name": "Food", "status": "active"},
         "location": {"id": "l-2", "name": "Mesa", "addresses": [{"postal_code": "85201"}]}}])",
                                                          "sal.json");
    ASSERT_TRUE(directory.ok()) << directory.error().message;
    ASSERT_EQ(directory.value().services.size(), 1u);
    ASSERT_EQ(directory.value().services[0].locations.size(), 2u);
    EXPECT_EQ(directory.value().services[0].locations[1].name, "Mesa");
}

TEST(HsdsDirectory, FileOverTheCapIsRefusedBeforeReading) {
    ScratchDir scratch;
    const fs::path big = scratch / "big.json";
    writeText(big, "[]");
    fs::resize_file(big, kMaxDirectoryFileBytes + 1);  // sparse: costs no disk
    const Error error = loadError(big);
    EXPECT_EQ(error.code, "invalid_directory");
    EXPECT_NE(error.message.find("larger than 64 MiB"), std::string::npos) << error.message;
    EXPECT_EQ(loadError(scratch / "absent.json").code, "io");
}

}  // namespace
}  // namespace lendgate::referral
