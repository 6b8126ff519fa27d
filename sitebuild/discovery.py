"""What search engines read besides the pages: robots.txt pointing at the sitemap."""

import pathlib


def write_robots(site: pathlib.Path, site_url: str | None) -> None:
    sitemap = f"{site_url.rstrip('/')}/sitemap.xml" if site_url else "sitemap.xml"
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")
