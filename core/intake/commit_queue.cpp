#include "core/intake/commit_queue.h"

#include <vector>

namespace lendgate::intake {

CommitQueue::CommitQueue(journal::Journal &journal, CommitQueueOptions options, std::function<void()> afterCommit)
    : journal_(journal), options_(options), afterCommit_(std::move(afterCommit)) {
    writer_ = std::thread([this] { run(); });
}

CommitQueue::~CommitQueue() {
    stop();
}

void CommitQueue::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
}

std::size_t CommitQueue::commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
}

std::size_t CommitQueue::batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
}

Result<journal::AcceptResult> CommitQueue::submit(journal::IntakeBatch batch) {
    std::future<Result<journal::AcceptResult>> answer;
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            return Error{std::string(journal::errc::kUnavailable), "the gateway is shutting down; try again shortly"};
        queue_.push_back(Pending{std::move(batch), {}});
        answer = queue_.back().answer.get_future();
    }
    wake_.notify_one();
    return answer.get();
}

void CommitQueue::run() {
    for (;;) {
        std::vector<Pending> group;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything queued was committed
            std::size_t records = 0;
            while (!queue_.empty() && group.size() < options_.maxBatchesPerCommit) {
                const auto size = queue_.front().batch.records.size() + queue_.front().batch.rejected.size();
                if (!group.empty() && records + size > options_.maxRecordsPerCommit) break;
                records += size;
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        std::vector<journal::IntakeBatch> batches;
        batches.reserve(group.size());
        for (auto &pending : group) batches.push_back(std::move(pending.batch));
        auto results = journal_.acceptMany(batches);
        {
            // Counted before anyone is answered, so a caller that got its
            // answer sees its commit counted.
            std::lock_guard lock(mutex_);
            ++commits_;
            batches_ += group.size();
        }
        bool anyCommitted = false;
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (results[i]) anyCommitted = true;
            group[i].answer.set_value(std::move(results[i]));
        }
        if (anyCommitted && afterCommit_) afterCommit_();
    }
}

}  // namespace lendgate::intake
