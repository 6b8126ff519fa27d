"""JSON text read with care: how deep it nests, measured before `json.loads` sees it.

Python's parser recurses once per level, and under Pyodide a deep enough document overflows the
JavaScript stack and ends the runtime, not just the call: so depth is checked on the text first.
"""

import re

MAX_DEPTH = 50  # no request or journal this site writes comes near it
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deeply the brackets in JSON text nest, strings left out (a bracket inside a string
    is text). Counts only: it does not check the text is JSON."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
