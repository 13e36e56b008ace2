#include "delimited_encoder.h"

#include <algorithm>
#include <limits>

#include "field_transforms.h"

namespace lendgate::delimited {
namespace {

using nlohmann::json;

constexpr std::size_t kFlushBytes = 64 * 1024;

// The value at `path`, or nothing when a step is missing or the value is null: absent, as in decoding.
const json *resolve(const json &root, const std::vector<std::string> &path) {
    const json *node = &root;
    for (const std::string &segment : path) {
        if (node->is_object()) {
            const auto it = node->find(segment);
            if (it == node->end()) return nullptr;
            node = &*it;
        } else if (node->is_array()) {
            if (segment.empty() || segment.size() > 9 || (segment.size() > 1 && segment[0] == '0') ||
                !std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return nullptr;
            const std::size_t index = std::stoul(segment);
            if (index >= node->size()) return nullptr;
            node = &(*node)[index];
        } else {
            return nullptr;
        }
    }
    return node->is_null() ? nullptr : node;
}

std::optional<EncodeProblem> scalarText(const json &value, std::string &out) {
    if (value.is_string()) {
        out = value.get_ref<const std::string &>();
    } else if (value.is_boolean()) {
        out = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_integer()) {
        out = value.dump();
    } else if (value.is_number()) {
        // Money never travels as a JSON number, and a fraction has no exact text once parsed.
        return EncodeProblem{"type", "a number with a fraction; amounts are decimal strings"};
    } else {
        return EncodeProblem{"type", "an object or array where a single value belongs"};
    }
    return std::nullopt;
}

// The transforms undone, last first: what decoding this cell gives back is the value we started from.
std::optional<EncodeProblem> reverseSteps(const FieldMapping &field, std::string &text) {
    for (auto it = field.steps.rbegin(); it != field.steps.rend(); ++it) {
        switch (*it) {
            case Step::Trim: text = std::string(trimBlanks(text)); break;
            case Step::Upper: upperAscii(text); break;
            case Step::Date: {
                // To the configured offset, or, without one, the day and time where the value was written.
                const auto local = localDateTime(text, field.utcOffset);
                auto written = local ? field.dateFormat->fromIso(*local) : std::nullopt;
                if (!written) return EncodeProblem{"date", "not an ISO date or RFC 3339 date-time"};
                text = std::move(*written);
                break;
            }
            case Step::CentsToDecimal:
                if (auto cents = decimalToCents(text))
                    text = std::move(*cents);
                else
                    return EncodeProblem{"amount", "not a decimal amount in whole cents"};
                break;
            case Step::Decimal:
                if (!isDecimal(text)) return EncodeProblem{"amount", "not a decimal number"};
                break;
            case Step::Integer:
                if (auto number = normalizeInteger(text))
                    text = std::move(*number);
                else
                    return EncodeProblem{"integer", "not a whole number"};
                break;
            case Step::Boolean:
                if (auto flag = parseBoolean(text))
                    text = *flag ? field.trueText : field.falseText;
                else
                    return EncodeProblem{"boolean", "not true or false"};
                break;
            case Step::CodeTable:
                if (auto code = field.reverseCodes.find(text); code != field.reverseCodes.end())
                    text = code->second;
                else if (field.encodeDefault)
                    text = *field.encodeDefault;
                else
                    return EncodeProblem{"code", "the value has no code in the configured code table"};
                break;
            case Step::PhoneE164:
                if (auto phone = formatPhone(text, field.phoneFormat))
                    text = std::move(*phone);
                else
                    return EncodeProblem{"phone", "not a North American E.164 number"};
                break;
        }
    }
    return std::nullopt;
}

std::string rowPath(const std::string &rows, std::size_t index) {
    return rows + "/" + std::to_string(index);
}

}  // namespace

std::optional<EncodeProblem> encodeValue(const FieldMapping &field, const json &value, std::string &out) {
    if (!field.join) {
        if (auto problem = scalarText(value, out)) return problem;
        return reverseSteps(field, out);
    }
    if (!value.is_array()) return EncodeProblem{"type", "not an array, which this column joins"};
    out.clear();
    std::string piece;
    bool any = false;
    const bool ofItems = !field.join->itemPath.empty();
    for (const json &element : value) {
        const json *item = ofItems ? resolve(element, field.join->itemPath) : element.is_null() ? nullptr : &element;
        // Items keep their places, so columns joined from the same array line up piece by piece.
        if (item == nullptr && !ofItems) continue;
        piece.clear();
        if (item != nullptr) {
            if (auto problem = scalarText(*item, piece)) return problem;
            if (auto problem = reverseSteps(field, piece)) return problem;
        }
        // A cell decoding splits must split back into the same elements.
        if (!ofItems && piece.find(field.join->separator) != std::string::npos)
            return EncodeProblem{"join", "an element holds the separator, so the cell could not be split again"};
        if (any) out += field.join->separator;
        out += piece;
        any = true;
    }
    return std::nullopt;
}

DelimitedEncoder::DelimitedEncoder(const DelimitedConfig &config, const Host &host, EncodeContext &ctx)
    : config_(config), host_(host), ctx_(ctx), writer_(config.output) {}

void DelimitedEncoder::planColumns() {
    auto unsupported = [](const std::string &why) {
        return PluginError(LENDGATE_ERR_UNSUPPORTED, "config", "this configuration cannot encode: " + why);
    };
    const RecordTypes *types = config_.recordTypes ? &*config_.recordTypes : nullptr;
    if (!config_.columns.empty()) {
        names_ = config_.columns;
    } else if (config_.detailColumns.empty()) {
        width_ = config_.maxPosition.value_or(0) + 1;
        if (types != nullptr) width_ = std::max(width_, types->column + 1);
        if (config_.headerRow) throw unsupported("the column header row needs the column names in columns");
    } else {
        if (types != nullptr) throw unsupported("columns must say where the record type column goes");
        if (config_.maxPosition) throw unsupported("it mixes column names and positions; give columns");
        names_ = config_.detailColumns;
    }
    if (!names_.empty()) width_ = names_.size();

    auto position = [&](const CellRef &ref) {
        if (ref.positional) return ref.index;
        return static_cast<std::size_t>(std::find(names_.begin(), names_.end(), ref.column) - names_.begin());
    };
    byColumn_.assign(width_, {});
    for (const FieldMapping &field : config_.fields)
        if (field.source && !field.target.empty() && field.direction != Direction::Decode)
            byColumn_[position(*field.source)].push_back(&field);
    for (const KeyPart &part : config_.idempotencyKey)
        keyCells_.push_back(part.cell && part.cell->record == CellRef::Record::Detail
                                ? std::optional<std::size_t>(position(*part.cell))
                                : std::nullopt);
    if (config_.occurredAt && config_.occurredAt->cell.record == CellRef::Record::Detail)
        occurredAtColumn_ = position(config_.occurredAt->cell);
    if (types != nullptr && types->trailer)
        for (const TrailerSum &sum : types->trailer->sums)
            sums_.push_back(SumColumn{position(sum.detailCell), sum.decimals, sum.detailCell.column});
}

void DelimitedEncoder::run() {
    if (!ctx_.messageType().empty() && ctx_.messageType() != config_.messageType)
        throw PluginError(
            LENDGATE_ERR_UNSUPPORTED, "message_type",
            "this configuration writes " + config_.messageType + " records, not " + std::string(ctx_.messageType()));
    planColumns();
    std::string_view text;
    while (ctx_.next(text)) {
        const Location where{ctx_.recordNumber(), 0, 0, {}};
        json record = json::parse(text, nullptr, false);
        if (record.is_discarded() || !record.is_object()) {
            ctx_.recordError(where, "json", "", "the record is not a JSON object");
            continue;
        }
        const json *type = resolve(record, {"message_type"});
        if (type == nullptr || !type->is_string() || type->get_ref<const std::string &>() != config_.messageType) {
            ctx_.recordError(where, "message_type", "/message_type",
                             "the record is not a " + config_.messageType + " record");
            continue;
        }
        const json *id = resolve(record, {"message_id"});
        const bool continuation =
            slices_.continues(config_.messageType, id != nullptr && id->is_string() ? id->get_ref<const std::string &>()
                                                                                    : std::string_view());
        if (!started_) startFile(&record);
        // A further slice of one ACK adds its records' rows; anything else it
        // holds the first slice already wrote.
        if (continuation && config_.rows != "/payload/records") continue;
        encodeRecord(record);
    }
    if (!started_) startFile(nullptr);
    if (config_.recordTypes && config_.recordTypes->trailer) {
        const TrailerSpec &trailer = *config_.recordTypes->trailer;
        trailerCells_[trailer.recordCount.index] = std::to_string(rowsWritten_);
        for (std::size_t i = 0; i < sums_.size(); ++i)
            trailerCells_[trailer.sums[i].trailerCell.index] = formatScaled(sums_[i].total, sums_[i].decimals);
        writeRow(trailerCells_, nullptr);
    }
    flush(true);
}

void DelimitedEncoder::startFile(const json *first) {
    started_ = true;
    if (config_.headerRow) writeRow(names_, nullptr);
    if (config_.recordTypes && config_.recordTypes->header)
        writeRow(layoutCells(*config_.recordTypes->header, first), nullptr);
    // The trailer's values come from the first record too; worked out now so that record need not be kept.
    if (config_.recordTypes && config_.recordTypes->trailer)
        trailerCells_ = layoutCells(config_.recordTypes->trailer->layout, first);
}

void DelimitedEncoder::encodeRecord(const json &record) {
    if (config_.rowsPath.empty()) {
        encodeRow(record, record, Location{ctx_.recordNumber(), 0, 0, {}});
        return;
    }
    const json *rows = resolve(record, config_.rowsPath);
    if (rows == nullptr) return;  // nothing to list: the header and trailer still carry the record
    if (!rows->is_array()) {
        ctx_.recordError(Location{ctx_.recordNumber(), 0, 0, {}}, "type", config_.rows, "rows: not an array");
        return;
    }
    for (std::size_t i = 0; i < rows->size(); ++i)
        encodeRow(record, (*rows)[i], Location{ctx_.recordNumber(), 0, 0, rowPath(config_.rows, i)});
}

bool DelimitedEncoder::encodeRow(const json &record, const json &element, const Location &where) {
    cells_.assign(width_, std::string());
    bool ok = true;
    const bool rows = !config_.rowsPath.empty();
    auto fieldName = [&](const FieldMapping &field) {
        return rows && !field.documentScope ? where.path + field.target : field.target;
    };
    std::string text;
    for (std::size_t column = 0; column < width_; ++column) {
        bool required = false;
        const FieldMapping *requiredBy = nullptr;
        for (const FieldMapping *field : byColumn_[column]) {
            const json *value = resolve(rows && !field->documentScope ? element : record, field->targetPath);
            if (value == nullptr) {
                if (field->required && !field->when && requiredBy == nullptr) requiredBy = field;
                continue;
            }
            if (auto problem = encodeValue(*field, *value, text)) {
                ctx_.recordError(where, problem->code, fieldName(*field),
                                 "column " + field->source->column + ": " + problem->reason);
                ok = false;
            } else {
                cells_[column] = std::move(text);
            }
            required = true;  // a value was there, written or reported
            break;
        }
        if (!required && requiredBy != nullptr) {
            ctx_.recordError(where, "required", fieldName(*requiredBy),
                             "column " + requiredBy->source->column + " is required and the value is absent");
            ok = false;
        }
    }
    ok = fillFromEnvelope(record, where) && ok;
    if (config_.recordTypes) cells_[config_.recordTypes->column] = config_.recordTypes->detailCode;
    for (const SumColumn &sum : sums_) {
        const std::string_view cell = trimBlanks(cells_[sum.position]);
        if (!cell.empty() && !parseScaled(cell, sum.decimals)) {
            ctx_.recordError(where, "amount", "",
                             "column " + sum.column + " is not a number with at most " + std::to_string(sum.decimals) +
                                 " decimals, so the trailer could not total it");
            ok = false;
        }
    }
    if (!ok || !writeRow(cells_, &where)) return false;
    for (SumColumn &sum : sums_) {
        const std::int64_t amount = parseScaled(trimBlanks(cells_[sum.position]), sum.decimals).value_or(0);
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
        constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
        if ((amount > 0 && sum.total > kMax - amount) || (amount < 0 && sum.total < kMin - amount))
            throw inputError("control_totals", "the total of " + sum.column + " overflows 64 bits");
        sum.total += amount;
    }
    ++rowsWritten_;
    flush(false);
    return true;
}

bool DelimitedEncoder::fillFromEnvelope(const json &record, const Location &where) {
    bool ok = true;
    if (occurredAtColumn_ && cells_[*occurredAtColumn_].empty()) {
        const OccurredAt &at = *config_.occurredAt;
        const json *value = resolve(record, {"occurred_at"});
        std::optional<std::string> local;
        if (value != nullptr && value->is_string())
            local = localDateTime(value->get_ref<const std::string &>(), at.utcOffset);
        if (auto text = local ? at.format.fromIso(*local) : std::nullopt) {
            cells_[*occurredAtColumn_] = std::move(*text);
        } else {
            ctx_.recordError(where, "date", "/occurred_at", "column " + at.cell.column + ": not an RFC 3339 date-time");
            ok = false;
        }
    }
    if (keyCells_.empty()) return ok;
    // Undo the key template: literal parts anchor the cells between them; a cell takes the text up to the next literal.
    const json *value = resolve(record, {"idempotency_key"});
    const std::string key = value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
    std::vector<std::string> parts(config_.idempotencyKey.size());
    std::size_t at = 0;
    bool fits = !key.empty();
    for (std::size_t i = 0; fits && i < parts.size(); ++i) {
        const KeyPart &part = config_.idempotencyKey[i];
        if (!part.cell) {
            fits = key.compare(at, part.literal.size(), part.literal) == 0;
            at += part.literal.size();
            continue;
        }
        std::size_t end = key.size();
        if (i + 1 < parts.size()) {
            const KeyPart &next = config_.idempotencyKey[i + 1];
            end = next.cell ? std::string::npos : key.find(next.literal, at);
        }
        fits = end != std::string::npos && end > at;
        if (fits) parts[i] = key.substr(at, end - at);
        at = end;
    }
    fits = fits && at == key.size();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!keyCells_[i] || !cells_[*keyCells_[i]].empty()) continue;
        if (!fits) {
            ctx_.recordError(where, "idempotency_key", "/idempotency_key",
                             "column " + config_.idempotencyKey[i].cell->column +
                                 ": the idempotency key does not fit the configured key layout");
            return false;
        }
        cells_[*keyCells_[i]] = parts[i];
    }
    return ok;
}

