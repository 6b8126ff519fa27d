"""calculators.web.markup against the standard library it stands in for: escape against
html.escape, form_urlencode against urllib.parse.urlencode, and the rules they keep."""

import html
import json
import subprocess
import sys
from urllib.parse import parse_qsl, urlencode

import pytest
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


# Field names and values as the widgets send them, beside anything else Unicode has (no lone
# surrogates: UTF-8 cannot encode them, see below).
FORM_TEXT = st.text(alphabet=st.sampled_from(" +&=%#?/.-_~,;:") | st.characters(exclude_categories=["Cs"]), max_size=30)


@given(st.dictionaries(FORM_TEXT, FORM_TEXT, max_size=6))
def test_form_urlencode_is_urlencode_character_for_character(values):
    assert markup.form_urlencode(values) == urlencode(values)
    assert dict(parse_qsl(markup.form_urlencode(values), keep_blank_values=True)) == values


def test_form_urlencode_keeps_the_unreserved_characters_and_encodes_the_rest():
    # RFC 3986 section 2.3's unreserved set stays; a space is "+" (application/x-www-form-urlencoded);
    # anything else is each byte of its UTF-8 as %XX in capitals (RFC 3986 section 2.1).
    assert markup.form_urlencode({"entry_price": "60000.5", "side": "long"}) == "entry_price=60000.5&side=long"
    assert markup.form_urlencode({"a b": "c~d_e-f"}) == "a+b=c~d_e-f"
    assert markup.form_urlencode({"note": "1+1=2&3#?/%"}) == "note=1%2B1%3D2%263%23%3F%2F%25"
    assert markup.form_urlencode({"coin": "\u20ac\u00e9"}) == "coin=%E2%82%AC%C3%A9"
    assert markup.form_urlencode({}) == ""


def test_form_urlencode_refuses_a_lone_surrogate_as_urlencode_does():
    with pytest.raises(UnicodeEncodeError):
        urlencode({"x": "\ud800"})
    with pytest.raises(UnicodeEncodeError):
        markup.form_urlencode({"x": "\ud800"})


LEFT_OUT = ("html", "urllib", "ipaddress")


@pytest.fixture(scope="module")
def imported_after_every_action() -> dict[str, list[str]]:
    """{package: its modules loaded} after replaying every widget action (every widget's defaults and
    its hostile inputs) in one fresh interpreter."""
    from sitebuild.lean import actions

    code = (
        "import sys, json\n"
        "import calculators.web.api as api\n"
        "packages, texts = json.load(sys.stdin)\n"
        "for text in texts:\n"
        "    api.handle_json(text)\n"
        "print(json.dumps({p: sorted(m for m in sys.modules if m == p or m.startswith(p + '.')) for p in packages}))\n"
    )
    texts = json.dumps([LEFT_OUT, [a["text"] for a in actions()]])
    run = subprocess.run([sys.executable, "-c", code], input=texts, capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


@pytest.mark.parametrize("package", LEFT_OUT)
def test_no_widget_action_imports_the_package(package, imported_after_every_action):
    """The browser's runtime leaves `html` (and its 2,231-entry table), `urllib` and `ipaddress` out
    only if no action needs them."""
    assert imported_after_every_action[package] == []
