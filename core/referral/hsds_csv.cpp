// HSDS 3.0 as a tabular datapackage: the descriptor names one CSV per table,
// the tables link by id. Only the tables a referral needs are read.
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/strict_json.h"
#include "core/referral/hsds_directory.h"
#include "core/referral/referral_internal.h"

namespace lendgate::referral {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Tens of thousands of services is a large 211 region; the cap only stops a
// file of commas from becoming gigabytes of empty strings.
constexpr std::size_t kMaxCells = 4'000'000;

struct CsvTable {
    std::string file;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> rowNumbers;  // the header is row 1, as a spreadsheet shows it

    std::size_t column(std::string_view name) const {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        return header.size();
    }
};

std::string csvProblem(const std::string &file, std::size_t row, const std::string &what) {
    return file + ": row " + std::to_string(row) + (what.empty() ? "" : ", ") + what;
}

// RFC 4180 with the usual leniencies: CRLF or LF, a UTF-8 BOM, a quote inside
// an unquoted field kept as text. Text after a closing quote is refused: which
// field it belongs to is a guess, and a guess here shifts every column after it.
class CsvParser {
public:
    CsvParser(std::string_view text, std::string file) : text_(text) {
        table_.file = std::move(file);
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
    }

    Result<CsvTable> parse() {
        std::vector<std::string> record;
        std::size_t cells = 0;
        while (pos_ < text_.size()) {
            record.clear();
            bool blank = false;
            if (!readRecord(record, blank)) return Error{"invalid_directory", *problem_};
            if (!blank && !addRecord(record)) return Error{"invalid_directory", *problem_};
            cells += record.size();
            if (cells > kMaxCells) return Error{"invalid_directory", table_.file + ": too many cells, refused"};
            ++row_;
        }
        if (table_.header.empty()) return Error{"invalid_directory", csvProblem(table_.file, 1, "no header row")};
        return std::move(table_);
    }

private:
    std::string columnName(std::size_t index) const {
        if (index < table_.header.size()) return "column \"" + table_.header[index] + "\"";
        return "column " + std::to_string(index + 1);
    }

    bool fail(std::size_t index, const std::string &reason) {
        problem_ = csvProblem(table_.file, row_, columnName(index) + ": " + reason);
        return false;
    }

    bool atLineEnd() const { return pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }
    void skipLineEnd() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
    }

    // One record from pos_ up to and including its line end.
    bool readRecord(std::vector<std::string> &record, bool &blank) {
        bool quotedAny = false;
        while (true) {
            std::string field;
            if (pos_ < text_.size() && text_[pos_] == '"') {
                quotedAny = true;
                const std::size_t openedRow = row_;
                ++pos_;
                while (true) {
                    if (pos_ >= text_.size()) {
                        problem_ = csvProblem(table_.file, openedRow,
                                              columnName(record.size()) + ": quoted field is never closed");
                        return false;
                    }
                    const char c = text_[pos_++];
                    if (c != '"') {
                        field.push_back(c);
                    } else if (pos_ < text_.size() && text_[pos_] == '"') {
                        field.push_back('"');
                        ++pos_;
                    } else {
                        break;
                    }
                }
                if (pos_ < text_.size() && text_[pos_] != ',' && !atLineEnd())
                    return fail(record.size(), "text after the closing quote");
            } else {
                while (pos_ < text_.size() && text_[pos_] != ',' && !atLineEnd()) field.push_back(text_[pos_++]);
            }
            record.push_back(std::move(field));
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < text_.size()) skipLineEnd();
            blank = !quotedAny && record.size() == 1 && record.front().empty();
            return true;
        }
    }

    bool addRecord(std::vector<std::string> &record) {
        if (table_.header.empty()) {
            for (std::size_t i = 0; i < record.size(); ++i) {
                for (std::size_t j = 0; j < i; ++j)
                    if (record[j] == record[i]) return fail(i, "appears twice in the header");
            }
            table_.header = std::move(record);
            record.clear();
            return true;
        }
        if (record.size() != table_.header.size()) {
            problem_ = csvProblem(
                table_.file, row_,
                std::to_string(record.size()) + " fields where the header has " + std::to_string(table_.header.size()));
            return false;
        }
        table_.rows.push_back(record);
        table_.rowNumbers.push_back(row_);
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t row_ = 1;
    CsvTable table_;
    std::optional<std::string> problem_;
};

// The tables read, by their datapackage resource names.
struct Table {
    const char *resource;
    bool required;
};
constexpr Table kTables[] = {{"organization", true}, {"service", true},       {"service_at_location", true},
                             {"location", true},     {"address", true},       {"service_area", true},
                             {"attribute", true},    {"taxonomy_term", true}, {"taxonomy", false}};

bool safeRelativePath(const std::string &path) {
    if (path.empty() || path.front() == '/' || path.find("://") != std::string::npos ||
        path.find('\\') != std::string::npos)
        return false;
    for (const fs::path &part : fs::path(path))
        if (part == "..") return false;
    return true;
}

class DatapackageReader {
public:
    explicit DatapackageReader(fs::path descriptor) : descriptor_(std::move(descriptor)) {}

