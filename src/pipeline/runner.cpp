#include <jobmarket/pipeline/runner.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

namespace jobmarket::pipeline {

namespace {

struct Batch {
  std::size_t seq = 0;
  std::size_t bytes = 0;  // text of its postings, counted against the in-flight budget
  std::vector<Item> items;
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

// Every thread of a run, the calling one included, runs the same loop: take a turn at the
// reader for a batch, analyze and render it, hand it in. No thread exists only to read or
// only to consume, so threads rarely sleep waiting to be handed work (a 100 MB run made
// 13,700 context switches with a reader and a consumer thread, 1,700 now), and a posting
// stays on the core that read it until it is rendered. The calling thread also delivers
// the batches to the sink, in input order, each time it has handed in one of its own: the
// summaries the sink adds to stay in that core's cache (delivered by whichever thread
// was free, they moved between cores and took twice the cycles; docs/performance.md,
// round 6).
class Pipeline {
 public:
  Pipeline(read::PostingReader& reader, const Sink& sink, const RunnerOptions& options,
           std::size_t max_in_flight)
      : m_reader(reader), m_sink(sink), m_options(options), m_max(max_in_flight) {}

  // `delivers`: this is the calling thread, the only one that runs the sink.
  void work(const Worker& worker, bool delivers) {
    for (;;) {
      if (delivers && !deliver_ready()) return;
      Batch batch;
      if (!admit(batch.items, delivers)) return;
      if (!read(batch, delivers)) {
        withdraw();
        break;
      }
      for (auto& item : batch.items) {
        item.rendered.clear();
        auto* a = std::get_if<Analysis>(&item.value);
        if (!a) continue;
        worker(*a);
        if (m_options.render) m_options.render(*a, item.rendered);
      }
      hand_in(std::move(batch));
    }
    if (delivers) deliver_rest();
  }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(m_mu);
    if (!m_error) m_error = e;
    stop_locked();
  }
  std::exception_ptr error() {
    std::lock_guard lock(m_mu);
    return m_error;
  }

 private:
  // Waits for room: memory is bounded by the batches between being read and being
  // delivered, at most m_max of them and (after the first) at most max_bytes_in_flight of text,
  // so a run of 16 MiB records holds a few of them, not m_max batches. The delivering
  // thread never just waits (room is what it makes): it delivers the next batch as soon
  // as that is handed in. Takes a delivered batch's items to refill: reusing them keeps
  // each posting's strings and result vectors allocated, so the steady state allocates
  // almost nothing per posting. False when the run stopped.
  bool admit(std::vector<Item>& items, bool delivers) {
    std::unique_lock lock(m_mu);
    for (;;) {
      if (m_stop) return false;
      if (has_room()) break;
      if (!delivers) {
        m_room.wait(lock);
      } else if (m_ready.count(m_next_out)) {
        lock.unlock();
        if (!deliver_ready()) return false;
        lock.lock();
      } else {
        m_handed.wait(lock);
      }
    }
    ++m_in_flight;
    if (!m_free.empty()) {
      items = std::move(m_free.back());
      m_free.pop_back();
    }
    return true;
  }
  bool has_room() const {
    return m_in_flight == 0 ||
           (m_in_flight < m_max && m_bytes_in_flight < m_options.max_bytes_in_flight);
  }
  // Gives back an admission that read nothing (the input had ended).
  void withdraw() {
    std::lock_guard lock(m_mu);
    --m_in_flight;
    m_room.notify_all();
    m_handed.notify_one();  // the delivering thread may be waiting for room too
  }

  // The next batch of the input, numbered in input order; false when the input has ended
  // (or the run stopped).
  // One thread at a time reads: the readers are sequential, and reading is about a tenth
  // of the work per byte, so the turns rarely collide. When they do, the delivering thread
  // delivers what is ready before it waits (also when the reader waits for a slow pipe).
  bool read(Batch& batch, bool delivers) {
    std::unique_lock lock(m_read_mu, std::defer_lock);
    if (!lock.try_lock()) {
      if (delivers && !deliver_ready()) return false;
      lock.lock();
    }
    if (m_input_done) return false;
    auto& items = batch.items;
    std::size_t used = 0;
    batch.bytes = 0;
    while (used < m_options.batch_size && batch.bytes < m_options.batch_bytes) {
      if (used == items.size()) items.emplace_back();
      Item& item = items[used];
      auto* analysis = std::get_if<Analysis>(&item.value);
      if (!analysis) analysis = &item.value.emplace<Analysis>();
      auto n = m_reader.next(analysis->posting, m_reject);
      if (n == read::Next::end) {
        m_input_done = true;
        break;
      }
      if (n == read::Next::rejected) {
        item.value = std::move(m_reject);
        m_reject = read::Reject{};
      } else {
        for (const auto& f : analysis->posting.fields) batch.bytes += f.size();
      }
      ++used;
    }
    items.resize(used);
    if (used == 0) return false;
    batch.seq = m_next_seq++;
    return true;
  }

