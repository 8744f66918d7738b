#include <jobmarket/dedup/index.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace jobmarket::dedup {

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::none: return "none";
    case Mode::exact: return "exact";
    case Mode::near: return "near";
  }
  return "none";
}

std::optional<Mode> mode_from_name(std::string_view name) {
  if (name == "none") return Mode::none;
  if (name == "exact") return Mode::exact;
  if (name == "near") return Mode::near;
  return std::nullopt;
}

std::string_view match_name(Match m) {
  switch (m) {
    case Match::none: return "unique";
    case Match::exact: return "exact";
    case Match::near: return "near";
  }
  return "unique";
}

unsigned min_equal_bins() {
  constexpr double chance = 1.0 / (1u << kBitsPerBin);
  const double agree = kThreshold * (1.0 - chance) + chance;
  return static_cast<unsigned>(std::ceil(agree * static_cast<double>(kBins) - 1e-9));
}

Days days_of(const std::optional<extract::Date>& date) {
  if (!date) return {};
  const auto first = extract::first_day(*date), last = extract::last_day(*date);
  return {static_cast<std::int32_t>(extract::days_from_civil(first.year, first.month, first.day)),
          static_cast<std::int32_t>(extract::days_from_civil(last.year, last.month, last.day))};
}

namespace {

constexpr double kMaxLoad = 0.75;
constexpr std::size_t kFirstCapacity = 1024;

// Open addressing with linear probing. A slot holds (tag << 24) | (entry + 1), 0 when
// empty: 4 bytes, the entry's own arrays hold the rest. The home slot comes from the key's
// high bits (multiply-shift, any capacity), the tag from its low 8, so a probe skips 255
// of 256 foreign entries without touching them.
class SlotTable {
 public:
  std::size_t capacity() const { return m_slots.size(); }
  std::size_t bytes() const { return m_slots.capacity() * sizeof(std::uint32_t); }
  void reset(std::size_t capacity) { std::vector<std::uint32_t>(capacity, 0).swap(m_slots); }
  void insert(std::uint32_t key, std::uint32_t entry) {
    std::size_t i = home(key);
    while (m_slots[i])
      if (++i == m_slots.size()) i = 0;
    m_slots[i] = (key & 0xFFu) << 24 | (entry + 1);
  }
  // f(entry) for every entry inserted with a key of the same tag and home run.
  template <class F>
  void find(std::uint32_t key, F&& f) const {
    if (m_slots.empty()) return;
    const std::uint32_t tag = (key & 0xFFu) << 24;
    for (std::size_t i = home(key);;) {
      const std::uint32_t s = m_slots[i];
      if (!s) return;
      if ((s & 0xFF000000u) == tag) f((s & 0xFFFFFFu) - 1);
      if (++i == m_slots.size()) i = 0;
    }
  }

