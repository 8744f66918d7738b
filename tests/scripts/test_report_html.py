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
    print(f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
