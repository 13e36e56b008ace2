// Connections, transactions and error mapping for the SQLite journal.
// Private to core/journal/sqlite.
#ifndef LENDGATE_JOURNAL_SQLITE_CONNECTION_H
#define LENDGATE_JOURNAL_SQLITE_CONNECTION_H

#include <condition_variable>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <Poco/Data/Session.h>

#include "core/common/result.h"

namespace lendgate::journal::sqlite {

using Poco::Data::Session;

struct ConnectionSettings {
    std::filesystem::path path;
    std::string synchronous = "FULL";  ///< already validated
    int busyTimeoutMs = 5000;
    bool readOnly = false;
    std::size_t cacheBytes = 32u << 20;
};

/// Opens a session with the journal's per-connection settings. Throws
/// Poco::Exception; callers map it with storageError().
std::unique_ptr<Session> openSession(const ConnectionSettings &settings);

/// The journal error for an exception from Poco::Data or the standard
/// library. Disk full, I/O errors, locks held too long and the database
/// being unopenable are "unavailable"; the text never carries row values.
Error storageError(const std::exception &e, std::string_view operation);

/// BEGIN IMMEDIATE: takes the write lock up front, so two writers queue on
/// busy_timeout instead of deadlocking on a lock upgrade. Rolls back unless
/// committed.
class WriteTransaction {
public:
    explicit WriteTransaction(Session &session);
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;
    ~WriteTransaction();
    void commit();

private:
    Session &session_;
    bool open_ = true;
};

/// A consistent snapshot across several SELECTs.
class ReadTransaction {
public:
    explicit ReadTransaction(Session &session);
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;
    ~ReadTransaction();

private:
    Session &session_;
};

/// A few read-only sessions shared by reader threads. A session that failed
/// is dropped rather than returned, and a new one opened when needed.
class ReaderPool {
public:
    ReaderPool(ConnectionSettings settings, std::size_t size);

    class Lease {
    public:
        Lease(ReaderPool &pool, std::unique_ptr<Session> session) : pool_(pool), session_(std::move(session)) {}
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        ~Lease();
        Session &session() { return *session_; }
        void discard() { discard_ = true; }

    private:
        ReaderPool &pool_;
        std::unique_ptr<Session> session_;
        bool discard_ = false;
    };

    /// Blocks while every session is in use. Throws like openSession().
    Lease acquire();

private:
    void release(std::unique_ptr<Session> session, bool discard);

    ConnectionSettings settings_;
    std::size_t size_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Session>> idle_;
    std::size_t open_ = 0;
};

}  // namespace lendgate::journal::sqlite

#endif  // LENDGATE_JOURNAL_SQLITE_CONNECTION_H
