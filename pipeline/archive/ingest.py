"""Ingest an archive: every PDF/TXT under a directory → ``out_dir/issues/<issue-id>/`` outputs, the catalog, the site.

The chain for one batch (:func:`ingest_dir`), all of it under the output folder's lock (``OUT/.lock``, E019):

1. ``find_inputs``      directory → sorted input files (``*.pdf``, ``*.txt``, ``*.ofd``, ``*.docx``, ``*.doc``, ``*.wps``,
                         recursively; hidden and output dirs skipped).
2. plan                 unchanged files (same sha256 in the catalog, every recorded output on disk with its recorded
                        sha256) are skipped; inputs gone from the folder are forgotten (catalog rows and outputs). A
                        file is hashed here only when the catalog could make it skippable (a done row of the same
                        size); otherwise its one hash is the loader's (``Issue.source.sha256``).
3. parse                ``pipeline.run.parse_file`` per file under its time and memory budgets, in this process
                        (``jobs=1``), in a process pool (``jobs>1``) or on a Dask cluster (``scheduler``).
4. write                ``issue.json`` + ``documents/*.json`` + exports, built in a staging dir and swapped in; a file
                        with no official document (P103) is quarantined (E018) instead, unless ``accept_any``.
5. record               the catalog rows of the file and the sha256 of every output, replaced in one transaction.
6. site                 ``out_dir/site`` re-rendered (and swapped in whole) from every issue when they changed, with
                        an admin page of the failed and quarantined files; the site's files are recorded too.

A file is a success only when every output of it is written and recorded; any failure fails the file with a code
and it is retried on the next run. A run killed at any point leaves whole outputs and whole catalog rows; the next
run redoes what is missing.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import errno
import html
import multiprocessing
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from pipeline.archive.atomic import recover_all, remove_dir, staged_dir, write_json_atomic, write_text_atomic
from pipeline.archive.catalog import (
    FileRow,
    IndexRow,
    Tokenizer,
    all_files,
    file_row,
    issue_to_index_rows,
    open_catalog,
    output_rows,
    record_issue,
    record_outputs,
    remove_files,
)
from pipeline.archive.lock import output_lock
from pipeline.archive.watchdog import BudgetExceeded, budgets
from pipeline.errors import Code, GazetteError
from pipeline.grammar.names import text_to_file_name
from pipeline.i18n import pick
from pipeline.load.digest import bytes_to_sha256, file_to_sha256
from pipeline.options import RunOptions
from schemas.model import Issue, Problem, RunResult, RunStatus, Severity

ParseFn = Callable[[Path, RunOptions], RunResult]
Exporter = Callable[[Issue, Path], list[Path]]
RenderFn = Callable[[list[Issue], Path, dict[str, Path] | None], list[Path]]

SUFFIXES = (".pdf", ".txt", ".ofd", ".docx", ".doc", ".wps")  # found by name; the kind is then read from the content
CATALOG_NAME = "catalog.sqlite"
SITE_DIR = "site"
ISSUES_DIR = "issues"  # every issue folder lives here: no input name can collide with the catalog or the site
SITE_STAMP = ".inputs"
SITE_KEY = "<site>"  # the ``outputs`` rows of the site
QUARANTINED = "quarantined"  # the catalog status of a file with no official document (E018)

EXIT_OK, EXIT_SOME_FAILED = 0, 3


class Outcome(StrEnum):
    INGESTED = "ingested"
    SKIPPED = "skipped"  # unchanged since the last run
    FAILED = "failed"
    QUARANTINED = "quarantined"  # no official document: recorded with E018, not published


@dataclass(slots=True)
class FileOutcome:
    """What happened to one input file in a batch."""

    path: str
    outcome: Outcome
    sha256: str | None = None
    issue_id: str | None = None
    status: RunStatus | None = None
    code: str | None = None  # E0xx of a failed file
    message: str | None = None
    pages: int = 0
    seconds: float = 0.0
    output: str | None = None  # the issue's output directory, relative to out_dir
    warnings: list[str] = field(default_factory=list)  # exporters that failed (the issue.json is still written)


@dataclass(slots=True)
class IngestReport:
    """The outcome of one batch: one :class:`FileOutcome` per input file, in path order."""

    files: list[FileOutcome]
    seconds: float
    site: list[str] = field(default_factory=list)  # files written under out_dir/site (empty: not re-rendered)
    site_error: Problem | None = None
    removed: list[str] = field(default_factory=list)  # inputs gone from the folder, forgotten in this run

    def _count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def ingested(self) -> int:
        return self._count(Outcome.INGESTED)

    @property
    def skipped(self) -> int:
        return self._count(Outcome.SKIPPED)

    @property
    def failed(self) -> int:
        return self._count(Outcome.FAILED)

    @property
    def quarantined(self) -> int:
        return self._count(Outcome.QUARANTINED)

    @property
    def exit_status(self) -> int:
        """0 when every file is done (and the site rendered); 3 when some failed or were quarantined."""
        return EXIT_SOME_FAILED if self.failed or self.quarantined or self.site_error is not None else EXIT_OK

    @property
    def pages(self) -> int:
        """PDF pages parsed in this batch (skipped files don't count)."""
        return sum(f.pages for f in self.files if f.outcome != Outcome.SKIPPED)

    def summary(self) -> str:
        """The lines the CLI prints: the counts, then one line per failed file (``error[E004]: path: reason``)."""
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        lines = [
            pick(
                f"{len(self.files)} 个文件：{self.ingested} 个已导入，{self.skipped} 个未变（跳过），"
                f"{self.failed} 个失败，{self.quarantined} 个隔离（非公文）；{len(self.removed)} 个已移除；"
                f"{self.pages} 页，用时 {self.seconds:.1f} 秒（{rate:.1f} 页/秒）",
                f"{len(self.files)} files: {self.ingested} ingested, {self.skipped} skipped (unchanged), "
                f"{self.failed} failed, {self.quarantined} quarantined (not a document); {len(self.removed)} removed; "
                f"{self.pages} pages in {self.seconds:.1f} s ({rate:.1f} pages/s)",
            )
        ]
        for f in self.files:
            if f.outcome in (Outcome.FAILED, Outcome.QUARANTINED):
                lines.append(f"error[{f.code}]: {f.path}: {f.message}")
            for w in f.warnings:
                lines.append(f"warning: {f.path}: {w}")
        if self.site_error is not None:
            lines.append(f"error[{self.site_error.code}]: site: {self.site_error.message}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- stage 1–2: inputs and plan


def find_inputs(in_dir: Path, exclude: Path | None = None) -> list[Path]:
    """Every ``*.pdf`` / ``*.txt`` file under ``in_dir`` (or ``in_dir`` itself if it is such a file).

    Returns: the files sorted by their path relative to ``in_dir``; files in hidden directories and under
    ``exclude`` (the output directory, when it sits inside the input) are left out.
    """
    in_dir = Path(in_dir)
    if in_dir.is_file():
        return [in_dir] if in_dir.suffix.lower() in SUFFIXES else []
    excluded = exclude.resolve() if exclude is not None else None
    found: list[tuple[str, Path]] = []
    for root, dirs, names in os.walk(in_dir):
        root_path = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".") and (root_path / d).resolve() != excluded]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                path = root_path / name
                found.append((path.relative_to(in_dir).as_posix(), path))
    return [p for _, p in sorted(found)]


