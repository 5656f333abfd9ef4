"""The one wrapper around jieba: segmentation, keywords and index tokens.

No other module imports jieba. Nothing is loaded at import time: the first call of a public function builds
(once, ``functools.cache``) a private ``jieba.Tokenizer`` carrying a user dictionary generated from
``pipeline/data/units.tsv`` (every unit name with its level prefixes, and the unit suffixes) and warms it.
jieba's global tokenizer is never changed. The prefix dictionary (jieba's own plus the user words) is kept in a
cache file of ours, in shards loaded by the texts the tokenizer is given (``Lexicon``): about 0.1 s for the sample
issue (34,497 of the 503,005 entries reached) and 40 MB less memory, against 0.8 s for jieba's whole cache, which
jieba unmarshals from the open file object by object; the file's name carries a hash of everything it is built
from. spaCy is not used: a blank ``zh`` pipeline with an EntityRuler over the same vocabulary was slower and found
less than the vocabulary match of ``pipeline.tables.units`` (figures in the CHANGELOG).
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
import threading
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


class Lexicon:
    """A jieba tokenizer whose prefix dictionary is loaded by the texts it is given.

    jieba looks up only substrings of the text it cuts (the DAG, the route, the HMM's joins, search mode's 2- and
    3-grams), and ``_idf`` the words cut from it: every lookup starts at a character of the text and, when longer
    than one character, with a pair of adjacent characters of it. The cache file keeps the dictionary in shards
    by first character and, inside, by second character (``""``: the character alone); ``ready(text)`` loads the
    shards of the text's characters and pairs before the tokenizer sees the text, so each lookup finds what the
    whole dictionary holds. The sample issue needs about 40,000 of its 503,005 entries.
    """

    def __init__(self, tok: Any, shards: dict[str, bytes]) -> None:
        self.tok = tok
        self._shards = shards  # by first character: not opened yet
        self._opened: dict[str, dict[str, bytes]] = {}  # by first character: by second, not loaded yet
        self._lock = threading.Lock()

    def ready(self, text: str) -> Any:
        """The tokenizer, every dictionary entry a lookup into ``text`` can reach loaded."""
        if self._shards or self._opened:
            with self._lock:
                self._load(text)
        return self.tok

    def _load(self, text: str) -> None:
        freq = self.tok.FREQ
        for first in self._shards.keys() & set(text):
            inner: dict[str, bytes] = marshal.loads(self._shards.pop(first))
            alone = inner.pop("", None)
            if alone is not None:
                freq.update(marshal.loads(alone))
            if inner:
                self._opened[first] = inner
        for pair in {text[k : k + 2] for k in range(len(text) - 1)}:
            inner = self._opened.get(pair[0], _NOTHING)
            blob = inner.pop(pair[1], None) if inner else None
            if blob is not None:
                freq.update(marshal.loads(blob))
                if not inner:
                    del self._opened[pair[0]]


_NOTHING: dict[str, bytes] = {}
_CACHE_FORMAT = "shards-1"  # in the cache file's name: a file of another layout is never read
_WARM_TEXT = "区发展和改革局牵头，各镇（街道）按职能分工落实。"


@functools.cache
def _lexicon() -> Lexicon:
    """The private jieba tokenizer with the unit user dictionary, built and warmed once."""
    return build_lexicon(Path(tempfile.gettempdir()))


def _ready(text: str) -> Any:
    return _lexicon().ready(text)


def build_lexicon(cache_dir: Path) -> Lexicon:
    """A jieba tokenizer with the unit user dictionary, its prefix dictionary in shards read from the cache file
    in ``cache_dir`` (the first time: built by jieba, whole, and written there in shards); warmed."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = tempfile.gettempdir()  # jieba's own cache, used when ours is built
    lines = user_dictionary_lines()
    cache = prefix_cache_path(cache_dir, lines)
    shards = _read_prefix_cache(tok, cache)
    if shards is None:
        tok.initialize()
        tok.load_userdict(io.StringIO("\n".join(lines)))
        _write_prefix_cache(tok, cache)
        shards = {}  # the whole dictionary is loaded
    lexicon = Lexicon(tok, shards)
    lexicon.ready(_WARM_TEXT).lcut(_WARM_TEXT)  # warm the HMM
    return lexicon