 private:
  std::size_t home(std::uint32_t key) const {
    return static_cast<std::size_t>((std::uint64_t{key} * m_slots.size()) >> 32);
  }
  std::vector<std::uint32_t> m_slots;
};

bool within(std::int32_t lo, std::int32_t hi, Days d, std::int32_t window) {
  return std::int64_t{d.first} - window <= hi && std::int64_t{d.last} + window >= lo;
}

std::uint32_t low32(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

template <class T>
std::size_t cap_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

// The arrays of one kind of entry, in creation order.
struct Exact {
  std::vector<std::uint64_t> key;
  std::vector<std::int32_t> lo, hi;
  std::vector<std::uint64_t> root;
  std::size_t size() const { return key.size(); }
  std::size_t capacity() const { return key.capacity(); }
  std::size_t bytes() const { return cap_bytes(key) + cap_bytes(lo) + cap_bytes(hi) + cap_bytes(root); }
  std::size_t entry_bytes(bool roots) const { return 16 + (roots ? 8 : 0); }
  void reserve(std::size_t n, bool roots) {
    key.reserve(n), lo.reserve(n), hi.reserve(n);
    if (roots) root.reserve(n);
  }
};

struct Near {
  std::vector<std::uint32_t> block;
  std::vector<std::uint64_t> exact;
  std::vector<std::int32_t> lo, hi;
  std::vector<Signature> sig;
  std::vector<std::uint64_t> root;
  std::size_t size() const { return block.size(); }
  std::size_t capacity() const { return block.capacity(); }
  std::size_t bytes() const {
    return cap_bytes(block) + cap_bytes(exact) + cap_bytes(lo) + cap_bytes(hi) + cap_bytes(sig) + cap_bytes(root);
  }
  std::size_t entry_bytes(bool roots) const { return 20 + kSignatureBytes + (roots ? 8 : 0); }
  void reserve(std::size_t n, bool roots) {
    block.reserve(n), exact.reserve(n), lo.reserve(n), hi.reserve(n), sig.reserve(n);
    if (roots) root.reserve(n);
  }
};

// Keeps the elements whose flag is false, in order.
template <class T>
void compact(std::vector<T>& v, const std::vector<bool>& drop) {
  if (v.empty()) return;
  std::size_t w = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!drop[i]) v[w++] = v[i];
  v.resize(w);
}

// Little-endian fixed-width fields for save()/load().
class Writer {
 public:
  template <class T>
  void put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
    m_out.append(b, sizeof(T));
  }
  void bytes(const void* p, std::size_t n) { m_out.append(static_cast<const char*>(p), n); }
  std::string take() { return std::move(m_out); }

 private:
  std::string m_out;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : m_in(in) {}
  template <class T>
  bool get(T& v) {
    if (m_in.size() - m_at < sizeof(T)) return false;
    char b[sizeof(T)];
    std::memcpy(b, m_in.data() + m_at, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
    std::memcpy(&v, b, sizeof(T));
    m_at += sizeof(T);
    return true;
  }
  bool bytes(void* p, std::size_t n) {
    if (m_in.size() - m_at < n) return false;
    std::memcpy(p, m_in.data() + m_at, n);
    m_at += n;
    return true;
  }
  std::size_t left() const { return m_in.size() - m_at; }

 private:
  std::string_view m_in;
  std::size_t m_at = 0;
};

constexpr std::uint32_t kMagic = 0x58444d4a;  // "JMDX"
constexpr std::uint32_t kFormat = 1;

}  // namespace

struct Index::Impl {
  Options opt;
  unsigned min_bins = min_equal_bins();
  Exact ex;
  Near ne;
  SlotTable ex_table;
  std::array<SlotTable, kBands> band_tables;
  Stats st;

  bool roots() const { return opt.keep_sources; }

  std::size_t bytes() const {
    std::size_t n = ex.bytes() + ne.bytes() + ex_table.bytes();
    for (const auto& t : band_tables) n += t.bytes();
    return n;
  }

  // Candidates: f(entry, identical) for each entry the posting repeats.
  template <class F>
  void lookup(const Fingerprint& fp, Days d, bool use_near, F&& f) const {
    const std::int32_t w = opt.window_days;
    if (!use_near) {
      ex_table.find(low32(fp.exact), [&](std::uint32_t e) {
        if (ex.key[e] == fp.exact && within(ex.lo[e], ex.hi[e], d, w)) f(e, true);
      });
      return;
    }
    for (std::size_t b = 0; b < kBands; ++b) {
      band_tables[b].find(fp.bands[b], [&](std::uint32_t e) {
        if (ne.block[e] != fp.block || !within(ne.lo[e], ne.hi[e], d, w)) return;
        if (equal_bins(ne.sig[e], fp.signature) < min_bins) return;
        f(e, ne.exact[e] == fp.exact);
      });
    }
  }

  bool uses_near(const Fingerprint& fp) const { return opt.mode == Mode::near && fp.has_signature; }

  struct Hit {
    bool found = false;
    std::uint32_t first = 0;      // earliest entry repeated
    bool identical = false;       // an entry with the same exact key was repeated
    std::uint32_t same = 0;       // the earliest such entry
  };
  Hit hit(const Fingerprint& fp, Days d, bool use_near) const {
    Hit h;
    lookup(fp, d, use_near, [&](std::uint32_t e, bool identical) {
      if (!h.found || e < h.first) h.first = e;
      h.found = true;
      if (identical && (!h.identical || e < h.same)) h.same = e;
      h.identical = h.identical || identical;
    });
    return h;
  }

