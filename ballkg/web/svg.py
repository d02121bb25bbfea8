"""Small inline SVG bar charts: no script, no network, readable by screen readers (role, title, desc)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape

PALETTE = ["#1f6f8b", "#e07a1f", "#5a8f29", "#8e44ad", "#b03a2e", "#566573", "#c2a10c", "#d35e9c", "#2e4e9e",
           "#6b3e1f"]


@dataclass
class Bar:
    label: str
    value: float
    group: str = ""
    href: str | None = None
    note: str = ""  # shown after the value, e.g. "50/53"


def bar_chart(bars: list[Bar], title: str, unit: str = "%", max_value: float | None = None,
              width: int = 980, label_width: int = 460) -> str:
    """A horizontal bar chart; bars of the same group share a colour, explained in a legend."""
    if not bars:
        return ""
    top = max_value if max_value is not None else max(b.value for b in bars) or 1.0
    groups = list(dict.fromkeys(b.group for b in bars if b.group))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    row, pad = 22, 8
    legend_h = 20 * len(groups)
    height = pad * 2 + row * len(bars) + legend_h + 18
    plot_w = width - label_width - 110
    cid = "chart-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    desc = "; ".join(f"{b.label}: {b.value:g}{unit}" + (f" ({b.group})" if b.group else "") for b in bars)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" aria-labelledby="{cid}-t {cid}-d">'),
           f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(desc)}</desc>']
    y = pad
    for b in bars:
        w = max(1.0, plot_w * min(b.value, top) / top)
        fill = colour.get(b.group, PALETTE[0])
        # shortened in the middle: labels of arms of one study differ at their end
        text = escape(b.label if len(b.label) <= 64 else b.label[:30] + "…" + b.label[-33:])
        label = f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">{text}</text>'
        if b.href:
            label = f'<a href="{escape(b.href)}">{label}</a>'
        tip = f"{b.label}: {b.value:g}{unit}" + (f" {b.note}" if b.note else "")
        out.append(label)
        out.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{fill}">'
                   f'<title>{escape(tip)}</title></rect>')
        out.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 15}" font-size="12">'
                   f'{b.value:g}{escape(unit)}{escape(" " + b.note if b.note else "")}</text>')
        y += row
    out.append(f'<line x1="{label_width}" y1="{pad}" x2="{label_width}" y2="{y}" stroke="#333"/>')
    if groups:
        x = label_width
        y += 10
        for g in groups:
            out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour[g]}"/>'
                       f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(g)}</text>')
            y += 20
    out.append("</svg>")
    return "\n".join(out)