sha256_file = file_to_sha256  # the one file hash (pipeline/load/digest.py)


def dir_preferences(paths: Sequence[Path]) -> dict[Path, str]:
    """The suffix each input adds to its issue id to name its output dir ("" for most).

    Files whose stems collide (``x.pdf`` and ``x.txt``, ``a/x.pdf`` and ``b/x.pdf``) would get the same issue id:
    the first in path order keeps the plain id, the others get ``-<ext>`` (``-txt``), or ``-<n>`` if that is
    not enough. The result depends only on the set of input paths, not on the order they finish in.
    """
    groups: dict[str, list[Path]] = {}
    for p in paths:
        groups.setdefault(p.stem, []).append(p)
    out: dict[Path, str] = {}
    for members in groups.values():
        used: set[str] = set()
        for n, p in enumerate(members):
            suffix = "" if n == 0 else f"-{p.suffix.lstrip('.').lower()}"
            if suffix in used:
                suffix = f"-{n + 1}"
            used.add(suffix)
            out[p] = suffix
    return out


# --------------------------------------------------------------------------- stage 3: parse (in a worker)


def _failure(path: str, code: Code, message: str) -> RunResult:
    problem = Problem(code=code.value, message=message, file=path, severity=Severity.ERROR)
    return RunResult(path=path, status=RunStatus.FAILURE, errors=[problem])


def parse_one(path: str, options: RunOptions, parse: ParseFn | None = None) -> RunResult:
    """Parse one file under its budgets (:mod:`pipeline.archive.watchdog`) and return its RunResult.

    Reads: the file at ``path``. ``parse`` defaults to ``pipeline.run.parse_file`` (imported in the worker).
    Never raises: a vanished file is a failure with E001, a parse that outlives ``options.time_budget`` E009, one
    that needs more than ``options.max_memory_mb`` E022, an exception escaping ``parse`` E099.
    """
    t0 = time.perf_counter()
    try:
        if parse is None:
            from pipeline.run import parse_file

            parse = parse_file
        if not Path(path).exists():
            result = _failure(path, Code.E001, "file vanished before it could be parsed")
        else:
            with budgets(options.time_budget, options.max_memory_mb):
                result = parse(Path(path), options)
    except BudgetExceeded:
        result = _failure(path, Code.E009, f"time budget of {options.time_budget:g} s exceeded (stopped while parsing)")
    except MemoryError:
        result = _failure(path, Code.E022, f"memory budget of {options.max_memory_mb} MiB exceeded")
    except FileNotFoundError as exc:
        result = _failure(path, Code.E001, f"file vanished while it was parsed: {exc}")
    except Exception as exc:  # a bug in a stage: reported for this file, the batch goes on
        result = _failure(path, Code.E099, f"{type(exc).__name__}: {exc}")
    if result.seconds is None:
        result = result.model_copy(update={"seconds": round(time.perf_counter() - t0, 3)})
    return result


