"""The UI message catalogue: every word the site, the CLI and the exports show, per language.

Reads: ``pipeline/data/messages.<lang>.toml`` (one TOML file per language, sections ``cli``, ``export``,
``site``; a translator edits the quoted texts) and the language in force (:func:`pipeline.i18n.get_lang`).
Guarantees: :func:`msg` returns the text of the language in force, formatted with its keyword arguments;
a key missing in English falls back to Chinese; an unknown key raises ``KeyError`` (a bug, not user input).
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from pipeline.i18n import LANGS, get_lang

DATA = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat catalogue of ``lang``: ``"section.key"`` → text."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    raw = tomllib.loads((DATA / f"messages.{lang}.toml").read_text(encoding="utf-8"))
    return {f"{section}.{key}": str(text) for section, entries in raw.items() for key, text in entries.items()}


def msg(key: str, **values: object) -> str:
    """The text of ``key`` (``"cli.no_hit"`` …) in the language in force, with ``{placeholders}`` filled in."""
    table = catalogue(get_lang())
    text = table.get(key)
    if text is None:
        text = catalogue("zh")[key]
    return text.format(**values) if values else text
