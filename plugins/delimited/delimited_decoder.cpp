#include "delimited_decoder.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "field_transforms.h"

namespace lendgate::delimited {
namespace {

std::string lineText(std::uint64_t line) {
    return "line " + std::to_string(line);
}

std::string trimmedCopy(const std::string &text) {
    return std::string(trimBlanks(text));
}

bool blank(std::string_view text) {
    return trimBlanks(text).empty();
}

// `upperWord` is already upper-cased; no copy of the cell per row.
bool equalsUpper(std::string_view text, std::string_view upperWord) noexcept {
    if (text.size() != upperWord.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i] >= 'a' && text[i] <= 'z' ? static_cast<char>(text[i] - 'a' + 'A') : text[i];
        if (c != upperWord[i]) return false;
    }
    return true;
}

bool holds(const Condition &condition, const std::string &cell) {
    const std::string_view value = trimBlanks(cell);
    if (value.empty()) return false;
    if (condition.values.empty()) return true;
    return std::any_of(condition.values.begin(), condition.values.end(),
                       [&](const std::string &wanted) { return equalsUpper(value, wanted); });
}

// What a field error names: the canonical field, or the column when the value is only checked.
const std::string &errorField(const FieldMapping &field) {
    return field.target.empty() ? field.source->column : field.target;
}

}  // namespace

DelimitedDecoder::DelimitedDecoder(const DelimitedConfig &config, const Host &host, DecodeContext &ctx)
    : config_(config), host_(host), ctx_(ctx), values_(config.layout.slotCount()) {
    const std::size_t sumCount =
        config_.recordTypes && config_.recordTypes->trailer ? config_.recordTypes->trailer->sums.size() : 0;
    sums_.assign(sumCount, 0);
    unreadableAmounts_.assign(sumCount, 0);
}

void DelimitedDecoder::run() {
    if (!ctx_.expectedType().empty() && ctx_.expectedType() != config_.messageType)
        throw PluginError(
            LENDGATE_ERR_UNSUPPORTED, "message_type",
            "this configuration produces " + config_.messageType + " records, not " + std::string(ctx_.expectedType()));
    if (!config_.rows.empty())
        throw PluginError(LENDGATE_ERR_UNSUPPORTED, "rows",
                          "this configuration writes detail rows from an array (rows) and only encodes");

    CsvReader reader([this](char *buffer, std::size_t capacity) { return ctx_.input().read(buffer, capacity); },
                     config_.csv);
    if (config_.headerRow)
        readColumnNames(reader);
    else if (!config_.columns.empty())
        bindColumns(config_.columns);
    // Otherwise every column is given by position and the first detail row sets the width.
    buildPlan();

    const RecordTypes *types = config_.recordTypes ? &*config_.recordTypes : nullptr;
    CsvRow row;
    while (reader.next(row)) {
        if (seenTrailer_)
            throw inputError("control_totals", lineText(row.line) + ": a record follows the trailer record");
        const Kind kind = classify(row);
        if (kind != Kind::Unknown && kind != Kind::Header && types != nullptr && types->header && !seenHeader_)
            throw inputError("file_structure", lineText(row.line) + ": a record comes before the header record");
        switch (kind) {
            case Kind::Header: onHeader(row); break;
            case Kind::Trailer: onTrailer(row); break;
            case Kind::Detail: onDetail(row); break;
            case Kind::Unknown:
                // Not counted as a detail: if it was one, the trailer count exposes it and the file is refused.
                ctx_.recordError(Location{0, row.line, row.byteOffset, {}}, "record_type", "",
                                 "the record type is not one the configuration names");
                break;
        }
    }
    if (types != nullptr && types->header && !seenHeader_)
        throw inputError("file_structure", "the file has no header record");
    if (types != nullptr && types->trailer && !seenTrailer_)
        throw inputError("control_totals", "the file has no trailer record; it is probably truncated");
}

