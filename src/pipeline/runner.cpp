#include <jobmarket/pipeline/runner.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace jobmarket::pipeline {

namespace {

struct Batch {
  std::size_t seq = 0;
  std::vector<Item> items;
};

// Shared state of one run, guarded by one mutex: a batch (16 postings, ~30 KB of text) is
// far more work than a lock, so contention is negligible next to matching.
class Scheduler {
 public:
  explicit Scheduler(std::size_t max_in_flight) : m_max(max_in_flight) {}

  // Reader: blocks while too many batches are in flight.
  bool push(Batch b) {
    std::unique_lock lock(m_mu);
    m_space.wait(lock, [&] { return m_in_flight < m_max || m_stop; });
    if (m_stop) return false;
    ++m_in_flight;
    m_admitted = b.seq + 1;
    m_todo.push_back(std::move(b));
    m_work.notify_one();
    return true;
  }
  void close_input() {
    std::lock_guard lock(m_mu);
    m_input_done = true;
    m_work.notify_all();
    m_done.notify_all();
  }
  // Worker: next batch to analyze, or nullopt when there is none left.
  std::optional<Batch> take() {
    std::unique_lock lock(m_mu);
    m_work.wait(lock, [&] { return !m_todo.empty() || m_input_done || m_stop; });
    if (m_stop || m_todo.empty()) return std::nullopt;
    Batch b = std::move(m_todo.front());
    m_todo.pop_front();
    return b;
  }
  void finish(Batch b) {
    std::lock_guard lock(m_mu);
    const std::size_t seq = b.seq;
    m_ready.emplace(seq, std::move(b));
    // Context switches, not locks, are what small batches cost: the consumer is woken
    // when the batch it waits for is ready together with the one after it, or when that
    // one is not even in the pipeline yet (so a pause in the input delays nothing): it
    // takes two batches per wake-up, and is never woken for a batch it cannot take yet.
    // No deadlock: an admitted batch finishes without the consumer. (The consumer never
    // sleeps while its batch is ready: its wait condition is that batch alone.)
    const std::size_t w = m_awaited;
    if (seq != w && seq != w + 1) return;
    if (m_ready.count(w) && (m_ready.count(w + 1) || m_admitted <= w + 1)) m_done.notify_all();
  }
  // Consumer: the batch with sequence `seq`, or nullopt when all batches were consumed.
  std::optional<Batch> next_in_order(std::size_t seq) {
    std::unique_lock lock(m_mu);
    m_awaited = seq;
    m_done.wait(lock, [&] {
      return m_ready.count(seq) || m_stop || m_error ||
             (m_input_done && m_pushed == seq && m_ready.empty());
    });
    if (m_error || m_stop) return std::nullopt;
    auto it = m_ready.find(seq);
    if (it == m_ready.end()) return std::nullopt;
    Batch b = std::move(it->second);
    m_ready.erase(it);
    --m_in_flight;
    // The reader, once blocked, is woken at half capacity rather than for every batch, so
    // it reads several batches per wake-up.
    if (m_in_flight <= m_max / 2) m_space.notify_one();
    return b;
  }
  // Consumer: hands a consumed batch's items back for the reader to refill. Reusing them
  // keeps each posting's strings and result vectors allocated across batches, so the
  // steady state allocates almost nothing per posting (docs/performance.md).
  void recycle(std::vector<Item> items) {
    std::lock_guard lock(m_mu);
    if (m_free.size() < m_max) m_free.push_back(std::move(items));
  }
  // Reader: items to refill, or an empty vector.
  std::vector<Item> reuse() {
    std::lock_guard lock(m_mu);
    if (m_free.empty()) return {};
    auto items = std::move(m_free.back());
    m_free.pop_back();
    return items;
  }
  void count_pushed() {
    std::lock_guard lock(m_mu);
    ++m_pushed;
  }
  void stop() {
    std::lock_guard lock(m_mu);
    m_stop = true;
    m_work.notify_all();
    m_space.notify_all();
    m_done.notify_all();
  }
  void fail(std::exception_ptr e) {
    std::lock_guard lock(m_mu);
    if (!m_error) m_error = e;
    m_stop = true;
    m_work.notify_all();
    m_space.notify_all();
    m_done.notify_all();
  }
  std::exception_ptr error() {
    std::lock_guard lock(m_mu);
    return m_error;
  }

