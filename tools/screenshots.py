"""Screenshots of built pages, as a visitor sees them: every page asked for, at 1280 and 390 px, in the
light and the dark palette, after the calculators have gone live.

    .venv/bin/python tools/screenshots.py --site site --out /tmp/shots "" calculators/ "calculators/#stop_price=56000"

Pages are site-relative URLs (a fragment hands a widget its inputs). The site is served under the base
path its `_headers` names, as `make serve` does. Nothing is written into the repository.
"""

import argparse
import pathlib
import re
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sitebuild import headers  # noqa: E402
from sitebuild.layout import BOOT_BUDGET_MS  # noqa: E402
from tools.chromium import launch  # noqa: E402
from tools.serve import make_server  # noqa: E402

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = {"light": "light", "dark": "dark"}


def base_path(site: pathlib.Path) -> str:
    rules = headers.read_rules(site)
    return rules[0][0].removesuffix("*") if rules else "/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--site", type=pathlib.Path, default=pathlib.Path("site"))
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("/tmp/ahamirror-shots"))
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    prefix = base_path(args.site)
    server = make_server(str(args.site), 0, verbose=False, prefix=prefix)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        for scheme in SCHEMES:
            for name, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                page = context.new_page()
                for path in args.pages:
                    page.goto(origin + path, wait_until="load")
                    if page.locator("[data-widget]").count():
                        page.wait_for_selector("[data-widget][data-runtime-state=ready]", timeout=BOOT_BUDGET_MS)
                        page.wait_for_timeout(300)
                    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = args.out / f"{slug}-{name}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=args.full)
                    print(target)
                context.close()
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
