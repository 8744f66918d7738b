#pragma once
// The history store as the input of a summary command (report --db, trends --db): every
// sighting replayed in ingest order through the same deduplication and the same
// per-posting code as a run over the files, from the labels and facts stored at ingest.
#include <functional>
#include <string>

#include "analysis.hpp"
#include <jobmarket/aggregate/lifetime.hpp>
#include <jobmarket/store/store.hpp>

namespace jobmarket::cli {

// Opens `path` read-only and checks that its labels were made with the rules of `setup`
// (else: run relabel). Throws UsageError naming the store.
store::Store open_store_for_reading(const std::string& path, const AnalysisSetup& setup);

// Like run_analysis: `on_posting` gets each unique posting in range, in ingest order. With
// `lifetime`, also fills it from the store's sightings.
RunSummary run_store(const std::string& path, const AnalysisSetup& setup, const Globals& g,
                     const std::function<void(const pipeline::Analysis&)>& on_posting,
                     aggregate::LifetimeSummary* lifetime = nullptr);

}  // namespace jobmarket::cli
