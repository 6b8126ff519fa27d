"""The pause journal's data: entries, reading what storage holds, every change to it, export and import.

The browser keeps the journal in localStorage as JSON text; everything about its shape lives
here. The page reads the stored text inside its journal lock, sends it here with the action, and
writes back exactly what this module answers (`write`), so each action applies to the latest
stored journal. Nothing here ever drops an entry silently:

- an entry that cannot be read is kept aside by the page, untouched, before the journal is
  rewritten (the page says "kept aside" only when that copy was written);
- the journal holds at most MAX_ENTRIES entries, and an action that would take it over the limit
  changes nothing and says so, with the numbers (the visitor can export, delete, then retry);
- an import reports what it added, what was already there, what clashed with an entry already
  there (the one already there is kept), and what could not be read.

Export and import are lossless: every entry is a flat record of strings, and CSV cells that a
spreadsheet would run as a formula are escaped with a leading apostrophe, reversibly.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from typing import TypeGuard

from . import markup
from .jsontext import MAX_DEPTH, nesting_depth

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
VERDICT_LABELS = {"ready": "Ready", "pause": "Paused", "not-ready": "Not ready"}
MAX_CELL = 2000
MAX_ENTRIES = 1000
# A journal this site wrote is three levels deep ({"entries": [{...}]}); deeper text is refused before
# json.loads sees it (jsontext.MAX_DEPTH).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")

EMPTY = "No checks saved yet. Each completed check is kept here, in this browser only."
STORAGE_FULL_SENTENCE = "This browser's storage for this site is full"
MAKE_ROOM = "Export the journal (JSON or CSV), then delete entries you no longer need to make room"


Entry = dict[str, str]


def make_entry(entry_id: str, saved_at: str, values: dict, verdict: str, headline: str) -> dict:
    entry = {name: str(values.get(name, ""))[:MAX_CELL] for name in FIELDS}
    entry.update(id=str(entry_id)[:100], saved_at=str(saved_at)[:40], verdict=verdict, headline=headline[:MAX_CELL])
    return entry


def valid(entry: object) -> TypeGuard[Entry]:
    """An entry this site can show and export: the required fields are non-empty strings, the
    verdict is one it knows, every other field is an optional string (render() fills in what is
    missing), and there is nothing it does not know."""
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), str) and entry.get(k) for k in REQUIRED)
        and entry["verdict"] in VERDICTS
        and all(isinstance(entry.get(k, ""), str) and len(entry.get(k, "")) <= MAX_CELL for k in FIELDS)
        and set(entry) <= set(FIELDS)
    )


# --- reading JSON text safely --------------------------------------------------------------------


class Unreadable(ValueError):
    """JSON text that cannot be read, with the reason in words."""


def parse_json(text: str) -> object:
    """json.loads, with the depth checked first (and RecursionError caught all the same)."""
    if nesting_depth(text) > MAX_DEPTH:
        raise Unreadable(f"it is nested more than {MAX_DEPTH} levels deep, which no journal from this site is")
    try:
        return json.loads(text)
    except RecursionError:
        raise Unreadable("it is nested too deeply to read") from None
    except ValueError:
        raise Unreadable("it is not valid JSON") from None


# --- what storage holds --------------------------------------------------------------------------


@dataclass
class Stored:
    """What the journal's storage key held: the readable entries, and what could not be read.
    `whole` is the reason the text as a whole could not be read ('' when it could); `unreadable`
    counts the entries inside a readable journal that could not be read."""

    entries: list[Entry] = field(default_factory=list)
    unreadable: int = 0
    whole: str = ""

    @property
    def damaged(self) -> bool:
        return bool(self.whole or self.unreadable)

    def problem(self, kept_aside: bool = True) -> str:
        """The visitor's explanation: what could not be read, and what became of it."""
        if not self.damaged:
            return ""
        if self.whole:
            what, it = f"The saved journal could not be read ({self.whole}).", "it"
        else:
            n = self.unreadable
            what = f"{_plural(n, 'saved journal entry', 'saved journal entries')} could not be read"
            it = "it" if n == 1 else "they"
            if kept_aside:
                was = "was" if n == 1 else "were"
                return f"{what} and {was} kept aside, untouched{'; the rest are below.' if self.entries else '.'}"
            what += f"{' (the rest are below)' if self.entries else ''}."
        if kept_aside:
            return f"{what} It was kept aside, untouched, and a new journal started."
        return (
            f"{what} {STORAGE_FULL_SENTENCE}, so {it} could not be kept aside: the journal was left as it is, "
            "untouched, and nothing new can be saved until there is room."
        )


def read_stored(text: str | None) -> Stored:
    if not text:
        return Stored()
    try:
        data = parse_json(text)
    except Unreadable as error:
        return Stored(whole=str(error))
    items = _entry_list(data)
    if items is None:
        return Stored(whole="it is not in a format this site wrote")
    good = [e for e in items if valid(e)]
    return Stored(entries=good, unreadable=len(items) - len(good))


def _entry_list(data: object) -> list | None:
    if isinstance(data, dict) and data.get("schema") == SCHEMA:
        data = data.get("entries")
    return data if isinstance(data, list) else None


