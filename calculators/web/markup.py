"""Escaping text for HTML, without importing the standard library's `html` package.

`html` imports `html.entities` at once (for `unescape`, which the widgets never call): a table of
2,231 named character references that the browser would download as part of the runtime and build
at every start. The widgets only escape, and escaping is five replacements.
"""


def escape(text: str, quote: bool = True) -> str:
    """`html.escape`, to the character: &, <, > always; " and ' too unless `quote` is false."""
    text = text.replace("&", "&amp;")  # first, so the entities written below stay as they are
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text
