#pragma once
// The streaming pipeline: N threads (the calling one included) each take a batch of
// postings from the reader in turn and analyze it (normalize, match rules, extract,
// render); the calling thread also hands the results to the sink in input order, so
// output is deterministic whatever the thread count. Memory is bounded by the batches in
// flight, not by the input size.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <jobmarket/pipeline/analysis.hpp>
#include <jobmarket/read/reader.hpp>

namespace jobmarket::pipeline {

// Analyzes one posting in place; one instance per worker thread (owns its scratch space).
using Worker = std::function<void(Analysis&)>;
using WorkerFactory = std::function<Worker()>;

// Turns an analyzed posting into output bytes (appended to `out`). Called right after the
// analysis, on the thread that made it, while the posting is in that core's cache (the
// sink's thread would read every string from another core's cache; docs/performance.md).
// Must be thread-safe.
using Renderer = std::function<void(const Analysis&, std::string& out)>;

// More threads than this would only add memory and contention (-j is checked against it).
inline constexpr unsigned kMaxWorkers = 256;

struct RunnerOptions {
  unsigned workers = 0;          // 0: one per hardware thread, at least 1; at most kMaxWorkers
  // Small batches: the items are recycled (pipeline/runner.cpp), and a small one is still
  // in cache when it is filled again (classify: 8% less CPU; docs/performance.md, round 5).
  std::size_t batch_size = 16;   // postings per batch, at most
  std::size_t batch_bytes = std::size_t{1} << 20;  // a batch ends once its text reaches this
  // Batches read and not yet delivered, at most; and at most this much text in them
  // (after the first), which is what bounds memory when records are large.
  std::size_t max_in_flight = 0;  // 0: 16 * workers + 16 batches
  std::size_t max_bytes_in_flight = std::size_t{16} << 20;
  Renderer render;                // optional: fills Item::rendered
};

// What the sink sees, in input order.
struct Item {
  std::variant<Analysis, read::Reject> value;
  std::string rendered;  // RunnerOptions::render's output for an analysis, else empty
};

// Called on the calling thread for each item in input order; return false to stop early
// (e.g. --strict on a reject). Exceptions thrown by a worker or the sink are rethrown
// from run().
using Sink = std::function<bool(Item&)>;

// Runs the reader to the end (or until the sink says stop). A thread that cannot be
// started is an error (std::runtime_error) once the others have stopped.
void run(read::PostingReader& reader, const WorkerFactory& make_worker, const Sink& sink,
         const RunnerOptions& options = {});

}  // namespace jobmarket::pipeline
