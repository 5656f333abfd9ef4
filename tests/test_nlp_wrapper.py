"""The jieba wrapper: lazy loading, unit-aware segmentation, keywords, index tokens; spaCy is not used."""

from __future__ import annotations

import marshal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import nlp

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "pipeline"
CORPUS_TXT = ROOT / "corpus" / "maonan-2022-03.txt"


def test_nlp_import_loads_nothing() -> None:
    code = "import sys, pipeline.nlp; print('jieba' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_nlp_spacy_is_not_a_dependency() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "spacy" not in pyproject.lower()


def test_nlp_is_the_only_module_importing_jieba_or_spacy() -> None:
    offenders = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "nlp.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import jieba", "from jieba", "import spacy", "from spacy")):
                offenders.append(path.name)
    assert offenders == []


def test_nlp_user_dictionary_comes_from_the_vocabulary() -> None:
    lines = nlp.user_dictionary_lines()
    words = {line.split(" ")[0] for line in lines}
    assert {"区发展和改革局", "县人社局", "各镇（街道）", "各镇(街道)", "区直和市驻区各单位", "分局"} <= words
    assert all(len(line.split(" ")) == 3 for line in lines)


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("区发展和改革局牵头", "区发展和改革局"),
        ("由区政务服务数据管理局负责", "区政务服务数据管理局"),
        ("区直和市驻区各单位按职能分工落实", "区直和市驻区各单位"),
    ],
)
def test_nlp_segment_keeps_unit_names_whole(text: str, whole: str) -> None:
    tokens = nlp.segment(text)
    assert whole in tokens
    assert "".join(tokens) == text


def test_nlp_segment_empty() -> None:
    assert nlp.segment("") == [] and nlp.segment("  \n") == []


def test_nlp_keywords_on_corpus() -> None:
    lines = CORPUS_TXT.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("工作要求\t具体任务"))
    words = nlp.keywords("\n".join(lines[start:]), topk=8)  # the 政务公开 task table
    assert len(words) == 8
    assert {"政务", "公开", "信息"} <= set(words)
    assert all(len(w) > 1 and not w.isdigit() for w in words)
    assert not set(words) & {"工作", "进一步", "加强"}


@pytest.mark.parametrize(("text", "topk"), [("", 8), ("的的的 1 2 3 。", 8), ("政务公开", 0)])
def test_nlp_keywords_degenerate(text: str, topk: int) -> None:
    assert nlp.keywords(text, topk) == []


def test_nlp_tokens_for_index_search_mode() -> None:
    tokens = nlp.tokens_for_index("区政务服务数据管理局建设政策咨询综合服务平台，2022 年。")
    assert "区政务服务数据管理局" in tokens
    assert {"服务平台", "平台", "政策", "2022"} <= set(tokens)
    assert "，" not in tokens and "。" not in tokens and " " not in tokens


@pytest.mark.slow
@pytest.mark.parametrize("text", ["（" * 100_000, "区" * 100_000, "a1" * 50_000])
def test_nlp_adversarial_finishes(text: str) -> None:
    # jieba segments in pure Python (linear, a few µs a character): bounded, not instant
    nlp.segment("预热")
    t0 = time.perf_counter()
    assert "".join(nlp.segment(text)) == text
    nlp.tokens_for_index(text)
    assert time.perf_counter() - t0 < 30.0


def test_nlp_prefix_cache_equals_jieba_own_build(tmp_path: Path) -> None:
    built = nlp.build_lexicon(tmp_path)  # no cache file yet: jieba builds, the file is written
    cache = nlp.prefix_cache_path(tmp_path, nlp.user_dictionary_lines())
    assert [p.name for p in tmp_path.iterdir()] == [cache.name]
    read = nlp.build_lexicon(tmp_path)  # read back from the file, in shards
    full, lazy = built.tok.FREQ, read.tok.FREQ
    assert (read.tok.total, read.tok.user_word_tag_tab) == (built.tok.total, built.tok.user_word_tag_tab)
    text = CORPUS_TXT.read_text(encoding="utf-8")[:6000]
    tok = read.ready(text)
    assert 0 < len(lazy) < len(full) // 10  # only the shards the text can reach
    reach = {text[k : k + n] for k in range(len(text)) for n in range(1, 10)}
    assert [s for s in reach if lazy.get(s) != full.get(s)] == []
    assert tok.lcut(text) == built.tok.lcut(text)
    assert tok.lcut_for_search(text) == built.tok.lcut_for_search(text)
    read.ready("\n".join(full))  # every entry's shard
    assert lazy == full
    assert lazy["区发展和改革局"] == 200_000


def test_nlp_prefix_shards_hold_every_entry_once() -> None:
    freq = {"区": 5, "区发": 0, "区发展": 7, "牵": 3, "牵头": 9, "a": 1}
    shards = nlp.prefix_shards(freq)
    assert sorted(shards) == ["a", "区", "牵"]
    inner = marshal.loads(shards["区"])
    assert {k: marshal.loads(v) for k, v in inner.items()} == {"": {"区": 5}, "发": {"区发": 0, "区发展": 7}}


def test_nlp_prefix_cache_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    cache = nlp.prefix_cache_path(tmp_path, nlp.user_dictionary_lines())
    cache.write_bytes(b"\x00not marshal")
    lexicon = nlp.build_lexicon(tmp_path)
    assert lexicon.ready("区发展和改革局牵头").lcut("区发展和改革局牵头") == ["区发展和改革局", "牵头"]
    total, tags, shards = marshal.loads(cache.read_bytes())
    assert (total, tags["分局"], sorted(shards) == sorted({w[0] for w in lexicon.tok.FREQ})) == (
        lexicon.tok.total,
        "nt",
        True,
    )


def test_nlp_prefix_cache_name_follows_the_user_dictionary(tmp_path: Path) -> None:
    lines = nlp.user_dictionary_lines()
    first = nlp.prefix_cache_path(tmp_path, lines)
    assert first == nlp.prefix_cache_path(tmp_path, list(lines))
    assert first != nlp.prefix_cache_path(tmp_path, [*lines, "新词 5 nt"])
    assert first.name.startswith("gazette-jieba-") and first.parent == tmp_path


def test_nlp_jieba_is_loaded_without_pkg_resources() -> None:
    code = "import sys; from pipeline import nlp; nlp.segment('区发展和改革局'); print('pkg_resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
