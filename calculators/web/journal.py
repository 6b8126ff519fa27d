"""The pause journal's data: entries, loading what storage holds, export and import.

The browser keeps the journal in localStorage as JSON text; everything about its shape lives
here. Export and import are lossless: every entry is a flat record of strings, and CSV cells
that a spreadsheet would run as a formula are escaped with a leading apostrophe, reversibly.
"""

import csv
import html
import io
import json
from typing import TypeGuard

SCHEMA = "ahamirror.pause-journal.v1"
# The localStorage key (widgets.mjs receives it as data-journal-key; unreadable data is kept aside
# under STORAGE_KEY + ":kept-aside:" + a timestamp).
STORAGE_KEY = "ahamirror:pause-journal"
FIELDS = (
    "id",
    "saved_at",
    "verdict",
    "headline",
    "wrong_if",
    "invalidation_price",
    "reason_to_wait",
    "side",
    "entry_price",
    "quantity",
    "leverage",
    "venue",
    "maintenance_margin_rate",
    "account_balance",
)
REQUIRED = ("id", "saved_at", "verdict")
VERDICTS = ("ready", "pause", "not-ready")
MAX_CELL = 2000
MAX_ENTRIES = 1000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def make_entry(entry_id: str, saved_at: str, values: dict, verdict: str, headline: str) -> dict:
    entry = {name: str(values.get(name, ""))[:MAX_CELL] for name in FIELDS}
    entry.update(id=str(entry_id)[:100], saved_at=str(saved_at)[:40], verdict=verdict, headline=headline[:MAX_CELL])
    return entry


def valid(entry: object) -> TypeGuard[dict[str, str]]:
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) and entry.get(k) for k in REQUIRED)
        and entry["verdict"] in VERDICTS
        and all(isinstance(entry.get(k, ""), str) and len(entry.get(k, "")) <= MAX_CELL for k in FIELDS)
        and set(entry) <= set(FIELDS)
    )


def load(stored: str | None) -> tuple[list[dict], str]:
    """(entries, problem) from what localStorage held. `problem` is '' when all was well; when
    not, the caller keeps the raw text aside and stores only the good entries."""
    if not stored:
        return [], ""
    try:
        data = json.loads(stored)
    except ValueError:
        return (
            [],
            "The saved journal could not be read (it is not valid JSON). "
            "It was kept aside, untouched, and a new journal started.",
        )
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        data = data.get("entries")
    if not isinstance(data, list):
        return (
            [],
            "The saved journal is not in a format this site wrote. "
            "It was kept aside, untouched, and a new journal started.",
        )
    good = [e for e in data if valid(e)]
    bad = len(data) - len(good)
    if bad:
        what = (
            "1 saved journal entry could not be read and was"
            if bad == 1
            else f"{bad} saved journal entries could not be read and were"
        )
        rest = "; the rest are below." if good else "."
        return good[:MAX_ENTRIES], f"{what} kept aside, untouched{rest}"
    return good[:MAX_ENTRIES], ""


def dump(entries: list[dict]) -> str:
    """What localStorage stores (and the JSON export): a versioned envelope."""
    return json.dumps({"schema": SCHEMA, "entries": entries}, ensure_ascii=False)