  Verdict verdict(const Hit& h, bool use_near) const {
    if (!h.found) return {};
    Verdict v;
    v.match = h.identical ? Match::exact : Match::near;
    if (roots()) v.canonical = use_near ? ne.root[h.first] : ex.root[h.first];
    return v;
  }

  // Room for one more entry of a kind: grows its arrays and table when they are full; when
  // growing would pass the budget, evicts the older half of that kind instead (a kind with
  // fewer than kFirstCapacity entries always grows: the budget cannot be smaller than that).
  void make_room(bool use_near) {
    const std::size_t size = use_near ? ne.size() : ex.size();
    const std::size_t table_cap = use_near ? band_tables[0].capacity() : ex_table.capacity();
    const std::size_t cap = use_near ? ne.capacity() : ex.capacity();
    const bool table_full = static_cast<double>(size + 1) > kMaxLoad * static_cast<double>(table_cap);
    const bool arrays_full = size + 1 > cap;
    if (!table_full && !arrays_full) return;
    // What growing would allocate while the old storage still exists.
    std::size_t extra = 0;
    const std::size_t new_table = table_full ? std::max(kFirstCapacity, table_cap * 2) : table_cap;
    const std::size_t new_cap = arrays_full ? std::max(kFirstCapacity, cap * 2) : cap;
    if (table_full) extra += (use_near ? kBands : 1) * new_table * sizeof(std::uint32_t);
    if (arrays_full) extra += new_cap * (use_near ? ne.entry_bytes(roots()) : ex.entry_bytes(roots()));
    const bool fits = bytes() + extra <= opt.memory_bytes && ex.size() + ne.size() + 1 <= kMaxEntries;
    if (fits || size < kFirstCapacity) {
      if (arrays_full) {
        if (use_near) ne.reserve(new_cap, roots());
        else ex.reserve(new_cap, roots());
      }
      if (table_full) rebuild(use_near, new_table);
      return;
    }
    evict(use_near);
  }

  void rebuild(bool use_near, std::size_t capacity) {
    if (!use_near) {
      ex_table.reset(capacity);
      for (std::uint32_t e = 0; e < ex.size(); ++e) ex_table.insert(low32(ex.key[e]), e);
      return;
    }
    for (std::size_t b = 0; b < kBands; ++b) band_tables[b].reset(capacity);
    for (std::uint32_t e = 0; e < ne.size(); ++e) {
      const auto keys = band_keys(ne.block[e], ne.sig[e]);
      for (std::size_t b = 0; b < kBands; ++b) band_tables[b].insert(keys[b], e);
    }
  }

