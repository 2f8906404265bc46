"""Paths and names the example and documentation tests share; programs run with ``testing.run_program``."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def documentation() -> dict[str, str]:
    """The README and every page of ``docs/``, by path relative to the repository."""
    pages = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
    return {str(page.relative_to(REPO)): page.read_text() for page in pages}


def doc_section(title: str) -> str:
    """The ``## title`` section of whichever page holds it (README or ``docs/``), up to the next ``## ``."""
    for text in documentation().values():
        start = text.find(f"\n## {title}")
        if start != -1:
            end = text.find("\n## ", start + 1)
            return text[start : end if end != -1 else None]
    raise AssertionError(f"no page has a section {title!r}")


API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"
