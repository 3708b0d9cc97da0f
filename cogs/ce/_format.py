"""What CE replies look like: status embeds, chart bars, entry pages, template lists and the audit export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import discord

from bot.db.ce import CeEntry, Credential, Template
from bot.domain import ce
from bot.domain.ce_chart import Bar
from bot.domain.clock import discord_timestamp
from bot.domain.csv_safety import safe_cell
from bot.services.ce import Standing
from cogs.ce._reminders import expiry_moment

PAGE = 10
EXPORT_COLUMNS = (
    "member",
    "credential",
    "credential_number",
    "cycle_start",
    "cycle_end",
    "title",
    "provider",
    "date",
    "hours",
    "category",
    "certificate",
)


def _h(quarters: int) -> str:
    return ce.hours_text(quarters)


def credential_label(credential: Credential) -> str:
    """A label like "PA CRS (expires 2027-06-30)" — never the number."""
    return f"{credential.template.name} (expires {credential.expires.isoformat()})"


def status_embed(standing: Standing, tz: str) -> discord.Embed:
    """One credential's standing: hours vs required, each minimum, expiry, renewal window, pace."""
    c, p = standing.credential, standing.progress
    met = p.met
    colour = discord.Colour.green() if met else discord.Colour.gold() if p.on_track else discord.Colour.red()
    embed = discord.Embed(
        title=c.template.name, colour=colour, description=f"Cycle {p.start.isoformat()} → {p.expires.isoformat()}"
    )
    embed.add_field(name="Hours this cycle", value=f"**{_h(p.earned)}** of {_h(p.required.total)} h", inline=True)
    for name, need in p.required.categories.items():
        have = p.by_category.get(name, 0)
        mark = "✅" if have >= need else "⬜"
        embed.add_field(name=name, value=f"{mark} {_h(have)} of {_h(need)} h", inline=True)
    moment = expiry_moment(c, tz)
    if p.expired:
        expiry = f"expired {discord_timestamp(moment, 'D')} ({-p.days_left} days ago)"
    else:
        expiry = f"{discord_timestamp(moment, 'D')} — in {p.days_left} day{'s' if p.days_left != 1 else ''}"
    embed.add_field(name="Expires", value=expiry, inline=False)
    window = (
        "open now"
        if p.window_open
        else f"opens {p.window_opens.isoformat()}"
        if p.today < p.window_opens
        else "closed (expired)"
    )
    embed.add_field(name="Renewal window", value=window, inline=True)
    if met:
        pace = "✅ requirements met for this cycle"
    elif p.on_track:
        pace = f"on track ({p.fraction_elapsed:.0%} of the cycle passed)"
    else:
        behind = p.behind()
        pace = f"behind — at the pro-rata pace you'd have {_h(p.expected)} h by now; short " + ", ".join(
            f"{_h(q)} h {name if name != 'total' else 'in total'}" for name, q in behind.items()
        )
    embed.add_field(name="Pace", value=pace[:1024], inline=True)
    if not met:
        embed.add_field(name="Still missing", value="\n".join(ce.describe_missing(p.missing()))[:1024], inline=False)
    embed.set_footer(text=f"{c.template.note[:200]}")
    return embed


def chart_bars(standings: Sequence[Standing]) -> list[Bar]:
    """Total and category rows for every credential."""
    bars: list[Bar] = []
    for s in standings:
        p = s.progress
        bars.append(Bar(f"{s.credential.template.name} total", p.earned / 4, p.required.total / 4, p.expected / 4))
        bars += [
            Bar(f"{s.credential.template.name} {name}", p.by_category.get(name, 0) / 4, need / 4)
            for name, need in p.required.categories.items()
        ]
    return bars


def entry_line(entry: CeEntry, *, kept: bool = False) -> str:
    """`#12 · 2026-05-01 · 1.5 h · ethics — Title (Provider) · certificate kept`.

    A certificate Harbor keeps is named as such (the Discord link it came from expires); an older entry
    with only a link shows the link.
    """
    line = (
        f"`#{entry.id}` · {entry.day.isoformat()} · {_h(entry.quarters)} h · {entry.category} — "
        f"{discord.utils.escape_markdown(entry.title)}"
    )
    if entry.provider:
        line += f" ({discord.utils.escape_markdown(entry.provider)})"
    if kept:
        line += " · 📎 certificate kept (`/ce export format:zip`)"
    elif entry.certificate_url:
        line += f" · [certificate]({entry.certificate_url})"
    return line[:400]


def entries_embed(
    entries: Sequence[CeEntry], *, page: int, total: int, scope: str, kept: set[int] | None = None
) -> discord.Embed:
    """One page of entries (`kept`: ids of entries whose certificate Harbor keeps)."""
    pages = max(1, -(-total // PAGE))
    embed = discord.Embed(title=f"CE entries — {scope}", colour=discord.Colour.teal())
    embed.description = (
        "\n".join(entry_line(e, kept=e.id in (kept or set())) for e in entries)
        if entries
        else "No entries yet. Log one with `/ce log`."
    )[:4096]
    embed.set_footer(text=f"Page {page + 1} of {pages} · {total} entr{'y' if total == 1 else 'ies'}")
    return embed


def template_lines(templates: Sequence[Template]) -> list[str]:
    """One block per template: requirements, source, last verified, the board note."""
    blocks = []
    for t in templates:
        cats = f" incl. {ce.categories_text(t.categories).replace('=', ' ')} h" if t.categories else ""
        fixed = f", expires {t.expires_md}" if t.expires_md else ""
        kind = "built-in" if t.builtin else "this server"
        source = f"[source]({t.source_url})" if t.source_url else "no source given"
        verified = f"last verified {t.last_verified.isoformat()}" if t.last_verified else "not verified"
        blocks.append(
            f"**{t.name}** ({kind}) — {_h(t.total)} h / {t.cycle_months} months{cats}{fixed}; "
            f"renewal window {t.window_days} days · {source} · {verified} · *verify with your board*"
        )
    return blocks


def export_rows(
    member: str,
    standings: Sequence[Standing],
    entries_by_credential: dict[int, list[CeEntry]],
    stored: dict[int, str] | None = None,
) -> list[dict[str, str | float | None]]:
    """One row per (credential, entry in its current cycle); `certificate` names the file Harbor keeps.

    `stored` maps entry ids to the certificate's path in the audit pack; an older entry whose certificate
    was only ever a Discord link shows that link.
    """
    stored = stored or {}
    rows: list[dict[str, str | float | None]] = []
    for s in standings:
        c = s.credential
        for e in entries_by_credential.get(c.id, []):
            rows.append(
                {
                    "member": member,
                    "credential": c.template.name,
                    "credential_number": c.number,
                    "cycle_start": s.progress.start.isoformat(),
                    "cycle_end": c.expires.isoformat(),
                    "title": e.title,
                    "provider": e.provider,
                    "date": e.day.isoformat(),
                    "hours": e.quarters / 4,
                    "category": e.category,
                    "certificate": stored.get(e.id, e.certificate_url),
                }
            )
    return rows


def export_file(rows: list[dict[str, str | float | None]], fmt: str) -> bytes:
    """CSV (UTF-8 with a BOM, so spreadsheets read accents and emoji) or pretty JSON."""
    if fmt == "json":
        return json.dumps({"columns": list(EXPORT_COLUMNS), "rows": rows}, indent=2, ensure_ascii=False).encode()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_safe(value: str | float | None) -> str | float:
    if isinstance(value, str):
        return safe_cell(value)
    return "" if value is None else value
