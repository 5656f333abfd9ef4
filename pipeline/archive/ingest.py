"""Ingest an archive: every PDF/TXT under a directory → ``out_dir/<issue-id>/`` outputs, the catalog, the site.

The chain for one batch (:func:`ingest_dir`):

1. ``find_inputs``      directory → sorted input files (``*.pdf``, ``*.txt``, ``*.ofd``, ``*.docx``, ``*.doc``, ``*.wps``,
                         recursively; hidden and output dirs skipped).
2. hash + plan          unchanged files (same sha256 in the catalog, output still on disk) are skipped.
3. parse                ``pipeline.run.parse_file`` per file, in this process (``jobs=1``), in a spawn-safe process
                        pool (``jobs>1``) or on a Dask cluster (``scheduler``); workers return RunResult JSON.
4. write                ``issue.json`` + ``documents/*.json`` + exports, built in a staging dir and swapped in.
5. record               the catalog rows of the file, replaced in one transaction.
6. site                 ``out_dir/site`` re-rendered from every ``issue.json`` in ``out_dir`` when they changed.

A run killed at any point leaves whole outputs and whole catalog rows; the next run redoes what is missing.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import multiprocessing
import os
import re
import shutil
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
from pipeline.archive.catalog import IndexRow, Tokenizer, file_row, issue_to_index_rows, open_catalog, record_issue
from pipeline.errors import Code, GazetteError
from pipeline.options import RunOptions
from schemas.model import Issue, Problem, RunResult, RunStatus, Severity

ParseFn = Callable[[Path, RunOptions], RunResult]
Exporter = Callable[[Issue, Path], list[Path]]
RenderFn = Callable[[list[Issue], Path, dict[str, Path] | None], list[Path]]

SUFFIXES = (".pdf", ".txt", ".ofd", ".docx", ".doc", ".wps")  # found by name; the kind is then read from the content
CATALOG_NAME = "catalog.sqlite"
SITE_DIR = "site"
SITE_STAMP = ".inputs"


class Outcome(StrEnum):
    INGESTED = "ingested"
    SKIPPED = "skipped"  # unchanged since the last run
    FAILED = "failed"


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
    def pages(self) -> int:
        """PDF pages parsed in this batch (skipped files don't count)."""
        return sum(f.pages for f in self.files if f.outcome != Outcome.SKIPPED)

    def summary(self) -> str:
        """The lines the CLI prints: the counts, then one line per failed file (``error[E004]: path: reason``)."""
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{len(self.files)} files: {self.ingested} ingested, {self.skipped} skipped (unchanged), "
            f"{self.failed} failed; {self.pages} pages in {self.seconds:.1f} s ({rate:.1f} pages/s)"
        ]
        for f in self.files:
            if f.outcome == Outcome.FAILED:
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


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes (read in 1 MiB chunks: memory stays flat)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _safe_name(text: str) -> str:
    name = re.sub(r"[^\w.\-]+", "-", text).strip(".-")
    return name or "issue"


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


def parse_to_json(path: str, options: RunOptions, parse: ParseFn | None = None) -> str:
    """Parse one file and return its RunResult as JSON (what a worker sends back: small, picklable, no PDF).

    Reads: the file at ``path``. ``parse`` defaults to ``pipeline.run.parse_file`` (imported in the worker).
    Never raises: a vanished file is a failure with E001, an exception escaping ``parse`` one with E099.
    """
    t0 = time.perf_counter()
    try:
        if parse is None:
            from pipeline.run import parse_file

            parse = parse_file
        if not Path(path).exists():
            result = _failure(path, Code.E001, "file vanished before it could be parsed")
        else:
            result = parse(Path(path), options)
    except FileNotFoundError as exc:
        result = _failure(path, Code.E001, f"file vanished while it was parsed: {exc}")
    except Exception as exc:  # a bug in a stage: reported for this file, the batch goes on
        result = _failure(path, Code.E099, f"{type(exc).__name__}: {exc}")
    if result.seconds is None:
        result = result.model_copy(update={"seconds": round(time.perf_counter() - t0, 3)})
    return result.model_dump_json()


