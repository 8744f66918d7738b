#pragma once
// A small stand-in for C++23 std::expected: parsers return a value or an error
// message, and expected failures never throw (see docs/design.md, "error model").
#include <string>
#include <utility>
#include <variant>

namespace jobmarket {

template <typename E>
struct Unexpected {
  E error;
};
template <typename E>
Unexpected(E) -> Unexpected<E>;
inline Unexpected<std::string> unexpected(std::string message) { return {std::move(message)}; }

template <typename T, typename E = std::string>
class Expected {
 public:
  Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(Unexpected<E> e) : m_v(std::in_place_index<1>, std::move(e.error)) {}  // NOLINT

  bool has_value() const { return m_v.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const { return std::get<1>(m_v); }

 private:
  std::variant<T, E> m_v;
};

}  // namespace jobmarket
