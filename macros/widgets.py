"""The in-page calculators' HTML, pre-rendered at build time.

The initial result comes from the widget's own record (`calculators.web.registry`), the same
code the browser's worker runs later, so the page shows correct results with JavaScript off and
the first live result replaces identical markup. Everything the browser glue needs to know about
a widget arrives here as data attributes; widgets.mjs has no per-widget branches.
"""

import html
import json
import posixpath

from calculators.web import journal, registry
from sitebuild import layout, offline, runtime

# What the status says as built: true whether or not the widget code ever runs (a host that lost
# widgets.mjs, a blocked script). widgets.mjs replaces it with WAITING once it is there to start Python.
AS_BUILT = (
    "The results below were computed for the default inputs when this page was built. "
    "The live calculator is unavailable until this page's calculator code has loaded."
)
WAITING = (
    "The results below were computed for the default inputs when this page was built. "
    "The live calculator starts when you use the form; it runs in your browser and sends nothing anywhere."
)


class WidgetBuildError(RuntimeError):
    """A widget that cannot be pre-rendered fails the build (strict, like a broken link)."""


def widget(kind: str, page_url: str) -> str:
    """`page_url` is the page's site-relative URL ("calculators/"): raw HTML attributes are
    resolved by the browser against it, not against the Markdown file's path."""
    if kind not in registry.MODULES:
        raise WidgetBuildError(f"unknown widget {kind!r}: use one of {', '.join(registry.kinds())}")
    record = registry.get(kind)
    if record.page and page_url != record.page:
        raise WidgetBuildError(f"the {kind} widget lives on {record.page!r} (its links assume it), not {page_url!r}")
    values = record.defaults()
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)

    def rel(target: str) -> str:
        return posixpath.relpath(target, base or ".")

    if record.placeholder is not None:
        result = record.placeholder()
    else:
        response = record.respond(values, {"widget": kind})
        if not response["ok"]:
            raise WidgetBuildError(f"default inputs of the {kind} widget must compute: {response['errors']}")
        result = response["html"]
    timed = "timed" in record.behaviours
    submit = (
        '<div class="form-actions"><button type="submit" class="md-button md-button--primary">'
        "Check my answers</button></div>"
        if timed
        else ""
    )
    extra = _journal_section() if "journal" in record.behaviours else ""
    attributes = {
        "data-widget": kind,
        "data-behaviours": " ".join(record.behaviours),
        "data-follows": " ".join(record.follows),
        "data-runtime": f"{rel(runtime.runtime_dir())}/",
        "data-worker": rel(layout.WORKER),
        "data-lockfile": layout.LOCKFILE,
        "data-stdlib": layout.STDLIB,
        "data-sw": rel(layout.SERVICE_WORKER),
        "data-boot-budget-ms": str(layout.BOOT_BUDGET_MS),
        "data-failures": json.dumps(layout.RUNTIME_FAILURES),  # why it could not start, by kind
        "data-pages-cache": offline.PAGES_CACHE,
    }
    if extra:
        attributes["data-journal-key"] = journal.STORAGE_KEY
    attrs = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items())
    title = html.escape(record.title)
    return (
        f'<div class="widget" {attrs}>'
        f'<form class="widget-form" novalidate aria-label="{title}">{record.render_form(values)}'
        f'<p class="field-error form-error" data-error-for="_" role="alert"></p>{submit}</form>'
        f'<div class="widget-status" data-status role="status" aria-live="polite">'
        f'<progress data-progress hidden max="{layout.PROGRESS_STEPS}" value="0" '
        f'aria-label="Starting the calculator"></progress>'
        f'<span data-status-text data-waiting="{html.escape(WAITING)}">{AS_BUILT}</span></div>'
        f'<noscript><p class="widget-noscript">JavaScript is off, so this calculator cannot update; '
        f"the result below is for the default inputs.</p></noscript>"
        f'<section class="widget-result" data-result aria-live="polite" aria-label="{title} result">{result}</section>'
        f"{extra}</div>"
    )


def _journal_section() -> str:
    return (
        '<section class="journal-section" aria-label="Your pause journal">'
        '<h3 class="journal-title">Your pause journal</h3>'
        '<p class="journal-note">Saved in this browser only (local storage). Nothing is sent anywhere.</p>'
        '<div class="journal-tools">'
        '<button type="button" class="md-button" data-action="export-json">Export JSON</button>'
        '<button type="button" class="md-button" data-action="export-csv">Export CSV</button>'
        '<label class="md-button journal-import">Import JSON or CSV<input type="file" '
        'accept=".json,.csv,application/json,text/csv" data-action="import" class="visually-hidden"></label>'
        '<button type="button" class="md-button" data-action="clear">Delete all</button></div>'
        '<p class="journal-status" data-journal-status role="status" aria-live="polite"></p>'
        f"<div data-journal>{journal.render([])}</div></section>"
    )
