"""The one wrapper around jieba: segmentation, keywords and index tokens.

No other module imports jieba. Nothing is loaded at import time: the first call of a public function builds
(once, ``functools.cache``) a private ``jieba.Tokenizer`` carrying a user dictionary generated from
``pipeline/data/units.tsv`` (every unit name with its level prefixes, and the unit suffixes) and warms it.
jieba's global tokenizer is never changed. The prefix dictionary (jieba's own plus the user words) is kept in a
cache file of ours, read in one piece (jieba's own cache is unmarshalled from the open file, object by object:
0.8 s against 0.2 s for the same bytes); its name carries a hash of everything it is built from. spaCy is not used: a blank ``zh`` pipeline with an EntityRuler over
the same vocabulary was slower and found less than the vocabulary match of ``pipeline.tables.units`` (figures in
the CHANGELOG).
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import marshal
import math
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.grammar.width import half_parens
from pipeline.tables.units import DATA_DIR, load_vocabulary

STOPWORDS_TXT = DATA_DIR / "stopwords.txt"
_UNIT_FREQ = 200_000  # high enough that a unit name beats the split jieba's own dictionary would make
_NUMERIC = re.compile(r"^[\d０-９.．,，%％]+$")
_WORD = re.compile(r"\w")


def user_dictionary_lines() -> list[str]:
    """The jieba user dictionary generated from the unit vocabulary: ``"word freq nt"`` lines, sorted.

    Every unit name known to the vocabulary (levels expanded, brackets in both widths), plus the department
    suffixes (so 分局, 办公室 stay whole). Pure: reads only ``units.tsv``.
    """
    words = set(_unit_names()) | set(load_vocabulary().suffixes)
    return [f"{w} {_UNIT_FREQ} nt" for w in sorted(words) if w and " " not in w]


def _unit_names() -> list[str]:
    """Every vocabulary unit name, with half-width bracket variants (各镇(街道)) beside the full-width ones."""
    names = load_vocabulary().full_names()
    return sorted(set(names) | {half_parens(n) for n in names})


def _import_jieba() -> Any:
    """jieba, imported without ``pkg_resources`` (setuptools' deprecated resource API, 0.1–0.4 s to import,
    which jieba only uses to open its own dictionary file): jieba then opens the same file by its path."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba's fallback
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    return jieba


@functools.cache
def _tokenizer() -> Any:
    """The private jieba tokenizer with the unit user dictionary, initialised and warmed once."""
    return build_tokenizer(Path(tempfile.gettempdir()))


def build_tokenizer(cache_dir: Path) -> Any:
    """A jieba tokenizer with the unit user dictionary, its prefix dictionary read from (or, the first time,
    built by jieba and written to) the cache file in ``cache_dir``; warmed."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()  # jieba's own cache, used when ours is built
    lines = user_dictionary_lines()
    cache = prefix_cache_path(cache_dir, lines)
    if not _read_prefix_cache(tok, cache):
        tok.initialize()
        tok.load_userdict(io.StringIO("\n".join(lines)))
        _write_prefix_cache(tok, cache)
    tok.lcut("区发展和改革局牵头，各镇（街道）按职能分工落实。")  # warm the prefix dictionary and HMM
    return tok


def prefix_cache_path(cache_dir: Path, lines: list[str]) -> Path:
    """The cache file of the tokenizer's prefix dictionary in ``cache_dir``: named by a hash of jieba's version
    and dictionary file (path, size, modification time), the user dictionary ``lines`` and the Python version
    (marshal's format)."""
    jieba = _import_jieba()
    dict_file = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME  # the tokenizer's: the default one
    stat = dict_file.stat()
    key = hashlib.sha256()
    for part in (jieba.__version__, str(dict_file), stat.st_size, stat.st_mtime_ns, sys.version_info[:2], *lines):
        key.update(f"{part}\n".encode())
    return cache_dir / f"gazette-jieba-{key.hexdigest()[:16]}.cache"


def _read_prefix_cache(tok: Any, path: Path) -> bool:
    """Fill ``tok`` from the cache file (what ``initialize`` and ``load_userdict`` would give); False when the
    file is missing or not what it should be (it is then rebuilt)."""
    try:
        freq, total, tags = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not (isinstance(freq, dict) and isinstance(total, int) and isinstance(tags, dict)):
        return False
    tok.FREQ, tok.total, tok.user_word_tag_tab = freq, total, tags
    tok.initialized = True
    return True


def _write_prefix_cache(tok: Any, path: Path) -> None:
    """Write the cache file atomically (a temporary file renamed over it); a directory that cannot be written
    only costs the next process the full build."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            marshal.dump((tok.FREQ, tok.total, tok.user_word_tag_tab), out)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


@functools.cache
def _stopwords() -> frozenset[str]:
    lines = Path(STOPWORDS_TXT).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


UNKNOWN_WORD_FREQ = 5  # dictionary frequency assumed for words jieba's dictionary does not know


def _idf(word: str) -> float:
    """Inverse document frequency proxy from jieba's dictionary frequencies: rare words weigh more.

    jieba's own TF-IDF extractor would load its part-of-speech tables and IDF file (seconds per process);
    the dictionary the tokenizer already holds gives the same ordering for gazette text.
    """
    tok = _tokenizer()
    freq = tok.FREQ.get(word) or UNKNOWN_WORD_FREQ
    return math.log(tok.total / freq)


def warm() -> None:
    """Build the tokenizer now (worker start-up), so the first document does not pay for it."""
    _tokenizer()


def segment(text: str) -> list[str]:
    """Segment Chinese text into words (jieba precise mode, unit names kept whole).

    Reads any text. Returns the tokens in order, whitespace-only tokens dropped; ``"".join`` of the result
    equals the text without its whitespace. Never raises.
    """
    if not text:
        return []
    return [t for t in _tokenizer().lcut(text, HMM=True) if t.strip()]


def _is_keyword(word: str) -> bool:
    return len(word) > 1 and _NUMERIC.match(word) is None and _WORD.search(word) is not None


def keywords(text: str, topk: int = 8) -> list[str]:
    """The ``topk`` keywords of a text (TF-IDF over our jieba segmentation, gazette stop words removed).

    Reads any text. Returns at most ``topk`` distinct words, most relevant first; no single characters,
    no numbers, no stop words. Never raises; an empty text gives ``[]``.
    """
    if not text or topk <= 0:
        return []
    stop = _stopwords()
    counts = Counter(w for w in _tokenizer().lcut(text, HMM=True) if _is_keyword(w) and w not in stop)
    scored = sorted(counts, key=lambda w: (-counts[w] * _idf(w), w))
    return scored[:topk]


def tokens_for_index(text: str) -> list[str]:
    """Tokens for a full-text (FTS5) index: jieba search mode, so long words also yield their parts.

    Reads any text. Returns the tokens in order (whitespace and punctuation-only tokens dropped). Never
    raises.
    """
    if not text:
        return []
    return [t for t in _tokenizer().lcut_for_search(text) if t.strip() and _WORD.search(t)]
