"""FAQPage structured data, read from the FAQ page's own headings and answers.

The questions are the page's `## ` headings and each answer is the Markdown up to the next
heading, after macros have rendered it. There is no second copy of the answers to drift.
"""

import html
import json
import re

import markdown

_MARKDOWN = markdown.Markdown(extensions=["abbr", "attr_list", "md_in_html"])  # one instance, reset per use
_HEADING = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)
_BLOCK_TAGS = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|br|div|table|tr|td|th|blockquote|pre)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def questions(rendered_markdown: str) -> list[tuple[str, str]]:
    """(question, answer as plain text) for every `## ` heading of the page."""
    found = list(_HEADING.finditer(rendered_markdown))
    pairs = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(rendered_markdown)
        # Stop at a deeper section break ("---") that closes the FAQ proper, if there is one.
        answer_md = rendered_markdown[match.end() : end].split("\n---\n")[0]
        pairs.append((_plain(match.group(1)), _plain(_MARKDOWN.reset().convert(answer_md))))
    return pairs


def json_ld(rendered_markdown: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in questions(rendered_markdown)
        ],
    }
    # "</" is escaped so no answer text can close the script element early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _plain(fragment: str) -> str:
    text = _MARKDOWN.reset().convert(fragment) if not fragment.lstrip().startswith("<") else fragment
    text = _TAGS.sub("", _BLOCK_TAGS.sub(" ", text))  # blocks become spaces; inline tags vanish
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