void DelimitedDecoder::readColumnNames(CsvReader &reader) {
    CsvRow row;
    if (!reader.next(row)) throw inputError("header_row", "the input is empty: the column header row is missing");
    if (row.problem != CsvProblem::None)
        throw inputError("header_row", lineText(row.problemLine) + ": the column header row is unreadable: " +
                                           std::string(problemText(row.problem)));
    std::vector<std::string> names;
    names.reserve(row.fields.size());
    for (const std::string &field : row.fields) names.push_back(trimmedCopy(field));
    std::vector<std::size_t> order(names.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    for (std::size_t i = 1; i < order.size(); ++i) {
        // Positions, not the name: a file that lost its header line has a data row here.
        if (names[order[i - 1]] == names[order[i]])
            throw inputError("header_row", "the column header row gives columns " + std::to_string(order[i - 1] + 1) +
                                               " and " + std::to_string(order[i] + 1) + " the same name");
    }
    bindColumns(names);
}

void DelimitedDecoder::bindColumns(const std::vector<std::string> &names) {
    detailWidth_ = names.size();
    detailPosition_.clear();
    for (const std::string &wanted : config_.detailColumns) {
        auto it = std::find(names.begin(), names.end(), wanted);
        if (it == names.end())
            throw inputError("header_row", "the file has no column " + wanted + ", which the configuration maps");
        detailPosition_.push_back(static_cast<std::size_t>(it - names.begin()));
    }
    widthKnown_ = true;
    if (config_.recordTypes && config_.recordTypes->column >= detailWidth_)
        throw inputError("header_row", "the file has fewer columns than record_types.column needs");
    if (config_.maxPosition && *config_.maxPosition >= detailWidth_)
        throw inputError("header_row", "the file has " + std::to_string(detailWidth_) +
                                           " columns; the configuration reads position " +
                                           std::to_string(*config_.maxPosition));
}

DelimitedDecoder::Kind DelimitedDecoder::classify(const CsvRow &row) const {
    if (!config_.recordTypes) return Kind::Detail;
    const RecordTypes &types = *config_.recordTypes;
    if (row.fields.size() <= types.column) return Kind::Unknown;
    const std::string_view code = trimBlanks(row.fields[types.column]);
    if (code == types.detailCode) return Kind::Detail;
    if (types.header && code == types.header->code) return Kind::Header;
    if (types.trailer && code == types.trailer->layout.code) return Kind::Trailer;
    return Kind::Unknown;
}

void DelimitedDecoder::onHeader(const CsvRow &row) {
    if (seenHeader_) throw inputError("file_structure", lineText(row.line) + ": a second header record");
    if (row.problem != CsvProblem::None)
        throw inputError("file_header", lineText(row.problemLine) + ": the header record is unreadable: " +
                                            std::string(problemText(row.problem)));
    const std::size_t width = config_.recordTypes->header->columns.size();
    if (row.fields.size() != width)
        throw inputError("file_header", lineText(row.line) + ": the header record has " +
                                            std::to_string(row.fields.size()) + " fields, its layout has " +
                                            std::to_string(width));
    headerRecord_.clear();
    for (const std::string &field : row.fields) headerRecord_.push_back(trimmedCopy(field));
    seenHeader_ = true;
}

void DelimitedDecoder::onTrailer(const CsvRow &row) {
    const TrailerSpec &trailer = *config_.recordTypes->trailer;
    const std::string where = lineText(row.line) + ": ";
    if (row.problem != CsvProblem::None)
        throw inputError("control_totals",
                         where + "the trailer record is unreadable: " + std::string(problemText(row.problem)));
    if (row.fields.size() != trailer.layout.columns.size())
        throw inputError("control_totals", where + "the trailer record has " + std::to_string(row.fields.size()) +
                                               " fields, its layout has " +
                                               std::to_string(trailer.layout.columns.size()));
    const std::string &countColumn = trailer.recordCount.column;
    const auto count = parseScaled(trimBlanks(row.fields[trailer.recordCount.index]), 0);
    if (!count || *count < 0)
        throw inputError("control_totals", where + "the trailer's " + countColumn + " is not a whole number");
    if (static_cast<std::uint64_t>(*count) != details_)
        throw inputError("control_totals", where + "the trailer's " + countColumn + " says " + std::to_string(*count) +
                                               " detail records, the file has " + std::to_string(details_) +
                                               "; it is probably truncated or damaged");
    for (std::size_t i = 0; i < trailer.sums.size(); ++i) {
        const TrailerSum &sum = trailer.sums[i];
        const auto total = parseScaled(trimBlanks(row.fields[sum.trailerCell.index]), sum.decimals);
        if (!total)
            throw inputError("control_totals", where + "the trailer's " + sum.trailerCell.column +
                                                   " is not a number with at most " + std::to_string(sum.decimals) +
                                                   " decimals");
        if (unreadableAmounts_[i] > 0) {
            // Those rows were already refused one by one; what the sender added up for them is unknowable.
            const std::uint64_t n = unreadableAmounts_[i];
            const std::string rows = std::to_string(n) + (n == 1 ? " detail record has" : " detail records have");
            host_.log(LENDGATE_LOG_WARNING, "trailer " + sum.trailerCell.column + " not verified: " + rows +
                                                " no readable " + sum.detailCell.column);
        } else if (*total != sums_[i]) {
            throw inputError("control_totals", where + "the trailer's " + sum.trailerCell.column +
                                                   " does not match the sum of " + sum.detailCell.column +
                                                   " over the " + std::to_string(details_) + " detail records");
        }
    }
    seenTrailer_ = true;
}

void DelimitedDecoder::onDetail(const CsvRow &row) {
    ++details_;
    const Location where{details_, row.line, row.byteOffset, {}};
    // Totals first: every detail row counts, whatever else is wrong with it.
    addToSums(row);
    if (row.problem != CsvProblem::None) {
        std::string message(problemText(row.problem));
        if (row.problemLine != row.line) message += " (" + lineText(row.problemLine) + ")";
        ctx_.recordError(where, problemCode(row.problem), "", message);
        return;
    }
    if (!widthKnown_) {
        detailWidth_ = row.fields.size();
        widthKnown_ = true;
    }
    if (row.fields.size() != detailWidth_) {
        ctx_.recordError(where, "ragged", "",
                         "the row has " + std::to_string(row.fields.size()) + " fields, the " +
                             (config_.headerRow ? "header row has " : "first detail row has ") +
                             std::to_string(detailWidth_));
        return;
    }
    if (config_.maxPosition && *config_.maxPosition >= detailWidth_) {
        ctx_.recordError(where, "ragged", "",
                         "the row has " + std::to_string(row.fields.size()) +
                             " fields; the configuration reads position " + std::to_string(*config_.maxPosition));
        return;
    }
    if (!mapRow(row, where)) return;
    // Written in place into a buffer that only grows (bounded by max_record_bytes): no capacity check per key.
    const std::size_t room = config_.layout.maxSize(values_);
    if (json_.size() < room) json_.resize(room);
    const char *end = config_.layout.writeTo(values_, json_.data());
    ctx_.emit(config_.messageType, std::string_view(json_.data(), static_cast<std::size_t>(end - json_.data())), where);
}

void DelimitedDecoder::addToSums(const CsvRow &row) {
    if (sums_.empty()) return;
    const bool readable = row.problem == CsvProblem::None && widthKnown_ && row.fields.size() == detailWidth_ &&
                          (!config_.maxPosition || *config_.maxPosition < detailWidth_);
    const auto &sums = config_.recordTypes->trailer->sums;
    for (std::size_t i = 0; i < sums.size(); ++i) {
        std::optional<std::int64_t> amount;
        if (readable) {
            // A blank amount is an absent one, and what the sender added up for it is nothing.
            const std::string_view text = trimBlanks(cell(row, sums[i].detailCell));
            amount = text.empty() ? std::optional<std::int64_t>(0) : parseScaled(text, sums[i].decimals);
        }
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
        constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
        const bool overflows =
            amount && ((*amount > 0 && sums_[i] > kMax - *amount) || (*amount < 0 && sums_[i] < kMin - *amount));
        if (!amount || overflows)
            ++unreadableAmounts_[i];
        else
            sums_[i] += *amount;
    }
}

const std::string &DelimitedDecoder::cell(const CsvRow &row, const CellRef &ref) const {
    if (ref.record == CellRef::Record::Header) return headerRecord_[ref.index];
    return row.fields[ref.positional ? ref.index : detailPosition_[ref.index]];
}

DelimitedDecoder::CellAt DelimitedDecoder::resolve(const CellRef &ref) const {
    if (ref.record == CellRef::Record::Header) return CellAt{ref.index, true};
    return CellAt{ref.positional ? ref.index : detailPosition_[ref.index], false};
}

void DelimitedDecoder::buildPlan() {
    plan_.clear();
    for (const FieldMapping &field : config_.fields) {
        if (field.direction == Direction::Encode) continue;
        PlannedField planned;
        planned.mapping = &field;
        planned.hasWhen = field.when.has_value();
        if (planned.hasWhen) planned.when = resolve(field.when->cell);
        planned.constant = !field.source;
        if (planned.constant) {
            planned.slot = &values_[field.slot];
        } else {
            planned.slot = field.target.empty() ? &checked_ : &values_[field.slot];
            planned.source = resolve(*field.source);
            planned.steps = field.steps;
            // A joined cell is split before its pieces are trimmed: its steps stay whole.
            planned.trimFirst = !field.join && !field.steps.empty() && field.steps.front() == Step::Trim;
            if (planned.trimFirst) planned.steps = planned.steps.subspan(1);
        }
        plan_.push_back(planned);
    }
}

void DelimitedDecoder::set(std::size_t slot, FieldValue::Type type, std::string_view text) {
    // Assigned in place: each slot's string keeps its buffer from record to record.
    values_[slot].type = type;
    values_[slot].text.assign(text);
}

bool DelimitedDecoder::mapRow(const CsvRow &row, const Location &where) {
    for (FieldValue &value : values_) value.clear();
    set(config_.messageTypeSlot, FieldValue::Type::String, config_.messageType);
    set(config_.schemaVersionSlot, FieldValue::Type::String, config_.schemaVersion);
    bool ok = true;

    if (!config_.idempotencyKey.empty()) {
        std::string &key = key_;
        key.clear();
        for (const KeyPart &part : config_.idempotencyKey) {
            if (!part.cell) {
                key += part.literal;
                continue;
            }
            const std::string_view value = trimBlanks(cell(row, *part.cell));
            if (value.empty()) {
                ctx_.recordError(where, "required", "/idempotency_key",
                                 "column " + part.cell->column + " is empty; the idempotency key is made from it");
                ok = false;
            }
            key += value;
        }
        set(config_.idempotencyKeySlot, FieldValue::Type::String, key);
    }

    if (config_.occurredAt) {
        const OccurredAt &at = *config_.occurredAt;
        const std::string_view text = trimBlanks(cell(row, at.cell));
        char iso[DateFormat::kMaxIso];
        const std::size_t isoSize = text.empty() ? 0 : at.format.toIso(text, iso);
        if (text.empty()) {
            ctx_.recordError(where, "required", "/occurred_at", "column " + at.cell.column + " is empty");
            ok = false;
        } else if (isoSize == 0) {
            ctx_.recordError(where, "date", "/occurred_at",
                             "column " + at.cell.column + ": date does not match format " + at.format.text() +
                                 " or is not a calendar day");
            ok = false;
        } else {
            FieldValue &value = values_[config_.occurredAtSlot];
            value.type = FieldValue::Type::String;
            value.text.assign(iso, isoSize);
            if (!at.format.hasTime()) {
                value.text += 'T';
                value.text += at.time;
            }
            value.text += at.utcOffset;
        }
    }

    for (const PlannedField &planned : plan_) {
        const FieldMapping &field = *planned.mapping;
        if (planned.hasWhen && !holds(*field.when, cellAt(row, planned.when))) continue;
        FieldValue &slot = *planned.slot;
        if (planned.constant) {
            slot.type = field.constant.type;
            slot.text.assign(field.constant.text);
            continue;
        }
        const std::string &source = cellAt(row, planned.source);
        std::string_view text = planned.trimFirst ? trimBlanks(source) : std::string_view(source);
        FieldValue::Type type = FieldValue::Type::String;
        bool converted = true;
        if (field.join) {
            slot.text.assign(text);
            converted = splitJoined(field, slot.text, type, where);
            text = slot.text;
        } else {
            converted = transform(field, planned.steps, text, slot.text, type, where);
        }
        if (!converted) {
            slot.clear();
            ok = false;
            continue;
        }
        if (blank(text)) {
            slot.clear();
            if (field.required) {
                ctx_.recordError(where, "required", errorField(field), "column " + field.source->column + " is empty");
                ok = false;
            }
            continue;
        }
        // The value is the cell itself, or what the steps made of it in the slot's own string: written from there
        // either way, without another copy.
        slot.borrowed = text;
        slot.isBorrowed = true;
        slot.type = type;
    }
    return ok;
}

bool DelimitedDecoder::splitJoined(const FieldMapping &field, std::string &value, FieldValue::Type &type,
                                   const Location &where) {
    const std::string &separator = field.join->separator;
    std::string array = "[";
    std::string storage;
    for (std::size_t start = 0; start <= value.size();) {
        std::size_t end = value.find(separator, start);
        if (end == std::string::npos) end = value.size();
        std::string_view piece = trimBlanks(std::string_view(value).substr(start, end - start));
        start = end + separator.size();
        if (piece.empty()) continue;
        FieldValue::Type pieceType = FieldValue::Type::String;
        if (!transform(field, field.steps, piece, storage, pieceType, where)) return false;
        if (array.size() > 1) array += ',';
        if (pieceType == FieldValue::Type::String)
            appendJsonString(array, piece);
        else
            array += piece;
    }
    if (array.size() == 1) {
        value.clear();  // nothing but separators and blanks: absent
        return true;
    }
    value = array + "]";
    type = FieldValue::Type::Json;
    return true;
}

bool DelimitedDecoder::transform(const FieldMapping &field, std::span<const Step> steps, std::string_view &text,
                                 std::string &storage, FieldValue::Type &type, const Location &where) {
    const std::string &column = field.source->column;
    auto refuse = [&](std::string_view code, const std::string &why) {
        ctx_.recordError(where, code, errorField(field), "column " + column + ": " + why);
        return false;
    };
    // A blank cell is an absent value: conversions do not run on it, `required` decides. Of the steps only a code
    // table can leave a value blank that was not, so that is where it is checked again.
    if (blank(text)) return true;
    // Only a step that makes new text writes to `storage`: the others read the cell where it is.
    auto keep = [&](std::string_view produced) {
        storage.assign(produced);
        text = storage;
    };
    for (const Step step : steps) {
        switch (step) {
            case Step::Trim: text = trimBlanks(text); break;
            case Step::Upper:
                if (text.data() != storage.data() || text.size() != storage.size()) keep(text);
                upperAscii(storage);
                break;
            case Step::Date: {
                char iso[DateFormat::kMaxIso];
                const std::size_t isoSize = field.dateFormat->toIso(text, iso);
                if (isoSize == 0)
                    return refuse(
                        "date", "date does not match format " + field.dateFormat->text() + " or is not a calendar day");
                storage.assign(iso, isoSize);
                if (!field.utcOffset.empty()) {
                    if (!field.dateFormat->hasTime()) {
                        storage += 'T';
                        storage += field.time;
                    }
                    storage += field.utcOffset;
                }
                text = storage;
                break;
            }
            case Step::CentsToDecimal:
                if (auto decimal = centsToDecimal(text))
                    keep(*decimal);
                else
                    return refuse("amount", "not a whole number of cents");
                break;
            case Step::Decimal:
                if (!isDecimal(text)) return refuse("amount", "not a decimal number");
                break;
            case Step::Integer:
                if (auto number = normalizeInteger(text)) {
                    keep(*number);
                    type = FieldValue::Type::Number;
                } else {
                    return refuse("integer", "not a whole number");
                }
                break;
            case Step::Boolean:
                if (auto flag = parseBoolean(text)) {
                    keep(*flag ? "true" : "false");
                    type = FieldValue::Type::Boolean;
                } else {
                    return refuse("boolean", "not a yes/no value (Y/N, 1/0, true/false)");
                }
                break;
            case Step::CodeTable: {
                // The table is keyed by std::string: the cell is copied to look it up unless it is already one.
                if (text.data() != storage.data() || text.size() != storage.size()) keep(text);
                const auto it = field.codes.find(storage);
                if (it == field.codes.end()) return refuse("code", "the code is not in the configured code table");
                keep(it->second);
                if (blank(text)) return true;
                break;
            }
            case Step::PhoneE164:
                if (auto phone = phoneE164(text))
                    keep(*phone);
                else
                    return refuse("phone", "not a 10-digit North American phone number");
                break;
        }
    }
    return true;
}

}  // namespace lendgate::delimited