  // Drops the older half of one kind's entries: by the last day they cover, undated ones
  // first, ties in creation order.
  void evict(bool use_near) {
    const auto& lo = use_near ? ne.lo : ex.lo;
    const auto& hi = use_near ? ne.hi : ex.hi;
    const std::size_t n = lo.size();
    constexpr std::int64_t kUndated = std::numeric_limits<std::int64_t>::min();
    std::vector<std::pair<std::int64_t, std::uint32_t>> order;
    order.reserve(n);
    for (std::uint32_t e = 0; e < n; ++e)
      order.emplace_back(lo[e] == Days::kUndatedFirst || hi[e] == Days::kUndatedLast ? kUndated : hi[e], e);
    const std::size_t drop = std::max<std::size_t>(1, n / 2);
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(drop - 1), order.end());
    const auto pivot = order[drop - 1];
    std::vector<bool> dropped(n, false);
    for (const auto& [age, e] : order) {
      if (std::make_pair(age, e) > pivot) continue;
      dropped[e] = true;
      if (age == kUndated) st.evicted_undated = true;
      else if (!st.horizon || age > *st.horizon) st.horizon = static_cast<std::int32_t>(age);
    }
    st.evicted += drop;
    if (use_near) {
      compact(ne.block, dropped), compact(ne.exact, dropped), compact(ne.lo, dropped);
      compact(ne.hi, dropped), compact(ne.sig, dropped), compact(ne.root, dropped);
    } else {
      compact(ex.key, dropped), compact(ex.lo, dropped), compact(ex.hi, dropped), compact(ex.root, dropped);
    }
    rebuild(use_near, use_near ? band_tables[0].capacity() : ex_table.capacity());
  }

  // Whether a posting that matched nothing might have matched an evicted entry.
  bool unchecked(Days d) const {
    if (st.evicted_undated) return true;
    return st.horizon && std::int64_t{d.first} - opt.window_days <= *st.horizon;
  }

  void insert_exact(std::uint64_t key, Days d, std::uint64_t root) {
    make_room(false);
    const auto e = static_cast<std::uint32_t>(ex.size());
    ex.key.push_back(key), ex.lo.push_back(d.first), ex.hi.push_back(d.last);
    if (roots()) ex.root.push_back(root);
    ex_table.insert(low32(key), e);
  }
  void insert_near(std::uint32_t block, std::uint64_t exact, const Signature& sig,
                   const std::array<std::uint32_t, kBands>& keys, Days d, std::uint64_t root) {
    make_room(true);
    const auto e = static_cast<std::uint32_t>(ne.size());
    ne.block.push_back(block), ne.exact.push_back(exact), ne.lo.push_back(d.first), ne.hi.push_back(d.last);
    ne.sig.push_back(sig);
    if (roots()) ne.root.push_back(root);
    for (std::size_t b = 0; b < kBands; ++b) band_tables[b].insert(keys[b], e);
  }
};

Index::Index(Options options) : m(std::make_unique<Impl>()) { m->opt = options; }
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;
Index::~Index() = default;

const Options& Index::options() const { return m->opt; }

Verdict Index::find(const Fingerprint& fp, Days days) const {
  if (m->opt.mode == Mode::none) return {};
  const bool use_near = m->uses_near(fp);
  return m->verdict(m->hit(fp, days, use_near), use_near);
}

Verdict Index::add(const Fingerprint& fp, Days days, std::uint64_t source) {
  if (m->opt.mode == Mode::none) return {};
  const bool use_near = m->uses_near(fp);
  const auto h = m->hit(fp, days, use_near);
  const Verdict v = m->verdict(h, use_near);
  if (!h.found && m->unchecked(days)) ++m->st.unchecked;
  const std::uint64_t root = h.found ? v.canonical : source;
  if (h.identical) {
    // The same posting again: its entry covers one more date.
    auto& lo = use_near ? m->ne.lo[h.same] : m->ex.lo[h.same];
    auto& hi = use_near ? m->ne.hi[h.same] : m->ex.hi[h.same];
    lo = std::min(lo, days.first);
    hi = std::max(hi, days.last);
  } else if (use_near) {
    // Also when it repeats a similar posting: later ones may be similar to it, not to that.
    m->insert_near(fp.block, fp.exact, fp.signature, fp.bands, days, root);
  } else {
    m->insert_exact(fp.exact, days, root);
  }
  return v;
}

void Index::absorb(const Index& other) {
  const auto& o = *other.m;
  for (std::size_t e = 0; e < o.ex.size(); ++e)
    m->insert_exact(o.ex.key[e], {o.ex.lo[e], o.ex.hi[e]}, o.roots() && m->roots() ? o.ex.root[e] : 0);
  for (std::size_t e = 0; e < o.ne.size(); ++e)
    m->insert_near(o.ne.block[e], o.ne.exact[e], o.ne.sig[e], band_keys(o.ne.block[e], o.ne.sig[e]),
                   {o.ne.lo[e], o.ne.hi[e]}, o.roots() && m->roots() ? o.ne.root[e] : 0);
  m->st.evicted += o.st.evicted;
  m->st.unchecked += o.st.unchecked;
  if (o.st.horizon && (!m->st.horizon || *o.st.horizon > *m->st.horizon)) m->st.horizon = o.st.horizon;
  m->st.evicted_undated = m->st.evicted_undated || o.st.evicted_undated;
}