    Result<Directory> read() {
        Result<std::string> text = detail::readDirectoryFile(descriptor_);
        if (!text.ok()) return text.error();
        JsonSyntaxError syntax;
        const std::optional<json> document = parseStrictJson(text.value(), syntax, detail::directoryJsonLimits());
        if (!document) return refused(detail::shownPointer(syntax.pointer), syntax.message + " (" + syntax.code + ")");
        if (!document->is_object() || !document->contains("resources") || !(*document)["resources"].is_array())
            return refused("/resources", "a datapackage descriptor needs a resources array");
        const json &resources = (*document)["resources"];
        for (const Table &table : kTables) {
            Result<std::optional<CsvTable>> read = readTable(resources, table);
            if (!read.ok()) return read.error();
            if (read.value()) tables_.emplace(table.resource, std::move(*read.value()));
        }
        return assemble();
    }

private:
    Error refused(const std::string &pointer, const std::string &reason) const {
        return Error{"invalid_directory", descriptor_.string() + ": " + pointer + ": " + reason};
    }

    Result<std::optional<CsvTable>> readTable(const json &resources, const Table &table) {
        for (std::size_t i = 0; i < resources.size(); ++i) {
            const json &resource = resources[i];
            const auto name = resource.is_object() ? resource.find("name") : resource.end();
            if (name == resource.end() || !name->is_string() || *name != table.resource) continue;
            const std::string where = "/resources/" + std::to_string(i);
            if (!resource.contains("path") || !resource["path"].is_string())
                return refused(where + "/path",
                               "must be one CSV file name (inline data and multi-file resources are "
                               "not supported)");
            const std::string path = resource["path"].get<std::string>();
            if (!safeRelativePath(path))
                return refused(where + "/path", "must be a relative path inside the datapackage's folder");
            const fs::path file = descriptor_.parent_path() / path;
            Result<std::string> text = detail::readDirectoryFile(file);
            if (!text.ok()) {
                Error error = text.error();
                error.message += " (named by " + descriptor_.string() + " " + where + "/path)";
                return error;
            }
            Result<CsvTable> parsed = CsvParser(text.value(), file.string()).parse();
            if (!parsed.ok()) return parsed.error();
            return std::optional<CsvTable>(std::move(parsed).value());
        }
        if (table.required) return refused("/resources", std::string("no resource named \"") + table.resource + "\"");
        return std::optional<CsvTable>();
    }

    // Missing optional columns read as empty cells; missing key columns make the table meaningless.
    struct Columns {
        const CsvTable *table = nullptr;
        std::map<std::string, std::size_t, std::less<>> index;

        const std::string &cell(std::size_t row, std::string_view name) const {
            static const std::string empty;
            const auto found = index.find(name);
            return found == index.end() ? empty : table->rows[row][found->second];
        }
    };

    Result<Columns> columns(const char *resource, std::initializer_list<const char *> keys,
                            std::initializer_list<const char *> optional) const {
        Columns result;
        const auto found = tables_.find(resource);
        if (found == tables_.end()) return result;
        result.table = &found->second;
        for (const char *key : keys) {
            const std::size_t at = found->second.column(key);
            if (at == found->second.header.size())
                return Error{"invalid_directory",
                             csvProblem(found->second.file, 1, std::string("column \"") + key + "\": missing")};
            result.index.emplace(key, at);
        }
        for (const char *name : optional) {
            const std::size_t at = found->second.column(name);
            if (at != found->second.header.size()) result.index.emplace(name, at);
        }
        return result;
    }

    static std::size_t rows(const Columns &columns) { return columns.table ? columns.table->rows.size() : 0; }

    Error cellProblem(const Columns &columns, std::size_t row, const char *column, const std::string &reason) const {
        return Error{"invalid_directory", csvProblem(columns.table->file, columns.table->rowNumbers[row],
                                                     std::string("column \"") + column + "\": " + reason)};
    }

    static std::optional<int> age(const std::string &cell) {
        if (cell.empty()) return std::nullopt;
        char *end = nullptr;
        const double value = std::strtod(cell.c_str(), &end);
        if (end == nullptr || *end != '\0') return std::nullopt;
        return detail::wholeAge(value);
    }

    Result<Directory> assemble() const;

    fs::path descriptor_;
    std::map<std::string, CsvTable, std::less<>> tables_;
};