  void hand_in(Batch batch) {
    std::lock_guard lock(m_mu);
    if (m_stop) return;
    m_bytes_in_flight += batch.bytes;
    m_ready.emplace(batch.seq, std::move(batch));
    m_handed.notify_one();
  }

  // Delivering thread: passes every batch that is next in order and ready to the sink.
  // False when the run stopped (the sink said so, or a thread failed).
  bool deliver_ready() {
    std::unique_lock lock(m_mu);
    for (;;) {
      if (m_stop) return false;
      auto it = m_ready.find(m_next_out);
      if (it == m_ready.end()) return true;
      Batch next = std::move(it->second);
      m_ready.erase(it);
      lock.unlock();
      bool go_on = true;
      for (auto& item : next.items)
        if (!(go_on = m_sink(item))) break;
      release_large_buffers(next.items);
      lock.lock();
      if (!go_on) {
        stop_locked();
        return false;
      }
      ++m_next_out;
      --m_in_flight;
      m_bytes_in_flight -= next.bytes;
      if (m_free.size() < m_max) m_free.push_back(std::move(next.items));
      m_room.notify_all();  // with the byte budget, one delivery can make room for several
    }
  }

  // Delivering thread, once the input has ended: the batches the others still analyze.
  void deliver_rest() {
    std::size_t total = 0;
    {
      std::lock_guard lock(m_read_mu);
      total = m_next_seq;  // final: the input has ended
    }
    for (;;) {
      {
        std::unique_lock lock(m_mu);
        m_handed.wait(lock, [&] { return m_stop || m_next_out == total || m_ready.count(m_next_out); });
        if (m_stop || m_next_out == total) return;
      }
      if (!deliver_ready()) return;
    }
  }

  void stop_locked() {
    m_stop = true;
    m_room.notify_all();
    m_handed.notify_all();
  }

  read::PostingReader& m_reader;
  const Sink& m_sink;
  const RunnerOptions& m_options;
  const std::size_t m_max;

  std::mutex m_read_mu;  // guards the reader and what follows
  read::Reject m_reject;
  std::size_t m_next_seq = 0;
  bool m_input_done = false;

  std::mutex m_mu;  // guards the rest
  std::condition_variable m_room;    // others wait here for room
  std::condition_variable m_handed;  // the delivering thread waits here for a batch
  std::map<std::size_t, Batch> m_ready;  // analyzed, waiting for their turn
  std::vector<std::vector<Item>> m_free;
  std::size_t m_in_flight = 0;  // admitted and not yet delivered
  std::size_t m_bytes_in_flight = 0;  // of those handed in
  std::size_t m_next_out = 0;   // sequence number of the batch to deliver next
  bool m_stop = false;
  std::exception_ptr m_error;
};

}  // namespace

void run(read::PostingReader& reader, const WorkerFactory& make_worker, const Sink& sink,
         const RunnerOptions& options) {
  unsigned workers = std::min(options.workers, kMaxWorkers);
  if (workers == 0) workers = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxWorkers);
  // Enough that a thread can run well ahead while the delivering one is held up (by a
  // slow batch, or by fast-cpp-csv-parser's read-ahead thread taking its core for a 16 MiB
  // block): with 2N+4 on 2 cores, the other thread waited for room 3% to 6% of a run.
  const std::size_t max_in_flight = options.max_in_flight ? options.max_in_flight : 16 * workers + 16;
  Pipeline pipeline(reader, sink, options, max_in_flight);
  auto loop = [&](bool delivers) {
    try {
      Worker worker = make_worker();
      pipeline.work(worker, delivers);
    } catch (...) {
      pipeline.fail(std::current_exception());
    }
  };
  std::vector<std::thread> pool;
  try {
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(loop, false);
  } catch (const std::system_error& e) {
    // Out of threads (ulimit -u, memory for stacks): an error, after the ones started
    // have stopped; a joinable std::thread destroyed would abort the program.
    pipeline.fail(std::make_exception_ptr(std::runtime_error(
        "cannot start analysis thread " + std::to_string(pool.size() + 2) + " of " +
        std::to_string(workers) + ": " + e.code().message() + " (use fewer with -j)")));
  }
  loop(true);
  for (auto& t : pool) t.join();
  if (auto e = pipeline.error()) std::rethrow_exception(e);
}

}  // namespace jobmarket::pipeline
