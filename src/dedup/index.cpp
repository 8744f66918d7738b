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

// Tables grow by half when 80% full (linear probing stays short at that load), so they
// are 53% to 80% full: 5 to 7.5 bytes of slots per entry and table.
constexpr double kMaxLoad = 0.8;
constexpr std::size_t kFirstCapacity = 4096;

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
  // Asks for the key's home slot ahead of find() or insert(): a lookup touches one slot
  // in each band table, far apart, and the four misses then overlap.
  void prefetch(std::uint32_t key) const {
    if (!m_slots.empty()) __builtin_prefetch(m_slots.data() + home(key));
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
std::uint32_t fold32(std::uint64_t v) { return static_cast<std::uint32_t>(v ^ (v >> 32)); }

// An append-only array in chunks of 16,384: growing never copies what is there (no moment
// with the old and the new storage both allocated), and it takes what it holds, to a chunk.
template <class T>
class Chunked {
 public:
  static constexpr unsigned kShift = 14;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  std::size_t size() const { return m_size; }
  T& operator[](std::size_t i) { return m_chunks[i >> kShift][i & (kChunk - 1)]; }
  const T& operator[](std::size_t i) const { return m_chunks[i >> kShift][i & (kChunk - 1)]; }
  bool full() const { return m_size == m_chunks.size() * kChunk; }
  void push_back(const T& v) {
    if (full()) m_chunks.push_back(std::make_unique<T[]>(kChunk));
    (*this)[m_size++] = v;
  }
  // Keeps the first n elements and frees the chunks past them.
  void truncate(std::size_t n) {
    m_size = n;
    m_chunks.resize((n + kChunk - 1) / kChunk);
  }
  // Keeps the elements whose flag is false, in order.
  void compact(const std::vector<bool>& drop) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < m_size; ++i)
      if (!drop[i]) (*this)[w++] = (*this)[i];
    truncate(w);
  }
  std::size_t bytes() const { return m_chunks.size() * kChunk * sizeof(T) + m_chunks.capacity() * sizeof(void*); }

 private:
  std::vector<std::unique_ptr<T[]>> m_chunks;
  std::size_t m_size = 0;
};

// The entries of one kind, in creation order. An entry's fields sit together: a candidate
// costs one cache miss, not one per field (the index is far larger than the caches).
struct ExactEntry {
  std::uint64_t key;
  std::int32_t lo, hi;
};
struct NearEntry {
  std::uint32_t block;
  std::uint32_t exact;  // the exact key, folded: tells an identical posting
  std::int32_t lo, hi;
  Signature sig;
};

