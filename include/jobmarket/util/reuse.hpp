#pragma once
// Filling a vector again without freeing what it held: the pipeline recycles its analyses
// (pipeline/runner.cpp), so the strings of the last posting's evidence can take the next
// posting's evidence without a new allocation.
#include <cstddef>
#include <vector>

namespace jobmarket::util {

// Usage: `Refill r(v); r.next() = ...; ... r.done();` leaves v with exactly the elements
// handed out by next(), in order; elements past them are destroyed by done().
template <class T>
class Refill {
 public:
  explicit Refill(std::vector<T>& v) : m_v(v) {}
  T& next() {
    if (m_used == m_v.size()) m_v.emplace_back();
    return m_v[m_used++];
  }
  std::size_t size() const { return m_used; }
  void done() { m_v.resize(m_used); }

 private:
  std::vector<T>& m_v;
  std::size_t m_used = 0;
};

}  // namespace jobmarket::util
