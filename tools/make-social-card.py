"""Render docs/assets/social-card.png (1200x630), the image forums show in link previews.

Run by hand when the brand changes: `.venv/bin/python tools/make-social-card.py`. The card is
plain HTML rendered by Debian's Chromium, so it needs no design tool and no web font.
"""

import pathlib
import tempfile

from playwright.sync_api import sync_playwright

OUT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "assets" / "social-card.png"
CARD = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; width: 1200px; height: 630px; font-family: "DejaVu Sans", sans-serif;
       background: linear-gradient(135deg, #00695c, #004d40); color: #fff; display: flex; }
.wrap { margin: auto 90px; }
.brand { font-size: 40px; letter-spacing: .04em; opacity: .9; }
h1 { font-size: 92px; margin: 10px 0 24px; line-height: 1; }
p { font-size: 34px; max-width: 950px; line-height: 1.35; margin: 0; opacity: .95; }
.line { width: 180px; height: 10px; background: #ffab91; border-radius: 5px; margin: 36px 0 0; }
</style></head><body><div class="wrap"><div class="brand">ahamirror</div><h1>Leverage optimism</h1>
<p>What crypto liquidation means, how the price is computed, and the pause before the next order.</p>
<div class="line"></div></div></body></html>"""


def main():
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as page_file:
        page_file.write(CARD)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.goto(pathlib.Path(page_file.name).as_uri())
        page.screenshot(path=str(OUT))
        browser.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