Result<Directory> DatapackageReader::assemble() const {
    Result<Columns> organizations = columns("organization", {"id"}, {"name"});
    Result<Columns> services = columns("service", {"id", "name", "status"},
                                       {"organization_id", "eligibility_description", "minimum_age", "maximum_age"});
    Result<Columns> links = columns("service_at_location", {"service_id", "location_id"}, {});
    Result<Columns> locations = columns("location", {"id"}, {"name"});
    Result<Columns> addresses = columns("address", {"location_id"}, {"postal_code"});
    Result<Columns> areas = columns("service_area", {"service_id"}, {"extent", "extent_type"});
    Result<Columns> attributes = columns("attribute", {"link_id", "taxonomy_term_id"}, {});
    Result<Columns> terms = columns("taxonomy_term", {"id"}, {"code", "name", "taxonomy", "taxonomy_id"});
    Result<Columns> taxonomies = columns("taxonomy", {"id"}, {"name"});
    for (const Result<Columns> *table :
         {&organizations, &services, &links, &locations, &addresses, &areas, &attributes, &terms, &taxonomies})
        if (!table->ok()) return table->error();

    std::unordered_map<std::string, std::string> organizationNames;
    for (std::size_t r = 0; r < rows(organizations.value()); ++r)
        organizationNames.emplace(organizations.value().cell(r, "id"), organizations.value().cell(r, "name"));

    std::unordered_map<std::string, DirectoryLocation> locationById;
    for (std::size_t r = 0; r < rows(locations.value()); ++r) {
        const std::string &id = locations.value().cell(r, "id");
        if (id.empty()) return cellProblem(locations.value(), r, "id", "is empty");
        locationById[id] = DirectoryLocation{id, locations.value().cell(r, "name"), {}};
    }
    for (std::size_t r = 0; r < rows(addresses.value()); ++r) {
        const auto location = locationById.find(addresses.value().cell(r, "location_id"));
        const std::string &postal = addresses.value().cell(r, "postal_code");
        if (location != locationById.end() && !postal.empty()) location->second.postalCodes.push_back(postal);
    }

    std::unordered_map<std::string, std::string> taxonomyNames;
    for (std::size_t r = 0; r < rows(taxonomies.value()); ++r)
        taxonomyNames.emplace(taxonomies.value().cell(r, "id"), taxonomies.value().cell(r, "name"));
    std::unordered_map<std::string, TaxonomyTerm> termById;
    for (std::size_t r = 0; r < rows(terms.value()); ++r) {
        const Columns &t = terms.value();
        TaxonomyTerm term{t.cell(r, "id"), t.cell(r, "code"), t.cell(r, "name"), t.cell(r, "taxonomy")};
        if (term.id.empty()) return cellProblem(t, r, "id", "is empty");
        if (const auto taxonomy = taxonomyNames.find(t.cell(r, "taxonomy_id"));
            term.taxonomy.empty() && taxonomy != taxonomyNames.end())
            term.taxonomy = taxonomy->second;
        termById[term.id] = std::move(term);
    }

    Directory directory{descriptor_.string(), {}};
    std::unordered_map<std::string, std::size_t> serviceAt;
    const Columns &s = services.value();
    for (std::size_t r = 0; r < rows(s); ++r) {
        DirectoryService service;
        for (const char *key : {"id", "name", "status"})
            if (s.cell(r, key).empty()) return cellProblem(s, r, key, "is empty");
        service.id = s.cell(r, "id");
        service.name = s.cell(r, "name");
        service.status = s.cell(r, "status");
        service.organizationId = s.cell(r, "organization_id");
        if (const auto name = organizationNames.find(service.organizationId); name != organizationNames.end())
            service.organizationName = name->second;
        if (!s.cell(r, "eligibility_description").empty()) service.eligibility = s.cell(r, "eligibility_description");
        service.minimumAge = age(s.cell(r, "minimum_age"));
        service.maximumAge = age(s.cell(r, "maximum_age"));
        if (!serviceAt.emplace(service.id, directory.services.size()).second)
            return cellProblem(s, r, "id", "the same service id appears on an earlier row");
        directory.services.push_back(std::move(service));
    }

    for (std::size_t r = 0; r < rows(links.value()); ++r) {
        const auto service = serviceAt.find(links.value().cell(r, "service_id"));
        const std::string &locationId = links.value().cell(r, "location_id");
        if (service == serviceAt.end() || locationId.empty()) continue;
        std::vector<DirectoryLocation> &at = directory.services[service->second].locations;
        bool listed = false;
        for (const DirectoryLocation &l : at) listed = listed || l.id == locationId;
        if (listed) continue;
        const auto location = locationById.find(locationId);
        at.push_back(location != locationById.end() ? location->second : DirectoryLocation{locationId, {}, {}});
    }
    for (std::size_t r = 0; r < rows(areas.value()); ++r) {
        const auto service = serviceAt.find(areas.value().cell(r, "service_id"));
        if (service == serviceAt.end()) continue;
        detail::addServiceArea(directory.services[service->second], areas.value().cell(r, "extent_type"),
                               areas.value().cell(r, "extent"));
    }
    // Any link_type: HSDS leaves its vocabulary open, and the link to the service is what counts.
    for (std::size_t r = 0; r < rows(attributes.value()); ++r) {
        const auto service = serviceAt.find(attributes.value().cell(r, "link_id"));
        const std::string &termId = attributes.value().cell(r, "taxonomy_term_id");
        if (service == serviceAt.end() || termId.empty()) continue;
        const auto term = termById.find(termId);
        directory.services[service->second].terms.push_back(term != termById.end() ? term->second
                                                                                   : TaxonomyTerm{termId, {}, {}, {}});
    }
    return directory;
}

}  // namespace

namespace detail {

Result<Directory> loadDatapackage(const fs::path &descriptor) {
    return DatapackageReader(descriptor).read();
}

}  // namespace detail

}  // namespace lendgate::referral
