"""calculators.web.markup.escape against the standard library's html.escape, the rules it keeps."""

import html
import json
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from calculators.web import markup

# Text rich in the five characters that change, beside anything else Unicode has.
SPECIAL = st.text(alphabet=st.sampled_from("&<>\"'a; #x27") | st.characters(), max_size=60)


@given(SPECIAL, st.booleans())
def test_escape_is_html_escape_character_for_character(text, quote):
    assert markup.escape(text, quote) == html.escape(text, quote)


def test_escaping_twice_escapes_the_ampersands_of_the_first_pass():
    # html.escape's own documented behaviour, written out: nothing is left unescaped or half-escaped.
    assert markup.escape('<a href="x">&amp;\'</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;amp;&#x27;&lt;/a&gt;"
    assert markup.escape(markup.escape("&")) == "&amp;amp;"
    assert markup.escape("\"'", quote=False) == "\"'"


def test_no_widget_action_imports_the_html_package():
    """The browser's runtime leaves `html` and its 2,231-entry table out only if no action needs them:
    every widget's defaults and its hostile inputs, in a fresh interpreter."""
    from sitebuild.lean import actions

    code = (
        "import sys, json\n"
        "import calculators.web.api as api\n"
        "for text in json.load(sys.stdin):\n"
        "    api.handle_json(text)\n"
        "print(sorted(m for m in sys.modules if m == 'html' or m.startswith('html.')))\n"
    )
    texts = json.dumps([a["text"] for a in actions()])
    run = subprocess.run([sys.executable, "-c", code], input=texts, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
