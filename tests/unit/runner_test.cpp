#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <chrono>

#include <jobmarket/pipeline/runner.hpp>

using namespace jobmarket;

namespace {
std::string make_csv(std::size_t rows, bool with_bad_row) {
  auto path = std::filesystem::temp_directory_path() /
              ("jm-runner-" + std::to_string(::getpid()) + "-" + std::to_string(rows) + ".csv");
  std::ofstream out(path);
  out << "id,title\n";
  for (std::size_t i = 1; i <= rows; ++i) {
    if (with_bad_row && i == rows / 2) out << "ragged\n";
    else out << i << ",job " << i << "\n";
  }
  return path.string();
}

pipeline::RunnerOptions options(unsigned workers, std::size_t batch, std::size_t in_flight = 0,
                                std::size_t bytes = std::size_t{64} << 20,
                                pipeline::Renderer render = {}) {
  pipeline::RunnerOptions o;
  o.workers = workers;
  o.batch_size = batch;
  o.max_in_flight = in_flight;
  o.max_bytes_in_flight = bytes;
  o.render = std::move(render);
  return o;
}

std::unique_ptr<read::PostingReader> open(const std::string& path) {
  auto r = read::PostingReader::open({path}, {});
  EXPECT_TRUE(r);
  return std::move(*r);
}
}  // namespace

TEST(Runner, DeliversInInputOrderWithSeveralWorkers) {
  auto path = make_csv(5000, true);
  auto reader = open(path);
  std::vector<std::uint64_t> rows;
  std::size_t rejects = 0;
  pipeline::run(
      *reader,
      [] {
        return [](pipeline::Analysis& a) { a.classification.confidence = 1.0; };
      },
      [&](pipeline::Item& item) {
        if (auto* a = std::get_if<pipeline::Analysis>(&item.value)) {
          EXPECT_EQ(a->classification.confidence, 1.0);
          rows.push_back(a->posting.source.row);
        } else {
          ++rejects;
          rows.push_back(std::get<read::Reject>(item.value).row);
        }
        return true;
      },
      options(3, 7));
  ASSERT_EQ(rows.size(), 5000u);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i], i + 1);
  EXPECT_EQ(rejects, 1u);
}

// Every thread reads and analyzes, and the calling thread also delivers, waiting for room
// or for the next batch: every pipeline shape (byte limits of 1 end each batch after one
// posting and admit one batch at a time) must still deliver every row in order, on the
// calling thread, and end, with analyses and sink of uneven speed.
TEST(Runner, EveryPipelineShapeDeliversAllInOrder) {
  auto path = make_csv(300, false);
  const auto caller = std::this_thread::get_id();
  for (unsigned workers : {1u, 2u, 4u})
    for (std::size_t batch : {1u, 5u, 16u})
      for (std::size_t in_flight : {1u, 2u, 3u, 8u})
        for (std::size_t bytes : {std::size_t{1}, std::size_t{64} << 20}) {
        auto reader = open(path);
        auto shape = options(workers, batch, in_flight, bytes);
        shape.batch_bytes = std::min(shape.batch_bytes, bytes);
        std::vector<std::uint64_t> rows;
        pipeline::run(
            *reader,
            [] {
              return [](pipeline::Analysis& a) {
                if (a.posting.source.row % 7 == 0)
                  std::this_thread::sleep_for(std::chrono::microseconds(50));
              };
            },
            [&](pipeline::Item& item) {
              const auto& a = std::get<pipeline::Analysis>(item.value);
              EXPECT_EQ(std::this_thread::get_id(), caller);
              if (a.posting.source.row % 40 == 0)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
              rows.push_back(a.posting.source.row);
              return true;
            },
            shape);
        ASSERT_EQ(rows.size(), 300u) << workers << " workers, batch " << batch << ", " << in_flight
                                     << " in flight, " << bytes << " bytes";
        for (std::size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i], i + 1);
      }
}

TEST(Runner, StopsEarlyWhenTheSinkSaysSo) {
  auto reader = open(make_csv(20000, false));
  std::size_t seen = 0;
  pipeline::run(
      *reader, [] { return [](pipeline::Analysis&) {}; },
      [&](pipeline::Item&) { return ++seen < 10; }, options(2, 16, 2));
  EXPECT_EQ(seen, 10u);
}

