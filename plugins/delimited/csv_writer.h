// RFC 4180 writer for the delimited plugin's encode side.
//
// Cells are quoted when they must be (a delimiter, the quote character or a
// line break inside), or always when configured. For files meant to be opened
// in a spreadsheet, cells a spreadsheet would run as a formula get a leading
// apostrophe (OWASP "CSV Injection"), except plain numbers, which are not
// formulas: a negative amount stays a number.
#ifndef LENDGATE_PLUGINS_DELIMITED_CSV_WRITER_H
#define LENDGATE_PLUGINS_DELIMITED_CSV_WRITER_H

#include <string>
#include <string_view>

namespace lendgate::delimited {

struct CsvWriteOptions {
    char delimiter = ',';
    /// '\0': no quoting; a cell that would need quotes cannot be written.
    char quote = '"';
    bool alwaysQuote = false;
    bool spreadsheetSafe = false;
    std::string lineEnd = "\r\n";
};

/// True when a spreadsheet would take the cell as a formula or a DDE command:
/// it starts (after any spaces) with = + - @, a tab, CR or LF, or with the
/// full-width ＝ ＋ － ＠ that some spreadsheets fold to ASCII, and it is not
/// a plain number (-?digits[.digits]).
bool startsLikeFormula(std::string_view cell) noexcept;

class CsvWriter {
public:
    explicit CsvWriter(CsvWriteOptions options) : options_(std::move(options)) {}

    /// Appends one cell, with the delimiter before it unless it is the row's
    /// first. False (and nothing appended) when the cell needs quotes and
    /// quoting is off.
    bool appendCell(std::string &out, std::string_view cell, bool first) const;

    void endRow(std::string &out) const { out += options_.lineEnd; }

    const CsvWriteOptions &options() const noexcept { return options_; }

private:
    CsvWriteOptions options_;
};

}  // namespace lendgate::delimited

#endif  // LENDGATE_PLUGINS_DELIMITED_CSV_WRITER_H
