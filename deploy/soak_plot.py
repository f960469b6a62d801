#!/usr/bin/env python3
"""Draws the soak's figures (target/soak.csv, written by deploy/soak.sh) as one SVG of four small charts:
resident memory, threads, open files and the state directory (history apart), one point a minute. No plotting
library is needed; the SVG is written by hand."""
import csv
import sys

SERIES = [("rss_kib", "resident memory (KiB)"), ("threads", "threads"), ("open_files", "open files"),
          ("state_bytes", "state directory without history (bytes)")]
W, H, PAD = 360, 170, 40


def chart(rows, key, title, x0, y0):
    xs = [int(r["minute"]) for r in rows]
    ys = [int(r[key]) for r in rows]
    top = max(ys) * 1.25 or 1
    span = max(xs[-1] - xs[0], 1)
    pts = " ".join(f"{x0 + PAD + (x - xs[0]) * (W - 2 * PAD) / span:.1f},"
                   f"{y0 + H - PAD - y * (H - 2 * PAD) / top:.1f}" for x, y in zip(xs, ys))
    return "\n".join([
        f'<text x="{x0 + PAD}" y="{y0 + 20}" font-size="13">{title}: {min(ys)} to {max(ys)}</text>',
        f'<line x1="{x0 + PAD}" y1="{y0 + H - PAD}" x2="{x0 + W - PAD}" y2="{y0 + H - PAD}" stroke="#888"/>',
        f'<line x1="{x0 + PAD}" y1="{y0 + PAD}" x2="{x0 + PAD}" y2="{y0 + H - PAD}" stroke="#888"/>',
        f'<text x="{x0 + PAD - 4}" y="{y0 + PAD + 4}" font-size="10" text-anchor="end">{int(top)}</text>',
        f'<text x="{x0 + PAD - 4}" y="{y0 + H - PAD + 4}" font-size="10" text-anchor="end">0</text>',
        f'<text x="{x0 + W - PAD}" y="{y0 + H - PAD + 14}" font-size="10" text-anchor="end">minute {xs[-1]}</text>',
        f'<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="{pts}"/>',
    ])


def main(csv_path, summary_path, svg_path):
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    with open(summary_path) as f:
        summary = [l.strip() for l in f if l.startswith("soak: ") and ("runs reported" in l or "holds" in l)]
    parts = [chart(rows, key, title, (i % 2) * W, 30 + (i // 2) * H) for i, (key, title) in enumerate(SERIES)]
    text = "".join(f'<text x="10" y="{2 * H + 50 + 16 * i}" font-size="11">{s.replace("&", "&amp;")}</text>'
                   for i, s in enumerate(summary))
    with open(svg_path, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{2 * H + 60 + 16 * len(summary)}"'
                f' font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n'
                f'<text x="10" y="18" font-size="14">feishu-ipsync soak: the packaged daemon, one sync a second,'
                f' {rows[-1]["minute"]} minutes</text>\n' + "\n".join(parts) + "\n" + text + "\n</svg>\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
