"""Atomic writes: a target is always old-or-new, a staged directory is swapped in whole, leftovers recovered."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.archive.atomic import (
    json_text,
    recover_all,
    recover_dir,
    remove_dir,
    staged_dir,
    write_bytes_atomic,
    write_json_atomic,
    write_text_atomic,
)
from schemas.model import Problem

ROOT = Path(__file__).resolve().parents[1]


def _siblings(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("data", [b"", b"abc", "公报".encode() * 1000])
def test_atomic_write_bytes_replaces_content(tmp_path: Path, data: bytes) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    assert write_bytes_atomic(target, data) == target
    assert target.read_bytes() == data
    assert _siblings(tmp_path) == ["out.bin"]


def test_atomic_write_failure_keeps_old_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "issue.json"
    target.write_text("old", encoding="utf-8")

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert _siblings(tmp_path) == ["issue.json"]


def test_atomic_write_json_model_and_object(tmp_path: Path) -> None:
    problem = Problem(code="E004", message="损坏")
    write_json_atomic(tmp_path / "p.json", problem)
    assert Problem.model_validate_json((tmp_path / "p.json").read_text(encoding="utf-8")) == problem
    write_json_atomic(tmp_path / "o.json", {"标题": [1, 2]})
    text = (tmp_path / "o.json").read_text(encoding="utf-8")
    assert "标题" in text and json.loads(text) == {"标题": [1, 2]}
    assert json_text(problem) == json_text(problem.model_copy())


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_atomic_write_text_round_trips(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    target = tmp_path_factory.mktemp("rt") / "t.txt"
    write_text_atomic(target, text, encoding="utf-8")
    assert target.read_bytes().decode("utf-8") == text


def test_atomic_staged_dir_swaps_whole_directory(tmp_path: Path) -> None:
    final = tmp_path / "issue-1"
    final.mkdir()
    (final / "stale.json").write_text("x")
    with staged_dir(final) as stage:
        assert stage.parent == tmp_path and stage != final
        (stage / "issue.json").write_text("new")
        assert (final / "stale.json").exists()  # the old version stays visible until the swap
    assert _siblings(final) == ["issue.json"]
    assert _siblings(tmp_path) == ["issue-1"]


def test_atomic_staged_dir_error_leaves_final_untouched(tmp_path: Path) -> None:
    final = tmp_path / "issue-1"
    final.mkdir()
    (final / "issue.json").write_text("old")
    with pytest.raises(RuntimeError), staged_dir(final) as stage:
        (stage / "issue.json").write_text("half")
        raise RuntimeError("killed")
    assert (final / "issue.json").read_text() == "old"
    assert _siblings(tmp_path) == ["issue-1"]


@pytest.mark.parametrize(
    ("leftovers", "expected"),
    [
        ({".d.staging": "half"}, "old"),  # killed while building: the partial build is dropped
        ({".d.old": "old", ".d.staging": "new"}, "old"),  # killed after moving old aside: old is put back
        ({".d.old": "older", "d": "new"}, "new"),  # killed after the swap, before clean-up: old deleted
        ({".d.trash": "gone", "d": "old"}, "old"),  # killed while deleting
    ],
)
def test_atomic_recover_dir_leftovers(tmp_path: Path, leftovers: dict[str, str], expected: str) -> None:
    if "d" not in leftovers and ".d.old" not in leftovers:
        leftovers = {"d": "old", **leftovers}
    for name, content in leftovers.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "issue.json").write_text(content)
    recover_dir(tmp_path / "d")
    assert _siblings(tmp_path) == ["d"]
    assert (tmp_path / "d" / "issue.json").read_text() == expected


def test_atomic_recover_dir_without_anything_is_a_no_op(tmp_path: Path) -> None:
    recover_dir(tmp_path / "d")
    assert _siblings(tmp_path) == []


def test_atomic_remove_dir(tmp_path: Path) -> None:
    (tmp_path / "d" / "documents").mkdir(parents=True)
    (tmp_path / "d" / "documents" / "doc-1.json").write_text("{}")
    remove_dir(tmp_path / "d")
    remove_dir(tmp_path / "missing")
    assert _siblings(tmp_path) == []


_WRITER = """
import sys
from pathlib import Path
from pipeline.archive.atomic import write_bytes_atomic
target = Path(sys.argv[1])
n = 0
while True:
    n += 1
    write_bytes_atomic(target, (b"a" if n % 2 else b"b") * 2_000_000)
"""


@pytest.mark.parametrize("delay", [0.6, 0.9, 1.3])
def test_atomic_write_killed_leaves_old_or_new(tmp_path: Path, delay: float) -> None:
    target = tmp_path / "big.bin"
    target.write_bytes(b"c" * 10)
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], cwd=ROOT)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    data = target.read_bytes()
    assert data in (b"c" * 10, b"a" * 2_000_000, b"b" * 2_000_000)


def test_atomic_recover_all_cleans_every_leftover(tmp_path: Path) -> None:
    for name in [".a.staging", ".b.old", ".c.trash", "c"]:
        (tmp_path / name).mkdir()
    (tmp_path / ".issue.json.x1y2.tmp").write_text("half")
    (tmp_path / ".keep").write_text("not ours")
    targets = recover_all(tmp_path)
    assert [t.name for t in targets] == ["a", "b", "c"]
    assert _siblings(tmp_path) == [".keep", "b", "c"]