std::vector<std::string> DelimitedEncoder::layoutCells(const RecordLayoutSpec &layout, const json *first) const {
    std::vector<std::string> cells(layout.columns.size());
    cells[config_.recordTypes->column] = layout.code;
    std::string text;
    for (const EncodeCell &cell : layout.values) {
        if (cell.source == EncodeCell::Source::Const) {
            cells[cell.index] = cell.constant;
            continue;
        }
        json now;
        const json *value = nullptr;
        if (cell.source == EncodeCell::Source::Now) {
            now = utcDateTime(host_.nowUnixMs());
            value = &now;
        } else if (first != nullptr) {
            value = resolve(*first, cell.mapping.targetPath);
        }
        if (value == nullptr) continue;
        if (auto problem = encodeValue(cell.mapping, *value, text))
            throw inputError("file_structure",
                             "the " + layout.code + " record's column " + cell.column + ": " + problem->reason);
        cells[cell.index] = std::move(text);
    }
    return cells;
}

bool DelimitedEncoder::writeRow(const std::vector<std::string> &cells, const Location *where) {
    const std::size_t start = out_.size();
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (writer_.appendCell(out_, cells[i], i == 0)) continue;
        out_.resize(start);
        const std::string column = where != nullptr && i < names_.size() ? names_[i] : "[" + std::to_string(i) + "]";
        const std::string why = "column " + column +
                                ": the value holds the delimiter or a line break and the "
                                "configuration has no quote character";
        if (where == nullptr) throw inputError("file_structure", why);
        ctx_.recordError(*where, "quote", "", why);
        return false;
    }
    writer_.endRow(out_);
    return true;
}

void DelimitedEncoder::flush(bool force) {
    if (out_.size() < kFlushBytes && !force) return;
    ctx_.write(out_);
    out_.clear();
}

}  // namespace lendgate::delimited
