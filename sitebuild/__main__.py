"""`python -m sitebuild SITE_DIR [--config mkdocs.yml]`: the post-build step, without MkDocs' hooks."""

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild", description=__doc__)
    parser.add_argument("site_dir", type=pathlib.Path)
    parser.add_argument("--config", type=pathlib.Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args(argv)
    from mkdocs.config import load_config

    from . import post_build

    site_url = load_config(str(args.config)).site_url  # resolves !ENV SITE_URL as MkDocs does
    policy = post_build(args.site_dir, site_url)
    print(f"sitebuild: runtime, service worker, robots.txt and policy written into {args.site_dir} ({site_url})")
    print(f"Content-Security-Policy: {policy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