 private:
  std::mutex m_mu;
  std::condition_variable m_space, m_work, m_done;
  std::deque<Batch> m_todo;
  std::map<std::size_t, Batch> m_ready;
  std::vector<std::vector<Item>> m_free;
  std::size_t m_max;
  std::size_t m_in_flight = 0;
  std::size_t m_pushed = 0;
  std::size_t m_awaited = 0;   // the sequence number the consumer waits for
  std::size_t m_admitted = 0;  // batches below this sequence number entered the pipeline
  bool m_input_done = false;
  bool m_stop = false;
  std::exception_ptr m_error;
};

// A recycled item keeps its buffers, except very large ones: one 50 MB field (or its
// rendering) must not stay pinned in a slot for the rest of the run.
void release_large_buffers(std::vector<Item>& items) {
  constexpr std::size_t kKeep = std::size_t{1} << 20;
  auto release = [](std::string& s) {
    if (s.capacity() > kKeep) std::string().swap(s);
  };
  for (auto& item : items) {
    release(item.rendered);
    if (auto* a = std::get_if<Analysis>(&item.value))
      for (auto& f : a->posting.fields) release(f);
  }
}

}  // namespace

void run(read::PostingReader& reader, const WorkerFactory& make_worker, const Sink& sink,
         const RunnerOptions& options) {
  unsigned workers = options.workers;
  if (workers == 0) {
    // One worker per core: the reader and the consumer need far less than a core each and
    // share the cores with the workers (on 2 cores, 2 workers: 192% CPU and 1.65x the
    // speed of 1 worker; docs/performance.md).
    workers = std::max(1u, std::thread::hardware_concurrency());
  }
  // Two per worker (one analyzed, one queued), the rest for the reader and the consumer.
  const std::size_t max_in_flight = options.max_in_flight ? options.max_in_flight : 2 * workers + 4;
  Scheduler sched(max_in_flight);

  std::thread producer([&] {
    try {
      std::size_t seq = 0;
      Batch batch;
      std::size_t used = 0;  // items of batch.items filled so far; the rest wait for reuse
      auto flush = [&] {
        batch.items.resize(used);
        batch.seq = seq++;
        sched.count_pushed();
        bool ok = sched.push(std::move(batch));
        batch = Batch{};
        batch.items = sched.reuse();
        used = 0;
        return ok;
      };
      batch.items = sched.reuse();
      read::Reject reject;
      for (;;) {
        if (used == batch.items.size()) batch.items.emplace_back();
        Item& item = batch.items[used];
        auto* analysis = std::get_if<Analysis>(&item.value);
        if (!analysis) analysis = &item.value.emplace<Analysis>();
        auto n = reader.next(analysis->posting, reject);
        if (n == read::Next::end) break;
        if (n == read::Next::rejected) {
          item.value = std::move(reject);
          reject = read::Reject{};
        }
        ++used;
        if (used >= options.batch_size && !flush()) return;
      }
      if (used > 0) flush();
    } catch (...) {
      sched.fail(std::current_exception());
    }
    sched.close_input();
  });

  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      try {
        Worker worker = make_worker();
        while (auto batch = sched.take()) {
          for (auto& item : batch->items) {
            item.rendered.clear();
            auto* a = std::get_if<Analysis>(&item.value);
            if (!a) continue;
            worker(*a);
            if (options.render) options.render(*a, item.rendered);
          }
          sched.finish(std::move(*batch));
        }
      } catch (...) {
        sched.fail(std::current_exception());
      }
    });
  }

  std::exception_ptr consumer_error;
  try {
    for (std::size_t seq = 0;; ++seq) {
      auto batch = sched.next_in_order(seq);
      if (!batch) break;
      bool go_on = true;
      for (auto& item : batch->items) {
        if (!sink(item)) {
          go_on = false;
          break;
        }
      }
      if (!go_on) {
        sched.stop();
        break;
      }
      release_large_buffers(batch->items);
      sched.recycle(std::move(batch->items));
    }
  } catch (...) {
    consumer_error = std::current_exception();
    sched.stop();
  }
  producer.join();
  for (auto& t : pool) t.join();
  if (consumer_error) std::rethrow_exception(consumer_error);
  if (auto e = sched.error()) std::rethrow_exception(e);
}

}  // namespace jobmarket::pipeline