def load(stored: str | None) -> tuple[list[Entry], str]:
    """(readable entries, problem) from what localStorage held; `problem` is '' when all was well.
    Nothing is cut: a journal over MAX_ENTRIES (written elsewhere) is shown whole, it only cannot grow."""
    found = read_stored(stored)
    return found.entries, found.problem()


def dump(entries: list[Entry]) -> str:
    """What localStorage stores (and the JSON export): a versioned envelope."""
    return json.dumps({"schema": SCHEMA, "entries": entries}, ensure_ascii=False)


# --- export and import ---------------------------------------------------------------------------


def to_csv(entries: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for entry in entries:
        writer.writerow([_escape(entry.get(name, "")) for name in FIELDS])
    return out.getvalue()


def parse_import(text: str) -> tuple[list[Entry], int, str]:
    """(entries, rejected count, problem) from an exported JSON or CSV file's text."""
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        return [], 0, "The file is empty."
    if text.lstrip()[:1] in "[{":
        try:
            items = _entry_list(parse_json(text))
        except Unreadable as error:
            return [], 0, f"This file could not be read as a journal ({error})."
        if items is None:
            return [], 0, "This file is not a journal exported from this site."
        good = [e for e in items if valid(e)]
        if items and not good:
            return [], 0, "This file is not a journal exported from this site (none of its entries could be read)."
        return good, len(items) - len(good), ""
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


@dataclass
class Merge:
    """The outcome of adding entries to a journal, counted."""

    entries: list[Entry]
    added: int = 0
    duplicates: int = 0  # same id and same content as an entry already there: kept once
    conflicts: int = 0  # same id, different content: the entry already there is kept
    refused: int = 0  # new entries not added because the journal would pass MAX_ENTRIES


def merge(existing: list[Entry], incoming: list[Entry]) -> Merge:
    """Entries join the journal, all or none: if the new ones would take it past MAX_ENTRIES, none
    is added (`refused` counts them) and the journal is returned as it was."""
    by_id = {e["id"]: e for e in existing}
    fresh: list[Entry] = []
    duplicates = conflicts = 0
    for entry in incoming:
        there = by_id.get(entry["id"])
        if there is None:
            by_id[entry["id"]] = entry
            fresh.append(entry)
        elif _same(there, entry):
            duplicates += 1
        else:
            conflicts += 1
    if len(existing) + len(fresh) > MAX_ENTRIES:
        return Merge(list(existing), 0, duplicates, conflicts, refused=len(fresh))
    merged = sorted([*existing, *fresh], key=lambda e: e["saved_at"], reverse=True)
    return Merge(merged, len(fresh), duplicates, conflicts)


def _same(a: Entry, b: Entry) -> bool:
    return all(a.get(name, "") == b.get(name, "") for name in FIELDS)


def remove(entries: list[Entry], entry_id: str) -> list[Entry]:
    return [e for e in entries if e["id"] != entry_id]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def import_message(outcome: Merge, rejected: int, existing: int) -> str:
    """Every entry of the file accounted for: added, already there, clashing, unreadable, refused."""
    details = []
    if outcome.duplicates:
        details.append(f"{outcome.duplicates} {'was' if outcome.duplicates == 1 else 'were'} already in the journal")
    if outcome.conflicts:
        details.append(
            f"{_plural(outcome.conflicts, 'has', 'have')} the id of an entry already in the journal but different "
            f"content; the one already in the journal was kept"
        )
    if rejected:
        details.append(f"{rejected} could not be read")
    tail = "; ".join(details)
    if outcome.refused:
        total = existing + outcome.refused
        new = _plural(outcome.refused, "new entry", "new entries")
        head = (
            f"Nothing was imported: the file has {new} and the journal "
            f"holds {existing}, which would make {total}, over the limit of {MAX_ENTRIES}. {MAKE_ROOM} (at least "
            f"{total - MAX_ENTRIES}), then import the file again."
        )
        return head + (f" Also in the file: {tail}." if tail else "")
    head = f"Imported {_plural(outcome.added, 'entry', 'entries')}"
    return head + (f"; {tail}." if tail else ".")


# --- showing the journal -------------------------------------------------------------------------


def render(entries: list[Entry]) -> str:
    """The list's markup. Takes only entries valid() accepted; the optional fields may be missing."""
    if not entries:
        return f'<ol class="journal" data-out="journal"></ol><p class="journal-empty">{EMPTY}</p>'
    return f'<ol class="journal" data-out="journal">{"".join(_render_entry(e) for e in entries)}</ol>'


def _render_entry(e: Entry) -> str:
    entry_id = markup.escape(e["id"])
    saved_at = e["saved_at"]
    saved = markup.escape(saved_at[:16].replace("T", " "))
    parts = [
        f'<li data-entry-id="{entry_id}"><div class="journal-head">'
        f'<span class="verdict-badge verdict-{e["verdict"]}">{VERDICT_LABELS[e["verdict"]]}</span> '
        f'<time datetime="{markup.escape(saved_at)}">{saved} UTC</time>'
        f'<button type="button" class="journal-delete" data-action="delete" data-id="{entry_id}" '
        f'aria-label="Delete the entry saved {saved}">Delete</button></div>'
    ]
    if e.get("headline"):
        parts.append(f'<p class="journal-headline">{markup.escape(e["headline"])}</p>')
    for name, label in (
        ("wrong_if", "Wrong if"),
        ("invalidation_price", "Invalid at"),
        ("reason_to_wait", "Reason to wait"),
    ):
        if e.get(name):
            parts.append(f"<p><strong>{label}:</strong> {markup.escape(e[name])}</p>")
    parts.append("</li>")
    return "".join(parts)


def _escape(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


# --- the page's actions --------------------------------------------------------------------------


@dataclass
class Change:
    """What an action makes of the journal: the new entries, whether storage must be rewritten,
    the message when it was, and how to say it was not (`failed`, `grows`: whether making room helps)."""

    entries: list[Entry]
    changed: bool
    done: str
    failed: str = "Nothing was changed"
    grows: bool = False


def _add(found: Stored, request: dict) -> Change:
    entry = request.get("entry")
    if not valid(entry):
        return Change(found.entries, False, "This check could not be saved: it is not a journal entry.")
    outcome = merge(found.entries, [entry])
    if outcome.refused:
        done = (
            f"Not saved: the journal already holds {len(found.entries)} entries, and its limit is {MAX_ENTRIES}. "
            f"{MAKE_ROOM}, then check again."
        )
        return Change(found.entries, False, done)
    if outcome.duplicates or outcome.conflicts:
        return Change(found.entries, False, "This check is already in your journal.")
    return Change(outcome.entries, True, "Saved to your journal.", "Not saved", grows=True)


def _delete(found: Stored, request: dict) -> Change:
    kept = remove(found.entries, str(request.get("id", "")))
    if len(kept) == len(found.entries):
        return Change(found.entries, False, "That entry was already deleted.")
    return Change(kept, True, "Entry deleted.", "The entry was not deleted")


def _clear(found: Stored, request: dict) -> Change:
    return Change([], True, "Journal cleared.", "The journal was not cleared")


def _import(found: Stored, request: dict) -> Change:
    sent = request.get("text")
    incoming, rejected, problem = parse_import(sent if isinstance(sent, str) else "")
    if problem:
        return Change(found.entries, False, problem)
    outcome = merge(found.entries, incoming)
    message = import_message(outcome, rejected, len(found.entries))
    return Change(outcome.entries, outcome.added > 0, message, "Nothing was imported", grows=True)


def _load(found: Stored, request: dict) -> Change:
    return Change(found.entries, False, "")


ACTIONS = {"load": _load, "add": _add, "delete": _delete, "clear": _clear, "import": _import}


def respond(request: dict) -> dict:
    """The journal's storage actions, for the worker (see registry.SERVICES).

    The request carries `stored`, the text the page just read from storage under its lock. The
    answer says what to show (`html`, `message`) and, when storage must change, `write` (the new
    text) and `keep_aside` (first copy the text read, untouched, to a kept-aside key). If either
    write fails, the page changes nothing, shows `html_as_stored` and says `if_full`."""
    action = request.get("action")
    sent = request.get("stored")
    found = read_stored(sent if isinstance(sent, str) else None)
    if action == "export":
        return _export(found, request)
    act = ACTIONS.get(action) if isinstance(action, str) else None
    if act is None:
        return {"ok": False, "errors": {"_": "Unknown journal action."}}
    change = act(found, request)
    # Clearing deletes everything the key holds, readable or not, as the visitor asked; any other
    # change to a damaged journal first keeps the damaged text aside, and repairs it.
    repair = found.damaged and action != "clear"
    write = change.changed or repair
    message = change.done
    if repair:
        message = " ".join(part for part in (message, found.problem(kept_aside=True)) if part)
    response: dict = {
        "ok": True,
        "html": render(change.entries),
        "count": len(change.entries),
        "message": message,
        "write": dump(change.entries) if write else None,
        "keep_aside": repair,
    }
    if write:
        # The page keeps the damaged text aside before writing, and takes that copy back if the
        # write then fails: after any failure nothing was kept aside and nothing changed.
        if action == "load":
            response["if_full"] = found.problem(kept_aside=False)
        elif repair:
            response["if_full"] = f"{change.failed}. {found.problem(kept_aside=False)}"
        else:
            room = f" {MAKE_ROOM}." if change.grows else ""
            full = STORAGE_FULL_SENTENCE.lower()
            response["if_full"] = f"{change.failed}: {full}, so the journal is unchanged.{room}"
        response["html_as_stored"] = render(found.entries)
    return response


def _export(found: Stored, request: dict) -> dict:
    csv_wanted = request.get("format") == "csv"
    text = to_csv(found.entries) if csv_wanted else dump(found.entries)
    n = len(found.entries)
    message = f"Exported {_plural(n, 'entry', 'entries')} as {'CSV' if csv_wanted else 'JSON'}."
    if found.damaged:
        message += " What could not be read is not in the file."
    return {"ok": True, "text": text, "count": n, "message": message}
