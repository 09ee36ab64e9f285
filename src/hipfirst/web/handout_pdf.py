"""The patient handout as a PDF: a Jinja template rendered by WeasyPrint.

WeasyPrint never reaches the network: its URL fetcher serves the exercise pictures
(``/exercises/{id}.svg``, drawn by :mod:`hipfirst.application.exercise_pictures`) and the
handout's stylesheet, and refuses every other address as a fatal error, so a handout never
goes out with a missing picture. The PDF is tagged (PDF/UA structure: headings, lists and a
``Figure`` with its alternative text per picture), which also lets tests find the pictures.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from hipfirst.application.exercise_pictures import exercise_picture
from hipfirst.application.handouts import Handout
from hipfirst.web.dates import long_date
from hipfirst.web.templating import templates

STATIC_DIR = Path(__file__).resolve().parent / "static"
BASE_URL = "https://handout.hipfirst.invalid/"
"""Where the template's relative addresses resolve to (``.invalid`` never resolves)."""
STYLESHEETS = frozenset({"handout.css"})
PICTURES = "exercises/"


class HandoutFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serves the pictures and the stylesheet from this process; refuses anything else."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = url.removeprefix(BASE_URL) if url.startswith(BASE_URL) else None
        if path is not None and path.startswith(PICTURES) and path.endswith(".svg"):
            picture = exercise_picture(path.removeprefix(PICTURES).removesuffix(".svg"))
            if picture is not None:
                headers_out = {"Content-Type": "image/svg+xml"}
                return URLFetcherResponse(url, picture.svg.encode("utf-8"), headers_out)
        if path is not None and path.removeprefix("static/") in STYLESHEETS:
            css = (STATIC_DIR / path.removeprefix("static/")).read_bytes()
            return URLFetcherResponse(url, css, {"Content-Type": "text/css"})
        raise FatalURLFetchingError(f"the handout may only use its own pictures and style: {url}")


def handout_html(handout: Handout) -> str:
    template = templates.env.get_template("programmes/handout.html")
    return template.render(h=handout, day=long_date)


def handout_pdf(handout: Handout) -> bytes:
    """The handout as PDF bytes (A4, tagged)."""
    document = HTML(string=handout_html(handout), base_url=BASE_URL, url_fetcher=HandoutFetcher())
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
