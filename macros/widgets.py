"""The in-page calculators' HTML, pre-rendered at build time.

The initial result comes from the widget's own record (`calculators.web.registry`), the same
code the browser's worker runs later, so the page shows correct results with JavaScript off and
the first live result replaces identical markup. Everything the browser glue needs to know about
a widget arrives here as data attributes; widgets.mjs has no per-widget branches.
"""

import html
import json
import pathlib
import posixpath
from collections.abc import Iterable

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


# The head tag that carries the runtime's settings for the early start (see `early_start_tags`).
EARLY_START_META = "ahamirror-runtime"
EARLY_START_SCRIPT = (pathlib.Path(__file__).resolve().parent.parent / "sitebuild" / "early_start.js").read_text(
    encoding="utf-8"
)


class WidgetBuildError(RuntimeError):
    """A widget that cannot be pre-rendered fails the build (strict, like a broken link)."""


def _relative(target: str, page_url: str) -> str:
    """`target` (site-relative) as seen from the page at `page_url`."""
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    return posixpath.relpath(target, base or ".")


def _attribute_text(attributes: dict[str, str]) -> str:
    return " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items())


def runtime_attributes(page_url: str) -> dict[str, str]:
    """Where the runtime lives and how long it may take to start, for widgets.mjs; the same on
    every widget root and on the page's early-start tag (`early_start_tags`)."""
    return {
        "data-runtime": f"{_relative(runtime.runtime_dir(), page_url)}/",
        "data-worker": _relative(layout.WORKER, page_url),
        "data-lockfile": layout.LOCKFILE,
        "data-stdlib": layout.STDLIB,
        "data-sw": _relative(layout.SERVICE_WORKER, page_url),
        "data-boot-budget-ms": str(layout.BOOT_BUDGET_MS),
        "data-failures": json.dumps(layout.RUNTIME_FAILURES),  # why it could not start, by kind
        "data-pages-cache": offline.PAGES_CACHE,
    }


def early_start_tags(page_url: str, kinds: Iterable[str] = ()) -> tuple[str, str]:
    """For the <head> of a page with widgets, (start, module):
    - start: the runtime's settings and the inline script that starts the worker with them while
      the rest of the (long) page is parsed (sitebuild/early_start.js). It goes before the page's
      stylesheets (sitebuild/mkdocs_hooks.py): a classic script waits for every style sheet above it
      to arrive, and the worker needs none of them.
    - module: widgets.mjs as an async module, so it takes the worker over early. The same module at
      the end of <body> (every page, for instant navigation) is the same module instance: a browser
      evaluates a module URL once.
    `kinds`: the widgets on the page, in order (data-widgets), which the worker imports while its last
    integrity check ends. The inline script's sha256 reaches the Content-Security-Policy like any other."""
    script = _relative(layout.WIDGETS, page_url)
    settings = {**runtime_attributes(page_url), "data-widgets": " ".join(dict.fromkeys(kinds))}
    start = f'<meta name="{EARLY_START_META}" {_attribute_text(settings)}><script>{EARLY_START_SCRIPT}</script>'
    return start, f'<script type="module" async src="{html.escape(script)}"></script>'


def widget(kind: str, page_url: str) -> str:
    """`page_url` is the page's site-relative URL ("calculators/"): raw HTML attributes are
    resolved by the browser against it, not against the Markdown file's path."""
    if kind not in registry.MODULES:
        raise WidgetBuildError(f"unknown widget {kind!r}: use one of {', '.join(registry.kinds())}")
    record = registry.get(kind)
    if record.page and page_url != record.page:
        raise WidgetBuildError(f"the {kind} widget lives on {record.page!r} (its links assume it), not {page_url!r}")
    values = record.defaults()
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
        **runtime_attributes(page_url),
    }
    if extra:
        attributes["data-journal-key"] = journal.STORAGE_KEY
    attrs = _attribute_text(attributes)
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
