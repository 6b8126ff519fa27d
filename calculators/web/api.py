"""The one entry point the browser's worker calls: JSON text in, JSON text out.

Requests are data. Whatever goes wrong inside, the visitor gets a plain sentence, never a
traceback; a field error names its field so the widget can show it next to that field. What
the request names is looked up in the widget registry (`registry.py`), never branched on here.
"""

import json
import traceback

from . import registry
from .form import clean
from .jsontext import MAX_DEPTH, nesting_depth

GENERIC = "Something went wrong inside the calculator. Your inputs are kept; try changing a value."
UNKNOWN = "Unknown widget."


def handle_json(request_text: str) -> str:
    try:
        if not isinstance(request_text, str) or nesting_depth(request_text) > MAX_DEPTH:
            raise ValueError  # a page sends flat requests; a deep one could end the runtime in json.loads
        request = json.loads(request_text)
        if not isinstance(request, dict):
            raise ValueError
    except (ValueError, RecursionError):
        return json.dumps({"ok": False, "errors": {"_": "The calculator received a malformed request."}})
    try:
        response = handle(request)
        return json.dumps(response, allow_nan=False)
    except Exception:  # the last line of defence: no traceback ever reaches a visitor...
        # ...but the developer gets it: the worker logs `debug` to its console and drops it.
        return json.dumps({"ok": False, "errors": {"_": GENERIC}, "debug": traceback.format_exc()})


def prepare(kind: str) -> bool:
    """Import the module of the widget `kind` ahead of its first request; False for a name that is no
    widget. The worker calls it while it waits for its last integrity check, with the kinds the page
    holds, so the first answer does not pay for the import."""
    if not isinstance(kind, str) or kind not in registry.MODULES:
        return False
    registry.get(kind)
    return True


def handle(request: dict) -> dict:
    if not isinstance(request, dict):
        return {"ok": False, "errors": {"_": "The calculator received a malformed request."}}
    kind = request.get("widget")
    if not isinstance(kind, str):
        return {"ok": False, "errors": {"_": UNKNOWN}}
    if kind in registry.SERVICES:
        return registry.service(kind)(request)
    if kind not in registry.MODULES:
        return {"ok": False, "errors": {"_": UNKNOWN}}
    return registry.get(kind).respond(clean(request.get("values")), request)
