#include "core/journal/sqlite/connection.h"

#include <algorithm>
#include <typeinfo>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>

#include "core/common/redact.h"
#include "core/journal/journal.h"

namespace lendgate::journal::sqlite {
namespace {

using namespace Poco::Data::Keywords;
namespace pds = Poco::Data::SQLite;

void registerConnectorOnce() {
    static std::once_flag once;
    std::call_once(once, [] { pds::Connector::registerConnector(); });
}

template <class... Exceptions>
bool isAnyOf(const std::exception &e) {
    return (... || (dynamic_cast<const Exceptions *>(&e) != nullptr));
}

}  // namespace

std::unique_ptr<Session> openSession(const ConnectionSettings &settings) {
    registerConnectorOnce();
    auto session = std::make_unique<Session>("SQLite", settings.path.string());
    Session &s = *session;
    const int busy = settings.busyTimeoutMs;
    s << "PRAGMA busy_timeout = " + std::to_string(busy), now;
    s << "PRAGMA synchronous = " + settings.synchronous, now;
    if (settings.readOnly) {
        s << "PRAGMA query_only = ON", now;
    } else {
        s << "PRAGMA foreign_keys = ON", now;
        // Deleted and overwritten content (a purged blob key) is zeroed in
        // the page and in freed pages, so it does not linger in free space.
        s << "PRAGMA secure_delete = ON", now;
        s << "PRAGMA cache_size = -" + std::to_string(std::max<std::size_t>(settings.cacheBytes / 1024, 2048)), now;
    }
    return session;
}

Error storageError(const std::exception &e, std::string_view operation) {
    const std::string what = redactForLog(e.what(), 300);
    const std::string prefix = "journal " + std::string(operation) + ": ";
    if (isAnyOf<pds::DatabaseFullException, pds::IOErrorException, pds::DBLockedException, pds::TableLockedException,
                pds::CantOpenDBFileException, pds::NoMemoryException, pds::ReadOnlyException,
                pds::LockProtocolException, pds::DBAccessDeniedException>(e)) {
        return Error{std::string(errc::kUnavailable), prefix + what};
    }
    if (isAnyOf<pds::CorruptImageException>(e)) return Error{std::string(errc::kCorrupt), prefix + what};
    return Error{std::string(errc::kInternal), prefix + what};
}

WriteTransaction::WriteTransaction(Session &session) : session_(session) {
    session_ << "BEGIN IMMEDIATE", now;
}

WriteTransaction::~WriteTransaction() {
    if (!open_) return;
    try {
        session_ << "ROLLBACK", now;
    } catch (const std::exception &) {
        // SQLite already rolled back (it does after an I/O error or a full disk).
    }
}

void WriteTransaction::commit() {
    session_ << "COMMIT", now;
    open_ = false;
}

ReadTransaction::ReadTransaction(Session &session) : session_(session) {
    session_ << "BEGIN", now;
}

ReadTransaction::~ReadTransaction() {
    try {
        session_ << "COMMIT", now;
    } catch (const std::exception &) {
        // Nothing was written; ending the read snapshot cannot lose anything.
    }
}

ReaderPool::ReaderPool(ConnectionSettings settings, std::size_t size)
    : settings_(std::move(settings)), size_(size == 0 ? 1 : size) {
    settings_.readOnly = true;
}

ReaderPool::Lease::~Lease() {
    pool_.release(std::move(session_), discard_);
}

ReaderPool::Lease ReaderPool::acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
        auto session = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(session));
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(*this, openSession(settings_));
    } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
    }
}

void ReaderPool::release(std::unique_ptr<Session> session, bool discard) {
    std::lock_guard lock(mutex_);
    if (discard || !session) {
        --open_;
    } else {
        idle_.push_back(std::move(session));
    }
    available_.notify_one();
}

}  // namespace lendgate::journal::sqlite