class WorkerOutput(BaseModel):
    """What a worker sends back for one file: the RunResult and, for an Issue, its full-text index rows.

    Tokenising in the worker keeps the parent free of jieba and parallelises the indexing.
    """

    model_config = ConfigDict(extra="forbid")

    result: RunResult
    index: list[IndexRow] | None = None


def parse_and_index(
    path: str, options: RunOptions, parse: ParseFn | None = None, tokenize: Tokenizer | None = None
) -> str:
    """A worker's job: :func:`parse_to_json`, plus the Issue's index rows; returns :class:`WorkerOutput` JSON.

    Never raises: if indexing fails, ``index`` is None and the parent indexes (and reports) the issue itself.
    """
    result = RunResult.model_validate_json(parse_to_json(path, options, parse))
    index = None
    if result.issue is not None:
        try:
            index = issue_to_index_rows(result.issue, tokenize)
        except Exception:  # the parent retries with the same tokenizer and records what happens
            index = None
    return WorkerOutput(result=result, index=index).model_dump_json()


def _failed_output(job: _Job, exc: BaseException) -> str:
    failure = _failure(str(job.path), Code.E099, f"worker failed: {type(exc).__name__}: {exc}")
    return WorkerOutput(result=failure).model_dump_json()


@dataclass(frozen=True, slots=True)
class _Job:
    path: Path
    sha256: str
    size: int
    mtime: float


def _results_inline(
    jobs: list[_Job], options: RunOptions, parse: ParseFn | None, tokenize: Tokenizer | None
) -> Iterator[tuple[_Job, str]]:
    for job in jobs:
        yield job, parse_and_index(str(job.path), options, parse, tokenize)