def prefix_cache_path(cache_dir: Path, lines: list[str]) -> Path:
    """The cache file of the tokenizer's prefix dictionary in ``cache_dir``: named by a hash of its layout,
    jieba's version and dictionary file (path, size, modification time), the user dictionary ``lines`` and the
    Python version (marshal's format)."""
    jieba = _import_jieba()
    dict_file = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME  # the tokenizer's: the default one
    stat = dict_file.stat()
    key = hashlib.sha256()
    parts = (_CACHE_FORMAT, jieba.__version__, str(dict_file), stat.st_size, stat.st_mtime_ns, sys.version_info[:2])
    for part in (*parts, *lines):
        key.update(f"{part}\n".encode())
    return cache_dir / f"gazette-jieba-{key.hexdigest()[:16]}.cache"


def _read_prefix_cache(tok: Any, path: Path) -> dict[str, bytes] | None:
    """Set ``tok``'s total and tags from the cache file and give its shards (``tok``'s dictionary starts empty);
    None when the file is missing or not what it should be (it is then rebuilt)."""
    try:
        total, tags, shards = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(total, int) and isinstance(tags, dict) and isinstance(shards, dict)):
        return None
    tok.FREQ, tok.total, tok.user_word_tag_tab = {}, total, tags
    tok.initialized = True
    return shards


def prefix_shards(freq: dict[str, int]) -> dict[str, bytes]:
    """A prefix dictionary in shards: by first character, the marshalled dictionary of the entries by second
    character (``""``: the character alone), each marshalled."""
    by_first: dict[str, dict[str, dict[str, int]]] = {}
    for word, n in freq.items():
        if word:
            by_first.setdefault(word[0], {}).setdefault(word[1:2], {})[word] = n
    return {c: marshal.dumps({c2: marshal.dumps(d) for c2, d in inner.items()}) for c, inner in by_first.items()}


def _write_prefix_cache(tok: Any, path: Path) -> None:
    """Write the cache file atomically (a temporary file renamed over it); a directory that cannot be written
    only costs the next process the full build."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            marshal.dump((tok.total, tok.user_word_tag_tab, prefix_shards(tok.FREQ)), out)
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
    tok = _lexicon().tok  # the word was cut from a text made ready: its entries are loaded
    freq = tok.FREQ.get(word) or UNKNOWN_WORD_FREQ
    return math.log(tok.total / freq)


def warm() -> None:
    """Build the tokenizer now (worker start-up), so the first document does not pay for it."""
    _lexicon()


def segment(text: str) -> list[str]:
    """Segment Chinese text into words (jieba precise mode, unit names kept whole).

    Reads any text. Returns the tokens in order, whitespace-only tokens dropped; ``"".join`` of the result
    equals the text without its whitespace. Never raises.
    """
    if not text:
        return []
    return [t for t in _ready(text).lcut(text, HMM=True) if t.strip()]


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
    counts = Counter(w for w in _ready(text).lcut(text, HMM=True) if _is_keyword(w) and w not in stop)
    scored = sorted(counts, key=lambda w: (-counts[w] * _idf(w), w))
    return scored[:topk]


def tokens_for_index(text: str) -> list[str]:
    """Tokens for a full-text (FTS5) index: jieba search mode, so long words also yield their parts.

    Reads any text. Returns the tokens in order (whitespace and punctuation-only tokens dropped). Never
    raises.
    """
    if not text:
        return []
    return [t for t in _ready(text).lcut_for_search(text) if t.strip() and _WORD.search(t)]
