"""Write exercise pictures to a folder: the SVG of each, and (``--png``) a PNG rendered by
Debian's Chromium (``/usr/bin/chromium``, driven by Playwright, as in the browser tests),
plus ``sheet.png``, all pictures on one page, for looking over a change at a glance.

Usage::

    .venv/bin/python scripts/exercise_pictures.py OUT_DIR [EXERCISE_ID ...] [--png]

Without ids every exercise is drawn. The sample pictures in ``docs/images/`` were made
with ``--png`` (2x resolution) and kept as ``docs/images/exercise-<id>.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hipfirst.application.exercise_pictures import exercise_picture
from hipfirst.knowledge.loader import knowledge_base

CHROMIUM = Path("/usr/bin/chromium")
COLUMNS = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("ids", nargs="*", help="exercise ids (default: all)")
    parser.add_argument("--png", action="store_true", help="also render PNGs with Chromium")
    args = parser.parse_args()
    ids = args.ids or sorted(knowledge_base().exercises)
    args.out.mkdir(parents=True, exist_ok=True)
    for exercise_id in ids:
        picture = exercise_picture(exercise_id)
        if picture is None:
            parser.error(f"no exercise {exercise_id!r} in the library")
        (args.out / f"{exercise_id}.svg").write_text(picture.svg, encoding="utf-8")
    if args.png:
        render_pngs(args.out, ids)


def render_pngs(folder: Path, ids: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    cells = "".join(
        f'<figure><img src="{i}.svg" width="400" height="300"><figcaption>{i}</figcaption></figure>'
        for i in ids
    )
    layout = (
        "<style>body{margin:0;display:grid;grid-template-columns:repeat(4,400px);gap:4px;"
        "font:12px sans-serif}figure{margin:0;border:1px solid #ccc}</style>"
    )
    (folder / "sheet.html").write_text(layout + cells, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 400, "height": 300}, device_scale_factor=2)
        for exercise_id in ids:
            page.goto((folder / f"{exercise_id}.svg").resolve().as_uri())
            page.screenshot(path=str(folder / f"{exercise_id}.png"))
        sheet = browser.new_page(viewport={"width": COLUMNS * 404, "height": 400})
        sheet.goto((folder / "sheet.html").resolve().as_uri())
        sheet.screenshot(path=str(folder / "sheet.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
