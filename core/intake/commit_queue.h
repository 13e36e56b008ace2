// Group commit: one writer thread takes every batch waiting at that moment
// and journals them in one transaction, then answers each caller.
//
// An fsync costs about as much for one request as for sixty, so durable
// single-record POSTs are only fast when they share commits (ARCHITECTURE.md,
// performance facts). A caller still gets its answer only after its commit is
// durable (G1). One batch's conflict does not fail the others; a storage
// failure fails the whole group, and nothing of it is written.
#ifndef LENDGATE_INTAKE_COMMIT_QUEUE_H
#define LENDGATE_INTAKE_COMMIT_QUEUE_H

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "core/journal/journal.h"

namespace lendgate::intake {

struct CommitQueueOptions {
    std::size_t maxBatchesPerCommit = 256;
    /// A group stops growing past this many records, so one bulk part does
    /// not make dozens of small requests wait for its commit.
    std::size_t maxRecordsPerCommit = 20000;
};

class CommitQueue {
public:
    /// `afterCommit` runs on the writer thread after each successful commit
    /// (e.g. to wake the delivery workers).
    CommitQueue(journal::Journal &journal, CommitQueueOptions options, std::function<void()> afterCommit = {});
    ~CommitQueue();
    CommitQueue(const CommitQueue &) = delete;
    CommitQueue &operator=(const CommitQueue &) = delete;

    /// Journals `batch` with whatever else is waiting; blocks until durable.
    /// After stop(), fails with code unavailable.
    Result<journal::AcceptResult> submit(journal::IntakeBatch batch);

    /// Commits what is queued, then stops the writer. Idempotent.
    void stop();

    /// Commits made so far and batches in them (for the benchmark's figures).
    std::size_t commits() const;
    std::size_t batches() const;

private:
    struct Pending {
        journal::IntakeBatch batch;
        std::promise<Result<journal::AcceptResult>> answer;
    };

    void run();

    journal::Journal &journal_;
    CommitQueueOptions options_;
    std::function<void()> afterCommit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    std::size_t commits_ = 0;
    std::size_t batches_ = 0;
    std::thread writer_;
};

}  // namespace lendgate::intake

#endif  // LENDGATE_INTAKE_COMMIT_QUEUE_H