template <class Entry>
struct Entries {
  Chunked<Entry> at;
  Chunked<std::uint64_t> root;  // with keep_sources
  std::size_t size() const { return at.size(); }
  std::size_t bytes() const { return at.bytes() + root.bytes(); }
  static std::size_t chunk_bytes(bool roots) {
    return Chunked<Entry>::kChunk * (sizeof(Entry) + (roots ? sizeof(std::uint64_t) : 0));
  }
  void compact(const std::vector<bool>& d) { at.compact(d), root.compact(d); }
};
using Exact = Entries<ExactEntry>;
using Near = Entries<NearEntry>;

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
        if (ex.at[e].key == fp.exact && within(ex.at[e].lo, ex.at[e].hi, d, w)) f(e, true);
      });
      return;
    }
    const std::uint32_t exact = fold32(fp.exact);
    for (std::size_t b = 0; b < kBands; ++b) band_tables[b].prefetch(fp.bands[b]);
    for (std::size_t b = 0; b < kBands; ++b) {
      band_tables[b].find(fp.bands[b], [&](std::uint32_t e) {
        if (ne.at[e].block != fp.block || !within(ne.at[e].lo, ne.at[e].hi, d, w)) return;
        if (equal_bins(ne.at[e].sig, fp.signature) < min_bins) return;
        f(e, ne.at[e].exact == exact);
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

  // Room for one more entry of a kind: a new chunk for its arrays, a larger table. When
  // that would pass the budget, the older half of that kind is evicted instead (a kind
  // with no table yet always gets one: the budget cannot be smaller than that).
  void make_room(bool use_near) {
    const std::size_t size = use_near ? ne.size() : ex.size();
    const std::size_t tables = use_near ? kBands : 1;
    const std::size_t cap = use_near ? band_tables[0].capacity() : ex_table.capacity();
    const bool table_full = static_cast<double>(size + 1) > kMaxLoad * static_cast<double>(cap);
    const bool chunk_full = use_near ? ne.at.full() : ex.at.full();
    if (!table_full && !chunk_full) return;
    const std::size_t new_cap = table_full ? std::max(kFirstCapacity, cap + cap / 2) : cap;
    // Rebuilding holds one old table and its larger successor at a time.
    std::size_t extra = (tables * (new_cap - cap) + (table_full ? new_cap : 0)) * sizeof(std::uint32_t);
    if (chunk_full) extra += use_near ? Near::chunk_bytes(roots()) : Exact::chunk_bytes(roots());
    const bool fits = bytes() + extra <= opt.memory_bytes && ex.size() + ne.size() + 1 <= kMaxEntries;
    if (fits || cap == 0) {
      if (table_full) rebuild(use_near, new_cap);
      return;  // push_back adds the chunk
    }
    evict(use_near);
  }

  void rebuild(bool use_near, std::size_t capacity) {
    if (!use_near) {
      ex_table.reset(capacity);
      for (std::uint32_t e = 0; e < ex.size(); ++e) ex_table.insert(low32(ex.at[e].key), e);
      return;
    }
    // Each reset frees its old table: one table more than the final ones at a time.
    for (auto& t : band_tables) t.reset(capacity);
    for (std::uint32_t e = 0; e < ne.size(); ++e) {
      const auto keys = band_keys(ne.at[e].block, ne.at[e].sig);
      for (std::size_t b = 0; b < kBands; ++b) band_tables[b].insert(keys[b], e);
    }
  }

  // Drops the older half of one kind's entries: by the last day they cover, undated ones
  // first, ties in creation order.
  void evict(bool use_near) {
    const std::size_t n = use_near ? ne.size() : ex.size();
    constexpr std::int64_t kUndated = std::numeric_limits<std::int64_t>::min();
    std::vector<std::pair<std::int64_t, std::uint32_t>> order;
    order.reserve(n);
    for (std::uint32_t e = 0; e < n; ++e) {
      const auto lo = use_near ? ne.at[e].lo : ex.at[e].lo;
      const auto hi = use_near ? ne.at[e].hi : ex.at[e].hi;
      order.emplace_back(lo == Days::kUndatedFirst || hi == Days::kUndatedLast ? kUndated : hi, e);
    }
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
    std::vector<std::pair<std::int64_t, std::uint32_t>>().swap(order);
    st.evicted += drop;
    if (use_near) ne.compact(dropped);
    else ex.compact(dropped);
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
    ex.at.push_back({key, d.first, d.last});
    if (roots()) ex.root.push_back(root);
    ex_table.insert(low32(key), e);
  }
  void insert_near(std::uint32_t block, std::uint32_t exact, const Signature& sig,
                   const std::array<std::uint32_t, kBands>& keys, Days d, std::uint64_t root) {
    make_room(true);
    const auto e = static_cast<std::uint32_t>(ne.size());
    ne.at.push_back({block, exact, d.first, d.last, sig});
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
    auto& lo = use_near ? m->ne.at[h.same].lo : m->ex.at[h.same].lo;
    auto& hi = use_near ? m->ne.at[h.same].hi : m->ex.at[h.same].hi;
    lo = std::min(lo, days.first);
    hi = std::max(hi, days.last);
  } else if (use_near) {
    // Also when it repeats a similar posting: later ones may be similar to it, not to that.
    m->insert_near(fp.block, fold32(fp.exact), fp.signature, fp.bands, days, root);
  } else {
    m->insert_exact(fp.exact, days, root);
  }
  return v;
}

void Index::absorb(const Index& other) {
  const auto& o = *other.m;
  for (std::size_t e = 0; e < o.ex.size(); ++e)
    m->insert_exact(o.ex.at[e].key, {o.ex.at[e].lo, o.ex.at[e].hi}, o.roots() && m->roots() ? o.ex.root[e] : 0);
  for (std::size_t e = 0; e < o.ne.size(); ++e)
    m->insert_near(o.ne.at[e].block, o.ne.at[e].exact, o.ne.at[e].sig, band_keys(o.ne.at[e].block, o.ne.at[e].sig),
                   {o.ne.at[e].lo, o.ne.at[e].hi}, o.roots() && m->roots() ? o.ne.root[e] : 0);
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
  for (std::size_t e = 0; e < m->ex.size(); ++e) w.put(m->ex.at[e].key), w.put(m->ex.at[e].lo), w.put(m->ex.at[e].hi);
  w.put(static_cast<std::uint64_t>(m->ne.size()));
  for (std::size_t e = 0; e < m->ne.size(); ++e) {
    w.put(m->ne.at[e].block), w.put(m->ne.at[e].exact), w.put(m->ne.at[e].lo), w.put(m->ne.at[e].hi);
    w.bytes(m->ne.at[e].sig.data(), kSignatureBytes);
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
  if (!r.get(n) || n > r.left() / (16 + kSignatureBytes)) return unexpected("dedup index: truncated near entries");
  for (std::uint64_t e = 0; e < n; ++e) {
    std::uint32_t block = 0;
    std::uint32_t exact = 0;
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