def to_csv(entries: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for entry in entries:
        writer.writerow([_escape(entry.get(name, "")) for name in FIELDS])
    return out.getvalue()


def parse_import(text: str) -> tuple[list[dict], int, str]:
    """(entries, rejected count, problem) from an exported JSON or CSV file's text."""
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        return [], 0, "The file is empty."
    if text.lstrip()[:1] in "[{":
        entries, problem = load(text)
        if problem and not entries:
            return [], 0, "This file is not a journal exported from this site."
        rejected = 0 if not problem else _count_rejected(text, entries)
        return entries, rejected, ""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return [], 0, "The CSV file could not be read."
    if not rows or tuple(rows[0]) != FIELDS:
        return [], 0, "The CSV file does not have this journal's columns (id, saved_at, verdict, ...)."
    entries, rejected = [], 0
    for row in rows[1:]:
        if not any(row):
            continue
        entry = dict(zip(FIELDS, (_unescape(cell) for cell in row), strict=True)) if len(row) == len(FIELDS) else None
        if entry and valid(entry):
            entries.append(entry)
        else:
            rejected += 1
    return entries, rejected, ""


def merge(existing: list[dict], incoming: list[dict]) -> list[dict]:
    """Imported entries join the journal; an entry already there (same id) is not doubled."""
    seen = {e["id"] for e in existing}
    merged = list(existing)
    for e in incoming:
        if e["id"] not in seen:
            seen.add(e["id"])
            merged.append(e)
    return sorted(merged, key=lambda e: e["saved_at"], reverse=True)[:MAX_ENTRIES]


def remove(entries: list[dict], entry_id: str) -> list[dict]:
    return [e for e in entries if e["id"] != entry_id]


def render(entries: list[dict]) -> str:
    if not entries:
        return (
            '<ol class="journal" data-out="journal"></ol><p class="journal-empty">'
            "No checks saved yet. Each completed check is kept here, in this browser only.</p>"
        )
    items = []
    for e in entries:
        saved = html.escape(e["saved_at"][:16].replace("T", " "))
        label = {"ready": "Ready", "pause": "Paused", "not-ready": "Not ready"}[e["verdict"]]
        wrong = f"<p><strong>Wrong if:</strong> {html.escape(e['wrong_if'])}</p>" if e.get("wrong_if") else ""
        price = (
            f"<p><strong>Invalid at:</strong> {html.escape(e['invalidation_price'])}</p>"
            if e.get("invalidation_price")
            else ""
        )
        wait = (
            f"<p><strong>Reason to wait:</strong> {html.escape(e['reason_to_wait'])}</p>"
            if e.get("reason_to_wait")
            else ""
        )
        items.append(
            f'<li data-entry-id="{html.escape(e["id"])}"><div class="journal-head">'
            f'<span class="verdict-badge verdict-{e["verdict"]}">{label}</span> '
            f'<time datetime="{html.escape(e["saved_at"])}">{saved} UTC</time>'
            f'<button type="button" class="journal-delete" data-action="delete" data-id="{html.escape(e["id"])}" '
            f'aria-label="Delete the entry saved {saved}">Delete</button></div>'
            f'<p class="journal-headline">{html.escape(e["headline"])}</p>{wrong}{price}{wait}</li>'
        )
    return f'<ol class="journal" data-out="journal">{"".join(items)}</ol>'


def _escape(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def _count_rejected(text: str, entries: list[dict]) -> int:
    try:
        data = json.loads(text)
    except ValueError:
        return 0
    data = data.get("entries", []) if isinstance(data, dict) else data
    return max(0, len(data) - len(entries)) if isinstance(data, list) else 0


def respond(request: dict) -> dict:
    """The journal's storage actions, for the worker (see registry.SERVICES). Entries arrive and
    leave as data; the page keeps them in localStorage."""
    action = request.get("action")
    if action == "load":
        stored = request.get("stored")
        entries, problem = load(stored if isinstance(stored, str) else None)
        return {"ok": True, "entries": entries, "problem": problem, "stored": dump(entries), "html": render(entries)}
    entries, _ = load(dump(request.get("entries") or []))
    if action == "add":
        entry = request.get("entry")
        entries = merge(entries, [entry] if valid(entry) else [])
    elif action == "delete":
        entries = remove(entries, str(request.get("id", "")))
    elif action == "clear":
        entries = []
    elif action == "export":
        text = to_csv(entries) if request.get("format") == "csv" else dump(entries)
        return {"ok": True, "text": text}
    elif action == "import":
        sent = request.get("text")
        text = sent if isinstance(sent, str) else ""
        incoming, rejected, problem = parse_import(text)
        if problem:
            return {"ok": False, "errors": {"_": problem}}
        before = len(entries)
        entries = merge(entries, incoming)
        added = len(entries) - before
        message = (
            f"Imported {added} entr{'y' if added == 1 else 'ies'}"
            + (f"; {rejected} could not be read" if rejected else "")
            + "."
        )
        return {"ok": True, "entries": entries, "stored": dump(entries), "html": render(entries), "message": message}
    else:
        return {"ok": False, "errors": {"_": "Unknown journal action."}}
    return {"ok": True, "entries": entries, "stored": dump(entries), "html": render(entries)}
