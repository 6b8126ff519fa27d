"""Escaping text for HTML, and values for a link's fragment, without the standard library's `html`
and `urllib.parse` packages.

`html` imports `html.entities` at once (for `unescape`, which the widgets never call): a table of
2,231 named character references that the browser would download as part of the runtime and build
at every start. The widgets only escape, and escaping is five replacements.

`urllib.parse` imports `ipaddress` at once (for URLs whose host is an address, which a fragment
never has) and compiles its patterns: without them the calculator's first import takes 26-35 ms
under Node instead of 62-86, and about 60 ms less in a page, for one call that form-encodes a few
fields.
"""

# What form encoding keeps as it is (`urllib.parse.quote_plus`'s always-safe set, RFC 3986's
# unreserved characters); a space becomes "+", anything else each byte of its UTF-8 as %XX.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


def escape(text: str, quote: bool = True) -> str:
    """`html.escape`, to the character: &, <, > always; " and ' too unless `quote` is false."""
    text = text.replace("&", "&amp;")  # first, so the entities written below stay as they are
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text


def _form_quote(text: str) -> str:
    return "".join(
        char if char in _UNRESERVED else "+" if char == " " else "".join(f"%{byte:02X}" for byte in char.encode())
        for char in text
    )


def form_urlencode(values: dict[str, str]) -> str:
    """`urllib.parse.urlencode` of a dict of strings, to the character (a lone surrogate raises
    UnicodeEncodeError there as here): what a URL fragment carries, read back by URLSearchParams."""
    return "&".join(f"{_form_quote(name)}={_form_quote(value)}" for name, value in values.items())