class WorkerOutput(BaseModel):
    """What a worker sends back for one file: the RunResult and, for an Issue, its full-text index rows.

    Tokenising in the worker keeps the parent free of jieba and parallelises the indexing. The object itself
    crosses the process boundary (pickled); nothing is serialised to JSON and parsed back.
    """

    model_config = ConfigDict(extra="forbid")

    result: RunResult
    index: list[IndexRow] | None = None


def parse_and_index(
    path: str, options: RunOptions, parse: ParseFn | None = None, tokenize: Tokenizer | None = None
) -> WorkerOutput:
    """A worker's job: :func:`parse_one`, plus the Issue's index rows.

    Never raises: if indexing fails, ``index`` is None and the parent indexes (and reports) the issue itself.
    """
    result = parse_one(path, options, parse)
    index = None
    if result.issue is not None:
        try:
            index = issue_to_index_rows(result.issue, tokenize)
        except Exception:  # the parent retries with the same tokenizer and records what happens
            index = None
    return WorkerOutput(result=result, index=index)


def _failed_output(job: _Job, exc: BaseException) -> WorkerOutput:
    failure = _failure(str(job.path), Code.E099, f"worker failed: {type(exc).__name__}: {exc}")
    return WorkerOutput(result=failure)


@dataclass(frozen=True, slots=True)
class _Job:
    path: Path
    sha256: str | None  # hashed by the plan only when the catalog could have skipped it; else the loader's hash
    size: int
    mtime: float
    mtime_ns: int


def _job_sha256(job: _Job) -> str | None:
    """The job's hash for a file that produced no Issue (so no loader hash): the plan's, else read now."""
    return job.sha256 or file_sha256(job.path)


def _changed_while_parsed(job: _Job, issue: Issue) -> bool:
    """Whether the file parsed is not the file planned: another hash, or (not hashed by the plan) another size/mtime."""
    if job.sha256 is not None:
        return bool(issue.source.sha256) and issue.source.sha256 != job.sha256
    try:
        st = job.path.stat()
    except OSError:
        return True
    return (st.st_size, st.st_mtime_ns) != (job.size, job.mtime_ns)


def _results_inline(
    jobs: list[_Job], options: RunOptions, parse: ParseFn | None, tokenize: Tokenizer | None
) -> Iterator[tuple[_Job, WorkerOutput]]:
    for job in jobs:
        yield job, parse_and_index(str(job.path), options, parse, tokenize)


def _fill(
    pool: cf.ProcessPoolExecutor,
    todo: deque[_Job],
    running: dict[cf.Future[WorkerOutput], _Job],
    args: tuple[RunOptions, ParseFn | None, Tokenizer | None],
    limit: int,
) -> bool:
    """Submit jobs until ``limit`` are in flight; False when the pool broke meanwhile (a worker died between
    two submissions: the job goes back to the front of the queue, for the fresh pool)."""
    while todo and len(running) < limit:
        job = todo.popleft()
        try:
            running[pool.submit(parse_and_index, str(job.path), *args)] = job
        except BrokenProcessPool:
            todo.appendleft(job)
            return False
    return True


def _results_pool(
    jobs: list[_Job], options: RunOptions, parse: ParseFn | None, tokenize: Tokenizer | None, workers: int
) -> Iterator[tuple[_Job, WorkerOutput]]:
    """Results from a process pool (forkserver with a warm preload, else spawn), at most ``2 × workers`` in flight (finished ones are dropped at once).

    A worker that dies (killed, out of memory) breaks the pool: the files in flight are retried once in a
    fresh pool, and fail with E099 if they break it again; the rest of the batch goes on.
    """
    ctx: multiprocessing.context.BaseContext
    if "forkserver" in multiprocessing.get_all_start_methods():
        # workers fork from a server that imported the pipeline and loaded jieba once (pipeline.archive.worker_preload)
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.archive.worker_preload"])
    else:
        ctx = multiprocessing.get_context("spawn")
    todo: deque[_Job] = deque(jobs)
    retried: set[Path] = set()
    while todo:
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            running: dict[cf.Future[WorkerOutput], _Job] = {}
            broken = False
            while todo or running:
                broken = broken or not _fill(pool, todo, running, (options, parse, tokenize), 2 * workers)
                if not running:
                    break
                done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: str(running[f].path)):
                    job = running.pop(fut)
                    try:
                        text = fut.result()
                    except BrokenProcessPool as exc:
                        broken = True
                        if job.path not in retried:
                            retried.add(job.path)
                            todo.appendleft(job)
                            continue
                        text = _failed_output(job, exc)
                    except Exception as exc:
                        text = _failed_output(job, exc)
                    yield job, text
                if broken and not running:
                    break  # start a fresh pool for the retries and the rest


