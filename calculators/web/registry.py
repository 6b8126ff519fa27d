"""Every in-page widget, one record each: what the worker's `api.handle`, the build-time macros,
the browser glue (through data attributes) and the tests all read.

Adding a widget = its module in this package (fields, compute, render and its `WIDGET` record),
one line in `MODULES` below, and `{{ widget("kind") }}` on its page.
"""

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import form

# kind -> module of this package. Modules are imported on first use, so a page's worker compiles
# only the Python its widgets need (Pyodide compiles every module it imports).
MODULES: Mapping[str, str] = {
    "liquidation": "liquidation",
    "ladder": "ladder",
    "pause": "pause",
    "quick": "quick",
    "steps": "steps",
    "lending": "lending",
}
# Requests that are not a form: the pause journal's storage actions (add, delete, import, ...).
SERVICES: Mapping[str, str] = {"journal": "journal"}

# What the browser glue can switch on for a widget (rendered as data-behaviours="..."):
BEHAVIOURS = {
    "live-on-start": "compute from the current inputs as soon as the runtime is ready",
    "share": "read the inputs from the URL fragment and keep the fragment up to date",
    "from-link": "read the inputs from the URL fragment (a position handed over by another widget)",
    "timed": "count the pause from the first answer; submit saves the verdict to the journal",
    "journal": "the journal list with its export, import and delete buttons",
    "scroll-mine": "scroll the visitor's own row (tr.mine) into view inside its table box",
    "keep-unchanged": "update the result in place, keeping the nodes whose markup did not change (the ladder's "
    "hundred rows: a leverage edit restyles two of them, not all)",
}


def _no_extras(answer: Any, request: dict, values: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Widget:
    kind: str
    title: str
    prefix: str  # the id prefix of its form fields ("liq" -> id="liq-leverage")
    fields: tuple[form.Field, ...]
    groups: Mapping[str, str]
    # The one compute contract: (the browser's strings, the whole request) -> (answer, field errors).
    compute: Callable[[dict, dict], tuple[Any, dict]]
    render: Callable[[Any], str]  # answer -> result markup
    extras: Callable[[Any, dict, dict], dict] = _no_extras  # more keys for the response
    placeholder: Callable[[], str] | None = None  # pre-rendered result when defaults are not computed
    behaviours: tuple[str, ...] = field(default=())
    # Fields whose change refills others (rendered as data-follows): the venue, whose own rate, fee
    # and contract `suggest` gives for the fields the visitor has not typed in.
    follows: tuple[str, ...] = ()
    # The page the widget lives on: links between widgets (calculators/web/handoff.py) are relative
    # to it, so the build refuses to place the widget anywhere else.
    page: str = ""
    suggest: Callable[[dict[str, str]], dict[str, str]] | None = None

    def __post_init__(self) -> None:
        unknown = set(self.behaviours) - set(BEHAVIOURS)
        if unknown:
            raise ValueError(f"{self.kind}: unknown behaviours {sorted(unknown)}")

    def defaults(self) -> dict[str, str]:
        return form.defaults(self.fields)

    def render_form(self, values: Mapping[str, str]) -> str:
        return form.render_fields(self.prefix, self.fields, dict(values), dict(self.groups))

    def respond(self, values: dict, request: dict) -> dict:
        filled = self.refill(values, request)
        values = {**values, **filled}
        answer, errors = self.compute(values, request)
        shown = {"fields": filled} if filled else {}  # the page puts these values into the form
        if errors:
            return {"ok": False, "errors": errors, **shown}
        return {"ok": True, "html": self.render(answer), "errors": {}, **shown, **self.extras(answer, request, values)}

    def refill(self, values: dict, request: dict) -> dict[str, str]:
        """When the request says a followed field changed (`refill`), the suggested values for the
        fields the visitor has not typed in (`touched`, a list of names)."""
        if self.suggest is None or request.get("refill") is not True:
            return {}
        touched = request.get("touched")
        typed = {name for name in touched if isinstance(name, str)} if isinstance(touched, list) else set()
        return {k: v for k, v in self.suggest(values).items() if k not in typed and values.get(k) != v}


def kinds() -> tuple[str, ...]:
    return tuple(MODULES)


def get(kind: str) -> Widget:
    """The widget's record (imports its module); KeyError for an unknown kind."""
    widget = importlib.import_module(f"{__package__}.{MODULES[kind]}").WIDGET
    if not isinstance(widget, Widget) or widget.kind != kind:
        raise TypeError(f"calculators.web.{MODULES[kind]}.WIDGET must be the {kind!r} Widget")
    return widget


def service(name: str) -> Callable[[dict], dict]:
    """A non-form request handler (KeyError for an unknown name)."""
    return importlib.import_module(f"{__package__}.{SERVICES[name]}").respond
