"""The user's language: one switch read by every message catalogue and the code registry.

Reads: ``--lang`` (the CLI calls :func:`set_lang`) or the ``GAZETTE_LANG`` environment variable.
Guarantees: :func:`get_lang` is ``"zh"`` (zh-CN, the default) or ``"en"``; worker processes inherit it
through the environment (``set_lang`` also sets ``GAZETTE_LANG``).
"""

from __future__ import annotations

import os

LANGS = ("zh", "en")
_ENV = "GAZETTE_LANG"


def get_lang() -> str:
    """The language in force: ``zh`` unless ``en`` was chosen."""
    lang = os.environ.get(_ENV, "zh").strip().lower()[:2]
    return lang if lang in LANGS else "zh"


def set_lang(lang: str) -> None:
    """Choose the language for this process and the workers it starts."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}: {lang!r}")
    os.environ[_ENV] = lang


def pick(zh: str, en: str) -> str:
    """The text in the language in force."""
    return en if get_lang() == "en" else zh
