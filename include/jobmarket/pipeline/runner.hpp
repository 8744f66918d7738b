#pragma once
// The streaming pipeline: one thread reads and maps postings, worker threads analyze them
// (normalize, match rules, extract), and the calling thread receives the results in input
// order, so output is deterministic whatever the thread count. Memory is bounded by the
// number of batches in flight, not by the input size.
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

// Turns an analyzed posting into output bytes (appended to `out`). Called on the worker
// right after the analysis, while the posting is in that core's cache: rendering on the
// consumer read every string from another core's cache (docs/performance.md). Must be
// thread-safe.
using Renderer = std::function<void(const Analysis&, std::string& out)>;

struct RunnerOptions {
  unsigned workers = 0;          // 0: one per hardware thread, at least 1
  // Small batches, few in flight: the analyses are recycled (pipeline/runner.cpp), and
  // with ~128 of them in flight instead of ~1,500 a recycled one is still in cache when
  // it is filled again (classify: 8% less CPU; docs/performance.md, round 5).
  std::size_t batch_size = 16;   // postings per batch
  std::size_t max_in_flight = 0; // 0: 2 * workers + 4 batches
  Renderer render;               // optional: fills Item::rendered
};

// What the consumer sees, in input order.
struct Item {
  std::variant<Analysis, read::Reject> value;
  std::string rendered;  // RunnerOptions::render's output for an analysis, else empty
};

// Called on the calling thread for each item in input order; return false to stop early
// (e.g. --strict on a reject). Exceptions thrown by a worker are rethrown from run().
using Sink = std::function<bool(Item&)>;

// Runs the reader to the end (or until the sink says stop).
void run(read::PostingReader& reader, const WorkerFactory& make_worker, const Sink& sink,
         const RunnerOptions& options = {});

}  // namespace jobmarket::pipeline