def _results_dask(
    jobs: list[_Job],
    options: RunOptions,
    parse: ParseFn | None,
    tokenize: Tokenizer | None,
    scheduler: str,
    workers: int,
) -> Iterator[tuple[_Job, WorkerOutput]]:
    """Results from a Dask distributed cluster (``scheduler``: an address, or ``"local"`` for a LocalCluster).

    Workers must see the input paths (a shared filesystem); at most ``2 × workers`` tasks are in flight.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        # bound to this machine only, dashboard off: nothing of the run is exposed on the network
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        todo = iter(jobs)
        owner: dict[Any, _Job] = {}
        pending = as_completed()

        def submit_next() -> bool:
            job = next(todo, None)
            if job is None:
                return False
            fut = client.submit(parse_and_index, str(job.path), options, parse, tokenize, pure=False)
            owner[fut.key] = job
            pending.add(fut)
            return True

        for _ in range(2 * n_workers):
            if not submit_next():
                break
        for fut in pending:
            job = owner.pop(fut.key)
            try:
                text = fut.result()
            except Exception as exc:
                text = _failed_output(job, exc)
            fut.release()
            yield job, text
            submit_next()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- stage 4–6: write, record, site


def default_exporters() -> list[Exporter]:
    """``pipeline.publish.export.write_document_json`` and ``write_exports``, imported lazily."""
    from pipeline.publish.annual import write_annual_exports
    from pipeline.publish.export import write_document_json, write_exports

    return [write_document_json, write_exports, write_annual_exports]


def default_render() -> RenderFn:
    """``pipeline.publish.site.render_site``, imported lazily."""
    from pipeline.publish.site import render_site

    return render_site


class OutputError(Exception):
    """An output of a file could not be written: E011 (disk full, read-only, no permission) or E020 (anything else)."""

    def __init__(self, code: Code, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


def output_code(exc: BaseException) -> Code:
    """E011 for an error of the disk (full, read-only, permissions), E020 for any other failed write."""
    return Code.E011 if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS else Code.E020


def _bug_or_disk(exc: BaseException) -> Code:
    """E011 for an error of the disk, E099 for anything else (a bug in a stage, contained)."""
    return Code.E011 if output_code(exc) is Code.E011 else Code.E099


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file, None when it cannot be read (gone, a directory)."""
    try:
        return sha256_file(path)
    except OSError:
        return None


def tree_checksums(root: Path, prefix: str) -> dict[str, str]:
    """``prefix/<relative path>`` → sha256 of every file under ``root`` (hidden stamps and caches left out)."""
    sums: dict[str, str] = {}
    for p in sorted(Path(root).rglob("*")):
        rel = p.relative_to(root)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            sums[f"{prefix}/{rel.as_posix()}"] = sha256_file(p)
    return sums


def drifted(out_dir: Path, recorded: dict[str, str]) -> list[str]:
    """The recorded outputs (name → sha256) that are missing or changed on disk, in name order."""
    return [name for name, sha in sorted(recorded.items()) if file_sha256(Path(out_dir) / name) != sha]


def write_issue_dir(issue: Issue, final: Path, exporters: Iterable[Exporter]) -> dict[str, str]:
    """Write ``issue.json`` and every exporter's files into ``final``, swapped in atomically.

    Returns: every written file (``<final's name>/<relative path>``) → its sha256.
    Raises: :class:`OutputError` when ``issue.json`` or any exporter fails (the staged files are dropped).
    After this, guaranteed: ``final`` holds exactly the new, complete outputs, or (on failure, or killed
    half-way) its old ones: never a set with an export missing.
    """
    try:
        with staged_dir(final) as stage:
            write_json_atomic(stage / "issue.json", issue)
            for export in exporters:
                try:
                    export(issue, stage)
                except Exception as exc:
                    name = getattr(export, "__name__", "exporter")
                    raise OutputError(output_code(exc), f"{name} failed: {type(exc).__name__}: {exc}") from exc
            sums = tree_checksums(stage, f"{final.parent.name}/{final.name}")
    except OSError as exc:
        raise OutputError(output_code(exc), f"writing {final.name} failed: {exc.strerror or exc}") from exc
    return sums


