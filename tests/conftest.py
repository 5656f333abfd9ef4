"""One global conftest: paths, and the corpus parsed once per test session (shared by xdist workers)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemas.model import Issue, RunResult

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CORPUS_PDF = CORPUS / "maonan-2022-03.pdf"
CORPUS_TXT = CORPUS / "maonan-2022-03.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"


def _cached_result(kind: str, base: Path) -> RunResult:
    """Parse a corpus file once per session; xdist workers share the result through a file in the base temp."""
    from pipeline.run import parse_file

    target = base / f"corpus-{kind}.json"
    lock = base / f"corpus-{kind}.lock"
    while True:
        if target.exists():
            return RunResult.model_validate_json(target.read_text(encoding="utf-8"))
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            time.sleep(0.2)
            continue
        try:
            result = parse_file(CORPUS_PDF if kind == "pdf" else CORPUS_TXT)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(result.model_dump_json(), encoding="utf-8")
            os.replace(tmp, target)
            return result
        finally:
            os.close(fd)


@pytest.fixture(scope="session")
def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # with xdist the base temp is per worker: share its parent
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def corpus_pdf_result(shared_tmp: Path) -> RunResult:
    return _cached_result("pdf", shared_tmp)


@pytest.fixture(scope="session")
def corpus_txt_result(shared_tmp: Path) -> RunResult:
    return _cached_result("txt", shared_tmp)


@pytest.fixture(scope="session")
def corpus_pdf(corpus_pdf_result: RunResult) -> Issue:
    assert corpus_pdf_result.issue is not None, corpus_pdf_result.errors
    return corpus_pdf_result.issue


@pytest.fixture(scope="session")
def corpus_txt(corpus_txt_result: RunResult) -> Issue:
    assert corpus_txt_result.issue is not None, corpus_txt_result.errors
    return corpus_txt_result.issue


@pytest.fixture(params=["pdf", "txt"], scope="session")
def corpus_issue(request: pytest.FixtureRequest, corpus_pdf_result: RunResult, corpus_txt_result: RunResult) -> Issue:
    """Both corpus files, each test run twice."""
    result = corpus_pdf_result if request.param == "pdf" else corpus_txt_result
    assert result.issue is not None, result.errors
    return result.issue


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language (zh) and leaves no language behind (``set_lang`` writes the
    environment, which monkeypatch does not undo when the variable was absent)."""
    saved = os.environ.pop("GAZETTE_LANG", None)
    yield
    os.environ.pop("GAZETTE_LANG", None)
    if saved is not None:
        os.environ["GAZETTE_LANG"] = saved


_SESSION_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the layout zoo's per-style accuracy table when the zoo round trip ran (ZOO_REPORT=1: keep it in bench/)."""
    from tests.zoo.report import table, write_report

    text = table(since=_SESSION_STARTED)
    if text:
        terminalreporter.write_sep("-", "layout zoo: fields right / fields")
        terminalreporter.write_line(text)
        if os.environ.get("ZOO_REPORT"):
            write_report(text)
