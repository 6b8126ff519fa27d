"""Build-time adapters between `calculators` and the pages (mkdocs-macros `module_name: macros`).

Nothing here computes: figures and tables call `calculators`, this package only formats them
for Markdown and registers them as macros.
"""

import posixpath

from . import charts, faq, figures, newfigures, tables, widgets


def define_env(env):
    for function in figures.MACROS + tables.MACROS + charts.MACROS:
        env.macro(function)
    for function in newfigures.MACROS:
        env.macro(function)

    @env.macro
    def csv_link(text="Download the full table as CSV") -> str:
        """A link to the generated CSV, relative to the page that asks for it."""
        page_dir = posixpath.dirname(env.page.file.src_uri)
        return f"[{text}]({posixpath.relpath(tables.CSV_PATH, page_dir or '.')})"

    @env.macro
    def widget(kind: str) -> str:
        """An in-page calculator: "liquidation", "ladder" or "pause"."""
        return widgets.widget(kind, env.page.url)


def on_post_page_macros(env):
    """On pages marked `faq: true`, publish FAQPage JSON-LD built from the rendered page."""
    if env.page.meta.get("faq"):
        env.page.meta["faq_json_ld"] = faq.json_ld(env.markdown)
