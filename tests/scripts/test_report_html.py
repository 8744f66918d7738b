#!/usr/bin/env python3
"""The HTML report renders in a real browser: headless Chromium (Debian's `chromium`)
loads the self-contained page with the network disabled, the DOM holds the SVG charts
with drawn marks, and a screenshot is not blank.

Usage: test_report_html.py JOBMARKET SHARED_DIR. Exits 77 (skipped) without Chromium.
"""
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "postings.csv"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def png_distinct_colors(path: Path, limit: int = 64) -> int:
    """Distinct RGB(A) pixels in an 8-bit non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8, "expected 8-bit PNG"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = {2: 3, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colors = set()
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 7):
            colors.add(bytes(line[x:x + 3]))
        if len(colors) >= limit:
            break
        prev = line
    return len(colors)


# Measures every chart in the rendered page: each <text> must lie inside its SVG's viewBox
# (no label cut at the chart edge), no two labels of a chart may overlap, and each chart
# must be drawn at the full width of its figure (the page's text column).
MEASURE = """<script>
window.addEventListener('load', () => {
  const out = {charts: 0, overflow: [], overlap: [], narrow: []};
  document.querySelectorAll('svg').forEach((svg, i) => {
    out.charts++;
    const vb = svg.viewBox.baseVal;
    const boxes = [];
    svg.querySelectorAll('text').forEach(t => {
      const b = t.getBBox();
      boxes.push([t.textContent, b]);
      if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 ||
          b.y + b.height > vb.y + vb.height + 0.5)
        out.overflow.push(`chart ${i}: '${t.textContent}' x ${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)}, ` +
                          `y ${b.y.toFixed(1)}..${(b.y + b.height).toFixed(1)} outside ${vb.width}x${vb.height}`);
    });
    for (let a = 0; a < boxes.length; a++)
      for (let c = a + 1; c < boxes.length; c++) {
        const [s, p] = boxes[a], [u, q] = boxes[c];
        const w = Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x);
        const h = Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y);
        if (w > 1 && h > 1) out.overlap.push(`chart ${i}: '${s}' and '${u}'`);
      }
    const width = svg.getBoundingClientRect().width, room = svg.parentElement.clientWidth;
    if (width < 0.98 * room) out.narrow.push(`chart ${i}: ${width.toFixed(0)} px of ${room}`);
  });
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def ten_month_postings(path: Path) -> None:
    """Ten months (2025-04 .. 2026-01) with every watched tag, so the line charts have
    labels at both edges and a five-name legend."""
    topics = ["world model research 世界模型", "embodied AI robot 具身智能", "LLM agent 智能体 Agent",
              "RAG 检索增强 向量数据库", "AIGC 文生图 diffusion", "预训练 大模型 算法研究员"]
    rows = ["title,company,salary,posted,description"]
    n = 0
    for m in range(10):
        year, month = (2025, 4 + m) if m < 9 else (2026, 1)
        for t in topics:
            for k in range(4):
                n += 1
                rows.append(f'"{t} engineer {n}",Co{k},30-50K,{year}-{month:02d}-{10 + k:02d},"{t}; 硕士; 负责 {t}"')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def measure(browser: str, flags: list, page: Path, tmp: Path):
    """The MEASURE result for `page`, rendered at a 1200 px wide window."""
    probe = tmp / ("measure-" + page.name)
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = subprocess.run(flags + ["--window-size=1200,2400", "--virtual-time-budget=5000", "--dump-dom",
                                  probe.as_uri()], capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="measure">(.*?)</pre>', dom.stdout, re.S)
    if not m:
        return None
    import html as htmllib
    import json
    return json.loads(htmllib.unescape(m.group(1)))


def main() -> int:
    jm = sys.argv[1]
    browser = chromium()
    if not browser:
        print("SKIP: Chromium not installed (scripts/deps.sh --test installs Debian's chromium where it can)")
        return 77
    failures = 0
    with tempfile.TemporaryDirectory(prefix="jobmarket-html-") as d:
        tmp = Path(d)
        page = tmp / "report.html"
        r = subprocess.run([jm, "report", str(SAMPLE), "--as-of", "2025-12-31", "-o", str(page), "-q"])
        if r.returncode != 0:
            print("FAIL: report -o report.html")
            return 1
        html = page.read_text(encoding="utf-8")
        if re.search(r"""(src|href)=["']https?:""", html):
            print("FAIL: the page loads something from the network")
            failures += 1
        flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", "--no-proxy-server",
                 f"--user-data-dir={tmp / 'profile'}"]
        dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
        svgs = dom.stdout.count("<svg")
        marks = len(re.findall(r"<(rect|path|polyline|line|circle)\b", dom.stdout))
        print(f"DOM after rendering: {len(dom.stdout)} chars, {svgs} svg charts, {marks} drawn marks")
        lines = len(re.findall(r'<path[^>]*\bd="M[^"]*L', dom.stdout))
        print(f"line charts: {lines} drawn series")
        if lines < 3:
            print("FAIL: expected the trend lines drawn (paths with line segments)")
            failures += 1
        if svgs < 3 or marks < 20:
            print("FAIL: expected at least 3 SVG charts with drawn marks in the rendered DOM")
            print(dom.stderr[-2000:])
            failures += 1
        shot = tmp / "shot.png"
        subprocess.run(flags + ["--window-size=1200,2400", f"--screenshot={shot}", page.as_uri()],
                       capture_output=True, timeout=120)
        if not shot.exists():
            print("FAIL: no screenshot written")
            failures += 1
        else:
            colors = png_distinct_colors(shot)
            print(f"screenshot: {shot.stat().st_size} bytes, {colors}+ distinct colors sampled")
            if colors < 5:
                print("FAIL: the screenshot is blank")
                failures += 1
        # Regression (issue 21): x labels and legend names were cut at the chart edge
        # ("2026-0", "world_m") and the charts took part of the page's width.
        data = tmp / "ten_months.csv"
        ten_month_postings(data)
        for name, extra in (("sample.html", [str(SAMPLE), "--as-of", "2025-12-31"]),
                            ("ten_months.html", [str(data), "--min-sample", "1"])):
            out = tmp / name
            r = subprocess.run([jm, "report", *extra, "-o", str(out), "-q"])
            if r.returncode != 0:
                print(f"FAIL: report -o {name}")
                failures += 1
                continue
            result = measure(browser, flags, out, tmp)
            if result is None:
                print(f"FAIL: {name}: the measuring script did not run")
                failures += 1
                continue
            print(f"{name}: {result['charts']} charts measured")
            for kind in ("overflow", "overlap", "narrow"):
                for problem in result[kind]:
                    print(f"FAIL: {name}: {kind}: {problem}")
                    failures += 1
            if result["charts"] < 3:
                print(f"FAIL: {name}: expected at least 3 charts")
                failures += 1
        # Without --as-of the title says what the data covers, not "as of not set".
        title = re.search(r"<title>(.*?)</title>", (tmp / "ten_months.html").read_text(encoding="utf-8"))
        if not title or "not set" in title.group(1) or "postings through 2026-01-" not in title.group(1):
            print(f"FAIL: title without --as-of: {title.group(1) if title else None}")
            failures += 1
    print(f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