def _claim_dir(conn: Any, wanted: str, path: str, claimed: dict[str, str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3`` … if another input already owns that output dir."""
    n = 1
    name = wanted
    while True:
        owner = claimed.get(name)
        if owner is None:
            row = conn.execute("SELECT path FROM files WHERE output = ? AND path != ? LIMIT 1", (name, path)).fetchone()
            owner = row[0] if row else None
        if owner is None or owner == path:
            claimed[name] = path
            return name
        n += 1
        name = f"{wanted}-{n}"


def _issue_files(out_dir: Path) -> list[Path]:
    return [p for p in sorted((Path(out_dir) / ISSUES_DIR).glob("*/issue.json")) if not p.parent.name.startswith(".")]


def issues_in(out_dir: Path) -> list[Issue]:
    """Every ``issues/<dir>/issue.json`` under ``out_dir``, validated, in directory-name order."""
    return [Issue.model_validate_json(p.read_bytes()) for p in _issue_files(out_dir)]


def _site_inputs(out_dir: Path, admin: Sequence[FileRow]) -> str:
    parts = []
    for p in _issue_files(out_dir):
        st = p.stat()
        parts.append(f"{p.parent.name}\t{st.st_size}\t{st.st_mtime_ns}")
    parts.extend(f"admin\t{r.path}\t{r.status}\t{r.error_code}\t{r.error_message}" for r in admin)
    return bytes_to_sha256("\n".join(parts).encode())


def _reuse_page_images(previous: Path, stage: Path, issues: list[Issue]) -> None:
    """Hard-link the page images of the previous site into the staged one (the renderer keeps those whose
    stamp names the same PDF and renders only the rest): adding one issue does not re-render every page."""
    from pipeline.publish.site import PAGES_STAMP, issue_folder

    for issue in issues:
        old = previous / issue_folder(issue) / "pages"
        stamp = old / PAGES_STAMP
        if not stamp.exists() or stamp.read_text(encoding="utf-8") != issue.source.sha256:
            continue
        new = stage / issue_folder(issue) / "pages"
        new.mkdir(parents=True, exist_ok=True)
        for png in [*old.glob("p-*.png"), stamp]:
            with contextlib.suppress(OSError):
                try:
                    os.link(png, new / png.name)
                except OSError:
                    shutil.copy2(png, new / png.name)


def admin_page(rows: Sequence[FileRow]) -> str:
    """The admin page (``site/admin/index.html``, linked from no public page): every failed and quarantined
    input with its code and reason, HTML-escaped. Not for the public: it names input paths."""
    title = pick("导入管理：失败与隔离的文件", "Ingest admin: failed and quarantined files")
    head = pick(
        "<th>文件</th><th>状态</th><th>代码</th><th>原因</th>",
        "<th>file</th><th>status</th><th>code</th><th>reason</th>",
    )
    body = "".join(
        f"<tr><td>{html.escape(r.path)}</td><td>{html.escape(r.status)}</td>"
        f"<td>{html.escape(r.error_code or '')}</td><td>{html.escape(r.error_message or '')}</td></tr>"
        for r in rows
    )
    empty = pick("<p>没有失败或隔离的文件。</p>", "<p>No failed or quarantined files.</p>")
    table = f"<table><tr>{head}</tr>{body}</table>" if rows else empty
    return (
        f'<!doctype html>\n<html lang="{pick("zh-CN", "en")}"><head><meta charset="utf-8">'
        f'<meta name="robots" content="noindex"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{table}</body></html>\n"
    )


def render_site_dir(
    out_dir: Path, render: RenderFn, force: bool = False, admin: Sequence[FileRow] = ()
) -> tuple[list[str], Problem | None]:
    """Re-render ``out_dir/site`` from all issues in ``out_dir`` if they changed since the last render.

    ``admin``: the failed and quarantined files, listed on ``site/admin/index.html``.
    Returns: the written files (relative to ``out_dir``; empty when the site was up to date) and a Problem
    (E020, E011 when the disk failed) if rendering failed, in which case the previous site is kept whole.
    """
    final = Path(out_dir) / SITE_DIR
    stamp = _site_inputs(out_dir, admin)
    stamp_file = final / SITE_STAMP
    if not force and stamp_file.exists() and stamp_file.read_text() == stamp:
        return [], None
    issues = issues_in(out_dir)
    # one page per issue id: a PDF and its text extraction share an id, the PDF (with page images) wins
    by_id: dict[str, Issue] = {}
    for issue in issues:
        if issue.id not in by_id or issue.source.kind.value == "pdf":
            by_id[issue.id] = issue
    pdf_paths = {i.id: Path(i.source.path) for i in by_id.values() if i.source.kind.value == "pdf"}
    try:
        with staged_dir(final) as stage:
            _reuse_page_images(final, stage, list(by_id.values()))
            written = render(list(by_id.values()), stage, pdf_paths)
            (stage / "admin").mkdir(exist_ok=True)
            write_text_atomic(stage / "admin" / "index.html", admin_page(admin))
            write_text_atomic(stage / SITE_STAMP, stamp)
    except Exception as exc:
        message = f"site rendering failed: {type(exc).__name__}: {exc}"
        return [], Problem(code=_bug_or_disk(exc).value, message=message)
    rel = []
    for p in written:
        try:
            rel.append((final / Path(p).relative_to(stage)).relative_to(out_dir).as_posix())
        except ValueError:
            rel.append(str(p))
    return rel, None


def ensure_writable(out_dir: Path) -> None:
    """Create ``out_dir`` if needed and prove it writable; raises GazetteError(E011) otherwise (nothing written)."""
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise GazetteError(Code.E011, str(out_dir), f"output directory not writable: {exc.strerror or exc}") from exc


def _progress(enabled: bool, total: int) -> Any:
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "files · {task.fields[pages]} pages · {task.fields[rate]:.1f} pages/s · {task.fields[failed]} failed"
        ),
        TimeElapsedColumn(),
    )
    progress.start()
    progress.add_task("ingest", total=total, pages=0, rate=0.0, failed=0)
    return progress


@dataclass(slots=True)
class _Batch:
    """What every stage of one batch shares: the catalog, the output folder and the injected parts."""

    conn: Any
    out_dir: Path
    options: RunOptions
    parse: ParseFn | None
    exporters: Sequence[Exporter]
    tokenize: Tokenizer | None
    accept_any: bool
    suffixes: dict[Path, str]
    claimed: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # sha256 of a removed input → its path


def ingest_dir(
    in_dir: Path,
    out_dir: Path,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    options: RunOptions = RunOptions(),  # noqa: B008 - frozen dataclass, safe as a default
    progress: bool = False,
    parse: ParseFn | None = None,
    exporters: Sequence[Exporter] | None = None,
    render: RenderFn | None = None,
    tokenize: Tokenizer | None = None,
    accept_any: bool = False,
    keep_removed: bool = False,
    lock_wait: float = 0.0,
) -> IngestReport:
    """Ingest every PDF/TXT under ``in_dir`` into ``out_dir`` (``issues/<id>/``, ``catalog.sqlite``, ``site/``).

    Reads: the input files; the catalog of earlier runs. ``parse`` (default ``pipeline.run.parse_file``; a
    module-level function when ``jobs > 1`` or ``scheduler`` is set), ``exporters`` (default
    ``pipeline.publish.export``'s document JSON and exports), ``render`` (default ``pipeline.publish.site.render_site``)
    and ``tokenize`` (default ``pipeline.nlp.tokens_for_index``) can be injected.
    ``accept_any`` publishes files with no official document (else quarantined, E018); ``keep_removed`` keeps
    inputs gone from ``in_dir`` in the catalog and site; ``lock_wait``: seconds to wait for another ingest.
    Returns: an :class:`IngestReport` with one outcome per input file.
    Raises: GazetteError E011 if ``out_dir`` is not writable, E001 if ``in_dir`` does not exist, E019 if another
    ingest holds the output folder (nothing written in all three cases).
    After this, guaranteed:
    1. every input whose sha256 is unchanged and whose every recorded output is on disk unchanged was skipped;
    2. every other input was parsed once: an Issue is in ``out_dir/issues/<issue-id>/`` with every export and its
       rows (and output checksums) replaced the old ones in the catalog; a failure (any output that could not be
       written included) or a quarantine is in the catalog with its code and message, and nothing of it is
       published;
    3. inputs gone from ``in_dir`` are gone from the catalog, ``issues/`` and the site (unless ``keep_removed``);
    4. ``out_dir/site`` reflects every issue in ``out_dir`` (unless the renderer failed: ``site_error``);
    5. a run killed at any point left whole files and whole catalog rows; rerunning completes the job.
    """
    t0 = time.perf_counter()
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.exists():
        raise GazetteError(Code.E001, str(in_dir), "input directory not found")
    ensure_writable(out_dir)
    with output_lock(out_dir, lock_wait), _disk_errors(out_dir):
        recover_all(out_dir)
        recover_all(out_dir / ISSUES_DIR)
        paths = find_inputs(in_dir, exclude=out_dir)
        conn = open_catalog(out_dir / CATALOG_NAME)
        try:
            batch = _Batch(conn, out_dir, options, parse, exporters or [], tokenize, accept_any, dir_preferences(paths))
            removed = [] if keep_removed else _forget_removed(batch, in_dir, paths)
            outcomes, todo = _plan(batch, paths)
            if exporters is None:
                batch.exporters = default_exporters() if todo else []
            _sweep_orphans(batch)
            _run_jobs(batch, todo, outcomes, jobs, scheduler, _progress(progress, len(paths)), t0)
            admin = [r for r in all_files(conn) if r.status in (RunStatus.FAILURE.value, QUARANTINED)]
            from pipeline.publish.annual import catalog_cross_year

            catalog_cross_year(out_dir)  # annual reports: V608 against the same issuer's previous year in the catalog
            site, site_error = _site(batch, render, admin)
        finally:
            conn.close()
    files = [outcomes[str(p)] for p in paths if str(p) in outcomes]
    return IngestReport(files, round(time.perf_counter() - t0, 3), site, site_error, removed)


@contextlib.contextmanager
def _disk_errors(out_dir: Path) -> Iterator[None]:
    """Turn a failure of the output folder itself (catalog or folders cannot be written: disk full, read-only)
    into GazetteError E011, never a traceback; the files already done stay done and recorded."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise GazetteError(Code.E011, str(out_dir), f"catalog cannot be written: {exc}") from exc
    except OSError as exc:
        code = output_code(exc)
        if code is not Code.E011:
            raise
        raise GazetteError(code, str(out_dir), f"output cannot be written: {exc.strerror or exc}") from exc


def _in_scope(path: str, in_dir: Path) -> bool:
    root = str(in_dir)
    return path == root or path.startswith(root.rstrip("/") + "/")


def _forget_removed(batch: _Batch, in_dir: Path, paths: Sequence[Path]) -> list[str]:
    """Forget the recorded inputs under ``in_dir`` that are no longer there (one catalog transaction), then
    delete their issue folders; returns their paths. Their content hashes are kept to recognise renames."""
    present = {str(p) for p in paths}
    gone = [r for r in all_files(batch.conn) if _in_scope(r.path, in_dir) and r.path not in present]
    if not gone:
        return []
    remove_files(batch.conn, [r.path for r in gone])
    for r in gone:
        if r.sha256:
            batch.renamed[r.sha256] = r.path
        if r.output:
            _remove_output(batch.out_dir, r.output)
    return [r.path for r in gone]


def _remove_output(out_dir: Path, output: str) -> None:
    """Delete an issue folder of the catalog (``issues/<name>``, or an old-layout ``<name>`` with an issue.json)."""
    target = Path(out_dir) / output
    if output.startswith(f"{ISSUES_DIR}/") or (target / "issue.json").is_file():
        if output not in (SITE_DIR, CATALOG_NAME, ISSUES_DIR):
            remove_dir(target)


def _sweep_orphans(batch: _Batch) -> None:
    """Delete issue folders no catalog row owns (left by a run killed between its catalog commit and the delete)."""
    root = batch.out_dir / ISSUES_DIR
    if not root.is_dir():
        return
    owned = {r.output for r in all_files(batch.conn) if r.output}
    for d in sorted(root.iterdir()):
        if d.is_dir() and not d.name.startswith(".") and f"{ISSUES_DIR}/{d.name}" not in owned:
            remove_dir(d)


def _up_to_date(batch: _Batch, row: FileRow | None, sha: str) -> bool:
    """Whether a file needs no work: same content, done, and every recorded output on disk unchanged."""
    if row is None or row.sha256 != sha or row.status in (RunStatus.FAILURE.value, QUARANTINED) or not row.output:
        return False
    recorded = output_rows(batch.conn, row.path)
    if f"{row.output}/issue.json" not in recorded:
        return False  # recorded before outputs had checksums (or in the old layout): redo
    return not drifted(batch.out_dir, recorded)


def _may_skip(row: FileRow | None, size: int) -> bool:
    """Whether the catalog could skip a file of this size: a done row with outputs, recorded with the same size."""
    if row is None or row.sha256 is None or not row.output:
        return False
    return row.status not in (RunStatus.FAILURE.value, QUARANTINED) and row.size in (None, size)


def _plan(batch: _Batch, paths: Sequence[Path]) -> tuple[dict[str, FileOutcome], list[_Job]]:
    """Stat every input; hash only those the catalog could skip; unchanged ones are skipped, the rest are jobs."""
    outcomes: dict[str, FileOutcome] = {}
    todo: list[_Job] = []
    for path in paths:
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a FIFO or device named *.txt would block the batch forever
                outcomes[str(path)] = _record_failure(batch, str(path), Code.E003, "not a regular file")
                continue
            row = file_row(batch.conn, str(path))
            sha = sha256_file(path) if _may_skip(row, st.st_size) else None
        except OSError as exc:
            message = f"file cannot be read: {exc.strerror or exc}"
            outcomes[str(path)] = _record_failure(batch, str(path), Code.E001, message)
            continue
        if row is not None and sha is not None and _up_to_date(batch, row, sha):
            outcomes[str(path)] = FileOutcome(
                str(path), Outcome.SKIPPED, sha, row.issue_id, RunStatus(row.status), output=row.output
            )
            continue
        todo.append(_Job(path, sha, st.st_size, st.st_mtime, st.st_mtime_ns))
    return outcomes, todo


def _record_failure(batch: _Batch, path: str, code: Code, message: str) -> FileOutcome:
    result = _failure(path, code, message)
    record_issue(batch.conn, result, None, tokenize=batch.tokenize)
    return FileOutcome(path, Outcome.FAILED, code=code.value, message=message)


def _run_jobs(
    batch: _Batch,
    todo: list[_Job],
    outcomes: dict[str, FileOutcome],
    jobs: int,
    scheduler: str | None,
    bar: Any,
    t0: float,
) -> None:
    """Parse the jobs (inline, pool or Dask), then store each result as it arrives."""
    if bar is not None:
        bar.update(bar.task_ids[0], advance=len(outcomes))
    workers = max(1, jobs)
    results: Iterator[tuple[_Job, WorkerOutput]]
    if scheduler:
        results = _results_dask(todo, batch.options, batch.parse, batch.tokenize, scheduler, workers)
    elif workers > 1 and len(todo) > 1:
        results = _results_pool(todo, batch.options, batch.parse, batch.tokenize, workers)
    else:
        results = _results_inline(todo, batch.options, batch.parse, batch.tokenize)
    pages = failed = 0
    try:
        for job, output in results:
            try:
                outcome = _store(batch, job, output)
            except Exception as exc:  # recording failed (a bug, or the disk): this file fails
                outcome = _store_failure(batch, job, exc)
            outcomes[outcome.path] = outcome
            pages += outcome.pages
            failed += outcome.outcome in (Outcome.FAILED, Outcome.QUARANTINED)
            if bar is not None:
                elapsed = time.perf_counter() - t0
                rate = pages / elapsed if elapsed else 0.0
                bar.update(bar.task_ids[0], advance=1, pages=pages, rate=rate, failed=failed)
    finally:
        if bar is not None:
            bar.stop()


def _site(batch: _Batch, render: RenderFn | None, admin: Sequence[FileRow]) -> tuple[list[str], Problem | None]:
    """Re-render the site when its inputs changed or a recorded site file drifted; record its files' checksums."""
    if render is None:
        try:
            render = default_render()
        except ImportError as exc:
            return [], Problem(code=Code.E099.value, message=f"site renderer unavailable: {exc}")
    recorded = output_rows(batch.conn, SITE_KEY)
    force = bool(drifted(batch.out_dir, recorded)) or not recorded
    site, error = render_site_dir(batch.out_dir, render, force=force, admin=admin)
    if error is None and (site or force):
        try:
            record_outputs(batch.conn, SITE_KEY, tree_checksums(batch.out_dir / SITE_DIR, SITE_DIR))
        except Exception as exc:  # the site is whole on disk; not recording it means it is rendered again next run
            error = Problem(code=output_code(exc).value, message=f"recording the site failed: {exc}")
    return site, error


def _store_failure(batch: _Batch, job: _Job, exc: Exception) -> FileOutcome:
    """Record a file whose outputs could not be written or recorded as failed (E011/E020), if the catalog allows."""
    code = exc.code if isinstance(exc, OutputError) else _bug_or_disk(exc)
    message = exc.message if isinstance(exc, OutputError) else f"storing the result failed: {type(exc).__name__}: {exc}"
    result = _failure(str(job.path), code, message)
    before = file_row(batch.conn, str(job.path))
    sha = _job_sha256(job)
    with contextlib.suppress(Exception):
        record_issue(batch.conn, result, sha, size=job.size, mtime=job.mtime)
        if before is not None and before.output:
            _remove_output(batch.out_dir, before.output)  # nothing of a failed file stays published
    return FileOutcome(str(job.path), Outcome.FAILED, sha, None, RunStatus.FAILURE, code.value, message)


def _not_a_document(issue: Issue) -> bool:
    """No official document found (the run reported P103): nothing to publish as a gazette document."""
    return not issue.documents


def _quarantine(batch: _Batch, job: _Job, result: RunResult) -> FileOutcome:
    """Record a file with no official document as quarantined (E018) and unpublish any earlier output of it."""
    path = str(job.path)
    reason = pick(
        "未发现公文结构（发文机关标志、文号、标题、成文日期）：已隔离，不予发布（--accept-any 可强制发布）",
        "no official document structure (issuer mark, document number, title, date): quarantined, not published "
        "(--accept-any publishes it)",
    )
    quarantined = Problem(code=Code.E018.value, message=reason, file=path, severity=Severity.ERROR)
    failed = result.model_copy(
        update={"issue": None, "status": RunStatus.FAILURE, "errors": [quarantined, *result.errors]}
    )
    before = file_row(batch.conn, path)
    sha = result.issue.source.sha256 if result.issue is not None and result.issue.source.sha256 else _job_sha256(job)
    record_issue(batch.conn, failed, sha, size=job.size, mtime=job.mtime, status=QUARANTINED)
    if before is not None and before.output:
        _remove_output(batch.out_dir, before.output)
    return FileOutcome(
        path,
        Outcome.QUARANTINED,
        sha,
        None,
        RunStatus.FAILURE,
        Code.E018.value,
        reason,
        seconds=result.seconds or 0.0,
    )


def _store(batch: _Batch, job: _Job, output: WorkerOutput) -> FileOutcome:
    """Write one result's outputs (atomically) and record it with their checksums in the catalog (one transaction)."""
    result = output.result
    path = str(job.path)
    issue = result.issue
    before = file_row(batch.conn, path)
    if issue is None or result.status == RunStatus.FAILURE:
        err = result.errors[0] if result.errors else Problem(code=Code.E099.value, message="no issue and no error")
        sha = _job_sha256(job)
        record_issue(
            batch.conn,
            result.model_copy(update={"issue": None, "status": RunStatus.FAILURE}),
            sha,
            size=job.size,
            mtime=job.mtime,
            tokenize=batch.tokenize,
        )
        if before is not None and before.output:
            _remove_output(batch.out_dir, before.output)
        return FileOutcome(
            path,
            Outcome.FAILED,
            sha,
            None,
            RunStatus.FAILURE,
            err.code,
            err.message,
            seconds=result.seconds or 0.0,
        )
    if _changed_while_parsed(job, issue):  # truncated or rewritten while the batch ran
        message = pick("文件在解析期间被改动：下次运行时重试", "file changed while it was parsed: retried next run")
        changed = result.model_copy(update={"issue": None, "status": RunStatus.FAILURE})
        changed.errors = [Problem(code=Code.E023.value, message=message, file=path, severity=Severity.ERROR)]
        return _store(batch, job, WorkerOutput(result=changed))
    if not batch.accept_any and _not_a_document(issue):
        return _quarantine(batch, job, result)
    sha = issue.source.sha256 or _job_sha256(job)
    folder = text_to_file_name(issue.id, "issue", limit=120, joiner="-")
    name = _claim_dir(batch.conn, f"{ISSUES_DIR}/{folder}{batch.suffixes.get(job.path, '')}", path, batch.claimed)

    sums = write_issue_dir(issue, batch.out_dir / name, batch.exporters)
    record_issue(
        batch.conn,
        result,
        sha,
        size=job.size,
        mtime=job.mtime,
        output=name,
        tokenize=batch.tokenize,
        index=output.index,
        outputs=sums,
    )
    if before is not None and before.output and before.output != name:
        _remove_output(batch.out_dir, before.output)
    renamed = batch.renamed.get(sha) if before is None and sha else None
    warnings = [pick(f"由 {renamed} 改名而来", f"renamed from {renamed}")] if renamed else []
    return FileOutcome(
        path,
        Outcome.INGESTED,
        sha,
        issue.id,
        result.status,
        pages=issue.source.pages or 0,
        seconds=result.seconds or 0.0,
        output=name,
        warnings=warnings,
    )
