"""The in-page calculators' HTML, pre-rendered at build time.

The initial result comes from `calculators.web.api.handle`, the very function the browser's
worker calls later, so the page shows correct results with JavaScript off and the first live
result replaces identical markup.
"""

import importlib
import posixpath

from calculators.web import api

from . import runtime

WORKER = "assets/javascripts/calc-worker.mjs"
SERVICE_WORKER = "sw.js"
KINDS = ("liquidation", "ladder", "pause")
TITLES = {"liquidation": "Liquidation calculator", "ladder": "Leverage ladder", "pause": "Pause check"}
STARTING = (
    "The results below were computed for the default inputs when this page was built. "
    "The live calculator starts when you use the form; it runs in your browser and sends nothing anywhere."
)


def widget(kind: str, page_url: str) -> str:
    """`page_url` is the page's site-relative URL ("calculators/"): raw HTML attributes are
    resolved by the browser against it, not against the Markdown file's path."""
    if kind not in KINDS:
        raise ValueError(f"unknown widget {kind!r}: use one of {', '.join(KINDS)}")
    module = importlib.import_module(f"calculators.web.{kind}")  # only what this page shows
    values = module.defaults()
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    rel = lambda target: posixpath.relpath(target, base or ".")
    if kind == "pause":
        result = module.render_waiting()
        extra = _journal_section()
        submit = '<div class="form-actions"><button type="submit" class="md-button md-button--primary">Check my answers</button></div>'
    else:
        response = api.handle({"widget": kind, "values": values})
        assert response["ok"], f"default inputs of the {kind} widget must compute: {response['errors']}"
        result, extra, submit = response["html"], "", ""
    return (
        f'<div class="widget" data-widget="{kind}" data-runtime="{rel(runtime.runtime_dir())}/" data-worker="{rel(WORKER)}" data-sw="{rel(SERVICE_WORKER)}">'
        f'<form class="widget-form" novalidate aria-label="{TITLES[kind]}">{module.render_form(values)}'
        f'<p class="field-error form-error" data-error-for="_" role="alert"></p>{submit}</form>'
        f'<div class="widget-status" data-status role="status" aria-live="polite">'
        f'<progress data-progress hidden max="3" value="0" aria-label="Starting the calculator"></progress>'
        f"<span data-status-text>{STARTING}</span></div>"
        f'<noscript><p class="widget-noscript">JavaScript is off, so this calculator cannot update; the result below is for the default inputs.</p></noscript>'
        f'<section class="widget-result" data-result aria-live="polite" aria-label="{TITLES[kind]} result">{result}</section>'
        f"{extra}</div>"
    )


def _journal_section() -> str:
    return (
        '<section class="journal-section" aria-label="Your pause journal"><h3 class="journal-title">Your pause journal</h3>'
        '<p class="journal-note">Saved in this browser only (local storage). Nothing is sent anywhere.</p>'
        '<div class="journal-tools">'
        '<button type="button" class="md-button" data-action="export-json">Export JSON</button>'
        '<button type="button" class="md-button" data-action="export-csv">Export CSV</button>'
        '<label class="md-button journal-import">Import JSON or CSV<input type="file" accept=".json,.csv,application/json,text/csv" data-action="import" class="visually-hidden"></label>'
        '<button type="button" class="md-button" data-action="clear">Delete all</button></div>'
        '<p class="journal-status" data-journal-status role="status" aria-live="polite"></p>'
        f"<div data-journal>{importlib.import_module('calculators.web.journal').render([])}</div></section>"
    )