def _results_pool(
    jobs: list[_Job], options: RunOptions, parse: ParseFn | None, tokenize: Tokenizer | None, workers: int
) -> Iterator[tuple[_Job, str]]:
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
            running: dict[cf.Future[str], _Job] = {}
            broken = False
            while todo or running:
                while todo and not broken and len(running) < 2 * workers:
                    job = todo.popleft()
                    running[pool.submit(parse_and_index, str(job.path), options, parse, tokenize)] = job
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
) -> Iterator[tuple[_Job, str]]:
    """Results from a Dask distributed cluster (``scheduler``: an address, or ``"local"`` for a LocalCluster).

    Workers must see the input paths (a shared filesystem); at most ``2 × workers`` tasks are in flight.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
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
    from pipeline.publish.export import write_document_json, write_exports

    return [write_document_json, write_exports]


def default_render() -> RenderFn:
    """``pipeline.publish.site.render_site``, imported lazily."""
    from pipeline.publish.site import render_site

    return render_site


def write_issue_dir(issue: Issue, final: Path, exporters: Iterable[Exporter]) -> list[str]:
    """Write ``issue.json`` and every exporter's files into ``final``, swapped in atomically.

    Returns: one warning per exporter that raised (its files are left out; ``issue.json`` is always written).
    After this, guaranteed: ``final`` holds exactly the new outputs, or (killed half-way) its old ones.
    """
    warnings: list[str] = []
    with staged_dir(final) as stage:
        write_json_atomic(stage / "issue.json", issue)
        for export in exporters:
            try:
                export(issue, stage)
            except Exception as exc:  # another stage's bug must not lose the issue
                name = getattr(export, "__name__", "exporter")
                warnings.append(f"[{Code.P999.value}] {name} failed: {type(exc).__name__}: {exc}")
    return warnings


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


def issues_in(out_dir: Path) -> list[Issue]:
    """Every ``<dir>/issue.json`` directly under ``out_dir``, validated, in directory-name order."""
    issues = []
    for p in sorted(Path(out_dir).glob("*/issue.json")):
        if not p.parent.name.startswith("."):
            issues.append(Issue.model_validate_json(p.read_bytes()))
    return issues


def _site_inputs(out_dir: Path) -> str:
    parts = []
    for p in sorted(Path(out_dir).glob("*/issue.json")):
        if not p.parent.name.startswith("."):
            st = p.stat()
            parts.append(f"{p.parent.name}\t{st.st_size}\t{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


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


def render_site_dir(out_dir: Path, render: RenderFn, force: bool = False) -> tuple[list[str], Problem | None]:
    """Re-render ``out_dir/site`` from all issues in ``out_dir`` if they changed since the last render.

    Returns: the written files (relative to ``out_dir``; empty when the site was up to date) and a Problem
    (E099) if the renderer failed, in which case the previous site is kept whole.
    """
    final = Path(out_dir) / SITE_DIR
    stamp = _site_inputs(out_dir)
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
            write_text_atomic(stage / SITE_STAMP, stamp)
    except Exception as exc:
        return [], Problem(code=Code.E099.value, message=f"site rendering failed: {type(exc).__name__}: {exc}")
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
) -> IngestReport:
    """Ingest every PDF/TXT under ``in_dir`` into ``out_dir`` (outputs per issue, ``catalog.sqlite``, ``site/``).

    Reads: the input files; the catalog of earlier runs. ``parse`` (default ``pipeline.run.parse_file``; a
    module-level function when ``jobs > 1`` or ``scheduler`` is set), ``exporters`` (default
    ``pipeline.publish.export``'s document JSON and exports), ``render`` (default ``pipeline.publish.site.render_site``)
    and ``tokenize`` (default ``pipeline.nlp.tokens_for_index``) can be injected.
    Returns: an :class:`IngestReport` with one outcome per input file.
    Raises: GazetteError E011 if ``out_dir`` is not writable, E001 if ``in_dir`` does not exist (nothing written).
    After this, guaranteed:
    1. every input whose sha256 is unchanged and whose output exists was skipped, not parsed again;
    2. every other input was parsed once: an Issue is in ``out_dir/<issue-id>/`` (issue.json, exports) and its
       rows replaced the old ones in the catalog; a failure is in the catalog with its code and message;
    3. ``out_dir/site`` reflects every issue.json in ``out_dir`` (unless the renderer failed: ``site_error``);
    4. a run killed at any point left whole files and whole catalog rows; rerunning completes the job.
    """
    t0 = time.perf_counter()
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.exists():
        raise GazetteError(Code.E001, str(in_dir), "input directory not found")
    ensure_writable(out_dir)
    recover_all(out_dir)
    paths = find_inputs(in_dir, exclude=out_dir)
    suffixes = dir_preferences(paths)
    conn = open_catalog(out_dir / CATALOG_NAME)
    outcomes: dict[str, FileOutcome] = {}
    todo: list[_Job] = []
    try:
        for path in paths:
            try:
                st = path.stat()
                if not stat.S_ISREG(st.st_mode):  # a FIFO or device named *.txt would block the batch forever
                    result = _failure(str(path), Code.E003, "not a regular file")
                    record_issue(conn, result, None, tokenize=tokenize)
                    outcomes[str(path)] = FileOutcome(
                        str(path), Outcome.FAILED, code=Code.E003.value, message=result.errors[0].message
                    )
                    continue
                sha = sha256_file(path)
            except OSError as exc:
                result = _failure(str(path), Code.E001, f"file cannot be read: {exc.strerror or exc}")
                record_issue(conn, result, None, tokenize=tokenize)
                outcomes[str(path)] = FileOutcome(
                    str(path), Outcome.FAILED, code=Code.E001.value, message=result.errors[0].message
                )
                continue
            row = file_row(conn, str(path))
            if (
                row is not None
                and row.sha256 == sha
                and row.status != RunStatus.FAILURE.value
                and row.output
                and (out_dir / row.output / "issue.json").is_file()
            ):
                outcomes[str(path)] = FileOutcome(
                    str(path), Outcome.SKIPPED, sha, row.issue_id, RunStatus(row.status), output=row.output
                )
                continue
            todo.append(_Job(path, sha, st.st_size, st.st_mtime))

        if exporters is None:
            exporters = default_exporters() if todo else []
        bar = _progress(progress, len(paths))
        if bar is not None:
            bar.update(bar.task_ids[0], advance=len(paths) - len(todo))
        workers = max(1, jobs)
        if scheduler:
            results = _results_dask(todo, options, parse, tokenize, scheduler, workers)
        elif workers > 1 and len(todo) > 1:
            results = _results_pool(todo, options, parse, tokenize, workers)
        else:
            results = _results_inline(todo, options, parse, tokenize)
        claimed: dict[str, str] = {}
        pages = failed = 0
        for job, text in results:
            output = WorkerOutput.model_validate_json(text)
            try:
                outcome = _store(conn, job, output, out_dir, suffixes.get(job.path, ""), claimed, exporters, tokenize)
            except Exception as exc:  # writing or recording failed (a bug, or the disk): this file fails
                outcome = _store_failure(conn, job, exc)

            outcomes[outcome.path] = outcome
            pages += outcome.pages
            failed += outcome.outcome == Outcome.FAILED
            if bar is not None:
                elapsed = time.perf_counter() - t0
                bar.update(
                    bar.task_ids[0], advance=1, pages=pages, rate=pages / elapsed if elapsed else 0.0, failed=failed
                )
        if bar is not None:
            bar.stop()
    finally:
        conn.close()

    site: list[str] = []
    site_error: Problem | None = None
    if render is None:
        try:
            render = default_render()
        except ImportError as exc:
            site_error = Problem(code=Code.E099.value, message=f"site renderer unavailable: {exc}")
    if render is not None:
        site, site_error = render_site_dir(out_dir, render)
    files = [outcomes[str(p)] for p in paths if str(p) in outcomes]
    return IngestReport(files, round(time.perf_counter() - t0, 3), site, site_error)


def _store_failure(conn: Any, job: _Job, exc: Exception) -> FileOutcome:
    """Record a file whose outputs could not be written or recorded as failed (E099), if the catalog allows."""
    result = _failure(str(job.path), Code.E099, f"storing the result failed: {type(exc).__name__}: {exc}")
    with contextlib.suppress(Exception):
        record_issue(conn, result, job.sha256, size=job.size, mtime=job.mtime)
    return FileOutcome(
        str(job.path), Outcome.FAILED, job.sha256, None, RunStatus.FAILURE, Code.E099.value, result.errors[0].message
    )


def _store(
    conn: Any,
    job: _Job,
    output: WorkerOutput,
    out_dir: Path,
    suffix: str,
    claimed: dict[str, str],
    exporters: Sequence[Exporter],
    tokenize: Tokenizer | None,
) -> FileOutcome:
    """Write one result's outputs (atomically) and record it in the catalog (one transaction)."""
    result = output.result
    path = str(job.path)
    issue = result.issue
    if issue is None or result.status == RunStatus.FAILURE:
        err = result.errors[0] if result.errors else Problem(code=Code.E099.value, message="no issue and no error")
        before = file_row(conn, path)
        record_issue(
            conn,
            result.model_copy(update={"issue": None, "status": RunStatus.FAILURE}),
            job.sha256,
            size=job.size,
            mtime=job.mtime,
            tokenize=tokenize,
        )
        if before is not None and before.output:
            remove_dir(out_dir / before.output)
        return FileOutcome(
            path,
            Outcome.FAILED,
            job.sha256,
            None,
            RunStatus.FAILURE,
            err.code,
            err.message,
            seconds=result.seconds or 0.0,
        )
    sha = issue.source.sha256 or job.sha256
    name = _claim_dir(conn, _safe_name(issue.id) + suffix, path, claimed)
    warnings = write_issue_dir(issue, out_dir / name, exporters)
    record_issue(conn, result, sha, size=job.size, mtime=job.mtime, output=name, tokenize=tokenize, index=output.index)
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
