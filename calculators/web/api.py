"""The one entry point the browser's worker calls: JSON text in, JSON text out.

Requests are data. Whatever goes wrong inside, the visitor gets a plain sentence, never a
traceback; a field error names its field so the widget can show it next to that field.
"""

import importlib
import json

from .form import clean

GENERIC = "Something went wrong inside the calculator. Your inputs are kept; try changing a value."


def handle_json(request_text: str) -> str:
    try:
        request = json.loads(request_text)
        if not isinstance(request, dict):
            raise ValueError
    except ValueError:
        return json.dumps({"ok": False, "errors": {"_": "The calculator received a malformed request."}})
    try:
        response = handle(request)
    except Exception:  # the last line of defence: no traceback ever reaches a visitor
        response = {"ok": False, "errors": {"_": GENERIC}}
    return json.dumps(response, allow_nan=False)


def _widget(name: str):
    """Widget modules load on first use: a page compiles only the Python its widgets need, which
    shortens the in-browser start (Pyodide compiles every module it imports)."""
    return importlib.import_module(f"{__package__}.{name}")


def handle(request: dict) -> dict:
    widget = request.get("widget")
    values = clean(request.get("values"))
    if widget == "liquidation":
        liquidation = _widget("liquidation")
        result, check, errors = liquidation.compute(values)
        return _answer(errors, lambda: liquidation.render_result(result, check))
    if widget == "ladder":
        ladder = _widget("ladder")
        computed, errors = ladder.compute(values)
        return _answer(errors, lambda: ladder.render_result(computed))
    if widget == "pause":
        return _pause(request, values)
    if widget == "journal":
        return _journal(request)
    return {"ok": False, "errors": {"_": "Unknown widget."}}


def _answer(errors: dict, render) -> dict:
    if errors:
        return {"ok": False, "errors": errors}
    return {"ok": True, "html": render(), "errors": {}}


def _pause(request: dict, values: dict) -> dict:
    seconds = request.get("seconds_paused", 0)
    seconds = seconds if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else 0
    pause, journal = _widget("pause"), _widget("journal")
    result, errors = pause.compute(values, seconds)
    if errors:
        return {"ok": False, "errors": errors}
    response = {
        "ok": True,
        "html": pause.render_result(result),
        "errors": {},
        "verdict": result.verdict,
        "seconds_remaining": result.seconds_remaining,
    }
    if request.get("save") and result.verdict != "pause":
        response["entry"] = journal.make_entry(
            str(request.get("id", "")), str(request.get("saved_at", "")), values, result.verdict, result.headline
        )
    return response


def _journal(request: dict) -> dict:
    journal = _widget("journal")
    action = request.get("action")
    if action == "load":
        entries, problem = journal.load(request.get("stored") if isinstance(request.get("stored"), str) else None)
        return {
            "ok": True,
            "entries": entries,
            "problem": problem,
            "stored": journal.dump(entries),
            "html": journal.render(entries),
        }
    entries, _ = journal.load(journal.dump(request.get("entries") or []))
    if action == "add":
        entry = request.get("entry")
        entries = journal.merge(entries, [entry] if journal.valid(entry) else [])
    elif action == "delete":
        entries = journal.remove(entries, str(request.get("id", "")))
    elif action == "clear":
        entries = []
    elif action == "export":
        text = journal.to_csv(entries) if request.get("format") == "csv" else journal.dump(entries)
        return {"ok": True, "text": text}
    elif action == "import":
        text = request.get("text") if isinstance(request.get("text"), str) else ""
        incoming, rejected, problem = journal.parse_import(text)
        if problem:
            return {"ok": False, "errors": {"_": problem}}
        before = len(entries)
        entries = journal.merge(entries, incoming)
        added = len(entries) - before
        message = (
            f"Imported {added} entr{'y' if added == 1 else 'ies'}"
            + (f"; {rejected} could not be read" if rejected else "")
            + "."
        )
        return {
            "ok": True,
            "entries": entries,
            "stored": journal.dump(entries),
            "html": journal.render(entries),
            "message": message,
        }
    else:
        return {"ok": False, "errors": {"_": "Unknown journal action."}}
    return {"ok": True, "entries": entries, "stored": journal.dump(entries), "html": journal.render(entries)}
