"""`tutor grade-class --html FILE`: the class summary as one self-contained page.

A rendering of the same data as `--summary` (classgrade.summary_json), nothing more: the
distribution of totals, the pass rate per exercise, and the most common misconceptions per
exercise with their counts. Plots are inline SVG, styles inline; no script, no image, no font and
no link leaves the file, so it opens offline and can be mailed. Every text is escaped (student ids
and folder names are the students' own).
"""

from __future__ import annotations

from html import escape
from typing import Any

TOP_MISCONCEPTIONS = 3
"""Misconceptions shown per exercise (the JSON summary has all of them)."""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1b1b1b; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .3rem .5rem; vertical-align: top; }
th { text-align: left; border-bottom: 1px solid #999; } tr + tr td { border-top: 1px solid #ddd; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: #555; } ul { margin: 0; padding-left: 1.2rem; } svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
"""


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _histogram(buckets: list[dict[str, Any]]) -> str:
    """Vertical bars: students per range of totals (share of the maximum)."""
    width, height, bar, gap, top = 520, 200, 80, 20, 20
    most = max((b["students"] for b in buckets), default=0) or 1
    parts = [
        f'<svg role="img" aria-label="Distribution of totals" width="{width}" height="{height + 40}" '
        f'viewBox="0 0 {width} {height + 40}">'
    ]
    for n, bucket in enumerate(buckets):
        x = gap + n * (bar + gap)
        h = round((height - top) * bucket["students"] / most)
        y = height - h
        parts.append(f'<rect x="{x}" y="{y}" width="{bar}" height="{h}" fill="#3b6ea8"/>')
        parts.append(f'<text x="{x + bar / 2}" y="{y - 4}" text-anchor="middle">{bucket["students"]}</text>')
        parts.append(
            f'<text x="{x + bar / 2}" y="{height + 16}" text-anchor="middle">{escape(bucket["range"])}</text>'
        )
    parts.append(f'<line x1="0" y1="{height}" x2="{width}" y2="{height}" stroke="#999"/>')
    parts.append("</svg>")
    return "".join(parts)


def _pass_rates(exercises: dict[str, dict[str, Any]]) -> str:
    """Horizontal bars: the share of graded students with full marks, per exercise."""
    row, label, plot = 24, 200, 300
    height = row * len(exercises) + 10
    parts = [
        f'<svg role="img" aria-label="Pass rate per exercise" width="{label + plot + 60}" height="{height}" '
        f'viewBox="0 0 {label + plot + 60} {height}">'
    ]
    for n, (exercise_id, data) in enumerate(exercises.items()):
        y = 5 + n * row
        rate = data["pass_rate"] or 0.0
        parts.append(f'<text x="{label - 8}" y="{y + 15}" text-anchor="end">{escape(exercise_id)}</text>')
        parts.append(f'<rect x="{label}" y="{y + 3}" width="{plot}" height="{row - 8}" fill="#e6e6e6"/>')
        parts.append(
            f'<rect x="{label}" y="{y + 3}" width="{round(plot * rate)}" height="{row - 8}" fill="#2f8f5b"/>'
        )
        shown = "–" if data["pass_rate"] is None else f"{round(100 * rate)}%"
        parts.append(f'<text x="{label + plot + 8}" y="{y + 15}">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)


def class_page(summary: dict[str, Any], title: str = "Class summary") -> str:
    """The page for a `summary_json` dict."""
    exercises: dict[str, dict[str, Any]] = summary["exercises"]
    heading = escape(title)
    facts = (
        f"{summary['graded']} of {summary['submissions']} submissions graded"
        f" · mean {_number(summary['mean'])} · median {_number(summary['median'])}"
        f" · of {_number(summary['max_points'])} points"
    )
    rows = []
    for exercise_id, data in exercises.items():
        common = list(data["misconceptions"].items())[:TOP_MISCONCEPTIONS]
        listed = (
            "<ul>" + "".join(f"<li><b>{count}</b> × {escape(text)}</li>" for text, count in common) + "</ul>"
            if common
            else '<span class="muted">none diagnosed</span>'
        )
        rows.append(
            f"<tr><td><code>{escape(exercise_id)}</code><br><span class='muted'>{escape(data['title'])}</span></td>"
            f"<td class='num'>{_number(data['mean_points'], 2)} / {_number(data['max_points'])}</td>"
            f"<td class='num'>{data['passed']} / {data['graded']}</td><td>{listed}</td></tr>"
        )
    problems = "".join(
        f"<tr><td>{escape(p['directory'])}</td><td>{escape(p['status'])}</td><td>{escape(p['message'])}</td></tr>"
        for p in summary["problems"]
    )
    problem_table = (
        f"<h2>Not graded cleanly</h2><table><tr><th>Folder</th><th>Status</th><th>Why</th></tr>{problems}</table>"
        if problems
        else ""
    )
    assignment = f" · assignment {escape(summary['assignment'])}" if summary.get("assignment") else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{heading}</title><style>{_STYLE}</style></head>
<body>
<h1>{heading}</h1>
<p>{escape(summary["course"])} {escape(summary["course_version"])}{assignment} · {facts}</p>
<h2>Distribution of totals</h2>
{_histogram(summary["histogram"])}
<h2>Pass rate per exercise</h2>
{_pass_rates(exercises)}
<h2>What the class got wrong</h2>
<table><tr><th>Exercise</th><th class="num">Mean points</th><th class="num">Full marks</th>
<th>Most common misconceptions (students)</th></tr>
{"".join(rows)}
</table>
{problem_table}
</body></html>
"""