Index::Stats Index::stats() const {
  Stats s = m->st;
  s.entries = m->ex.size() + m->ne.size();
  s.bytes = m->bytes();
  return s;
}

std::string Index::save() const {
  Writer w;
  w.put(kMagic), w.put(kFormat);
  w.put(static_cast<std::uint8_t>(m->opt.mode)), w.put(m->opt.window_days);
  w.put(m->st.evicted), w.put(m->st.unchecked);
  w.put(static_cast<std::uint8_t>((m->st.horizon ? 1 : 0) | (m->st.evicted_undated ? 2 : 0)));
  w.put(m->st.horizon.value_or(0));
  w.put(static_cast<std::uint64_t>(m->ex.size()));
  for (std::size_t e = 0; e < m->ex.size(); ++e) w.put(m->ex.key[e]), w.put(m->ex.lo[e]), w.put(m->ex.hi[e]);
  w.put(static_cast<std::uint64_t>(m->ne.size()));
  for (std::size_t e = 0; e < m->ne.size(); ++e) {
    w.put(m->ne.block[e]), w.put(m->ne.exact[e]), w.put(m->ne.lo[e]), w.put(m->ne.hi[e]);
    w.bytes(m->ne.sig[e].data(), kSignatureBytes);
  }
  return w.take();
}

Expected<Index> Index::load(std::string_view bytes, const Options& options) {
  Reader r(bytes);
  std::uint32_t magic = 0, format = 0;
  std::uint8_t mode = 0, flags = 0;
  std::int32_t window = 0, horizon = 0;
  std::uint64_t evicted = 0, unchecked = 0, n = 0;
  if (!r.get(magic) || magic != kMagic) return unexpected("dedup index: not an index (bad magic)");
  if (!r.get(format) || format != kFormat)
    return unexpected("dedup index: format " + std::to_string(format) + " is not supported (expected " +
                      std::to_string(kFormat) + ")");
  if (!r.get(mode) || !r.get(window) || !r.get(evicted) || !r.get(unchecked) || !r.get(flags) || !r.get(horizon))
    return unexpected("dedup index: truncated header");
  if (mode != static_cast<std::uint8_t>(options.mode) || window != options.window_days)
    return unexpected("dedup index: made with other --dedup or --dedup-window options");
  Index idx(options);
  auto& m = *idx.m;
  // Entries come back through the same budget: a smaller --dedup-memory evicts here.
  if (!r.get(n) || n > r.left() / 16) return unexpected("dedup index: truncated exact entries");
  for (std::uint64_t e = 0; e < n; ++e) {
    std::uint64_t key = 0;
    std::int32_t lo = 0, hi = 0;
    if (!r.get(key) || !r.get(lo) || !r.get(hi)) return unexpected("dedup index: truncated exact entry");
    if (lo > hi) return unexpected("dedup index: exact entry with an empty date range");
    m.insert_exact(key, {lo, hi}, 0);
  }
  if (!r.get(n) || n > r.left() / (20 + kSignatureBytes)) return unexpected("dedup index: truncated near entries");
  for (std::uint64_t e = 0; e < n; ++e) {
    std::uint32_t block = 0;
    std::uint64_t exact = 0;
    std::int32_t lo = 0, hi = 0;
    Signature sig{};
    if (!r.get(block) || !r.get(exact) || !r.get(lo) || !r.get(hi) || !r.bytes(sig.data(), kSignatureBytes))
      return unexpected("dedup index: truncated near entry");
    if (lo > hi) return unexpected("dedup index: near entry with an empty date range");
    m.insert_near(block, exact, sig, band_keys(block, sig), {lo, hi}, 0);
  }
  if (r.left() != 0) return unexpected("dedup index: trailing bytes");
  m.st.evicted += evicted;
  m.st.unchecked += unchecked;
  if (flags & 1) m.st.horizon = m.st.horizon ? std::max(*m.st.horizon, horizon) : horizon;
  if (flags & 2) m.st.evicted_undated = true;
  return idx;
}

}  // namespace jobmarket::dedup