TEST(Runner, WorkerExceptionsReachTheCaller) {
  auto reader = open(make_csv(1000, false));
  EXPECT_THROW(pipeline::run(
                   *reader,
                   [] {
                     return [](pipeline::Analysis& a) {
                       if (a.posting.source.row == 500) throw std::runtime_error("boom");
                     };
                   },
                   [](pipeline::Item&) { return true; }, options(2, 10)),
               std::runtime_error);
}

TEST(Runner, SinkExceptionsReachTheCaller) {
  auto reader = open(make_csv(1000, false));
  std::size_t seen = 0;
  EXPECT_THROW(pipeline::run(
                   *reader, [] { return [](pipeline::Analysis&) {}; },
                   [&](pipeline::Item&) {
                     if (++seen == 300) throw std::runtime_error("sink failed");
                     return true;
                   },
                   options(3, 4)),
               std::runtime_error);
  EXPECT_EQ(seen, 300u);
}

// Batches are recycled: a posting read into a slot that held another posting must carry
// only its own fields (an empty title stays empty, not the previous row's).
TEST(Runner, RecycledPostingsCarryOnlyTheirOwnFields) {
  auto path = std::filesystem::temp_directory_path() /
              ("jm-runner-recycle-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path);
    out << "id,title,description\n";
    for (int i = 1; i <= 3000; ++i) {
      if (i % 3 == 0) out << i << ",,\n";
      else out << i << ",job " << i << ",\"text of " << std::string(static_cast<std::size_t>(i % 50), 'x') << "\"\n";
    }
  }
  auto reader = open(path.string());
  std::size_t seen = 0;
  pipeline::run(
      *reader, [] { return [](pipeline::Analysis& a) { a.classification.tags.assign(1, a.posting.id()); }; },
      [&](pipeline::Item& item) {
        auto& a = std::get<pipeline::Analysis>(item.value);
        const auto row = a.posting.source.row;
        ++seen;
        EXPECT_EQ(a.posting.id(), std::to_string(row));
        EXPECT_EQ(a.classification.tags, std::vector<std::string>{a.posting.id()});
        if (row % 3 == 0) {
          EXPECT_EQ(a.posting.title(), "") << row;
          EXPECT_EQ(a.posting.text(), "") << row;
        } else {
          EXPECT_EQ(a.posting.title(), "job " + std::to_string(row));
          EXPECT_EQ(a.posting.text(), "text of " + std::string(row % 50, 'x'));
        }
        return true;
      },
      options(2, 7, 3));
  EXPECT_EQ(seen, 3000u);
  std::filesystem::remove(path);
}

// A renderer runs on the workers; the consumer gets each posting's rendering with it, in
// input order, and an empty one for a reject.
TEST(Runner, RendererOutputTravelsWithItsPosting) {
  auto reader = open(make_csv(4000, true));
  std::size_t seen = 0;
  pipeline::run(
      *reader, [] { return [](pipeline::Analysis&) {}; },
      [&](pipeline::Item& item) {
        ++seen;
        if (auto* a = std::get_if<pipeline::Analysis>(&item.value))
          EXPECT_EQ(item.rendered, "row " + std::to_string(a->posting.source.row) + "\n");
        else
          EXPECT_EQ(item.rendered, "");
        return true;
      },
      options(2, 9, 0, std::size_t{64} << 20, [](const pipeline::Analysis& a, std::string& out) {
        out += "row " + std::to_string(a.posting.source.row) + "\n";
      }));
  EXPECT_EQ(seen, 4000u);
}

#include <string>
#include <vector>

#include <jobmarket/util/reuse.hpp>

// A refill leaves exactly the elements handed out; what a shorter refill left over goes to
// the next longer one on the thread with its buffer (no new allocation), and never shows
// up as an element nobody handed out.
TEST(Refill, KeepsWhatWasHandedOutAndReusesTheRest) {
  using jobmarket::util::Refill;
  const std::string long_text(200, 'x');
  std::vector<std::string> a;
  {
    Refill<std::string> r(a);
    for (int i = 0; i < 5; ++i) r.next() = long_text + std::to_string(i);
    r.done();
  }
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[4], long_text + "4");
  {
    Refill<std::string> r(a);
    r.next() = "one";
    r.done();
  }
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0], "one");
  std::vector<std::string> b;
  {
    Refill<std::string> r(b);
    for (int i = 0; i < 3; ++i) {
      auto& s = r.next();
      EXPECT_GE(s.capacity(), long_text.size());  // a spare, buffer and all
      s = "fresh";
    }
    r.done();
  }
  EXPECT_EQ(b, (std::vector<std::string>{"fresh", "fresh", "fresh"}));
}
