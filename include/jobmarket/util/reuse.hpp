#pragma once
// Filling a vector again without freeing what it held: the pipeline recycles its analyses
// (pipeline/runner.cpp), so the strings of the last posting's evidence can take the next
// posting's evidence without a new allocation.
#include <cstddef>
#include <vector>

namespace jobmarket::util {

// Usage: `Refill r(v); r.next() = ...; ... r.done();` leaves v with exactly the elements
// handed out by next(), in order. Elements past them are not destroyed but kept, with their
// buffers, in a small per-thread spare list that the next longer refill of a vector of T on
// the same thread draws from: postings differ in how much evidence they have, and without
// it every long evidence string freed by a shorter posting was allocated again by a longer
// one (malloc and free were 7% of a run's cycles; classification was a main caller).
template <class T>
class Refill {
 public:
  explicit Refill(std::vector<T>& v) : m_v(v) {}
  T& next() {
    if (m_used == m_v.size()) {
      auto& spare = spares();
      if (spare.empty()) {
        m_v.emplace_back();
      } else {
        m_v.push_back(std::move(spare.back()));
        spare.pop_back();
      }
    }
    return m_v[m_used++];
  }
  std::size_t size() const { return m_used; }
  void done() {
    auto& spare = spares();
    while (m_v.size() > m_used) {
      if (spare.size() < kMaxSpare) spare.push_back(std::move(m_v.back()));
      m_v.pop_back();
    }
  }

 private:
  static constexpr std::size_t kMaxSpare = 256;
  static std::vector<T>& spares() {
    static thread_local std::vector<T> spare;
    return spare;
  }

  std::vector<T>& m_v;
  std::size_t m_used = 0;
};

}  // namespace jobmarket::util
