"""The embedded SQLite catalog of an ingested archive (``output/catalog.sqlite``).

Tables (content rows are keyed by the sha256 of the source file, so identical copies share their rows):

- ``files``      one row per input path: sha256, size, mtime, status, issue id, output dir, error code/message.
- ``issues``     one row per content hash: the issue id, source, gazette, year, number.
- ``documents``, ``tasks``, ``units`` (canonical name and role per task), ``indicators``, ``findings``,
  ``problems`` (``Issue.errors``).
- ``outputs``    one row per written output file: the input path it belongs to (``<site>`` for the site), its
  name relative to the output folder and its sha256 (what ``gazette verify`` and every run check).
- ``fts``        an FTS5 index over documents (title, body text) and tasks (text, units), fed with
  space-joined tokens of ``pipeline.nlp.tokens_for_index`` so that Chinese words are searchable.

The database runs in WAL mode; :func:`record_issue` replaces a file's rows in one transaction, so a run
killed at any point leaves either the old or the new rows, never a mix.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from schemas.model import Deadline, DeadlineKind, Issue, RunResult, RunStatus, Task

Tokenizer = Callable[[str], list[str]]

TABLES = ("files", "issues", "documents", "tasks", "units", "indicators", "findings", "problems")
CONTENT_TABLES = ("issues", "documents", "tasks", "units", "indicators", "findings", "problems")

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER, mtime REAL, status TEXT NOT NULL, issue_id TEXT,
  output TEXT, pages INTEGER, error_code TEXT, error_message TEXT, ingested_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
  sha256 TEXT PRIMARY KEY, id TEXT NOT NULL, path TEXT, kind TEXT, pages INTEGER, gazette TEXT,
  year INTEGER, number INTEGER, status TEXT, schema_version TEXT);
CREATE TABLE IF NOT EXISTS documents (
  sha256 TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL, title TEXT NOT NULL, doc_number TEXT,
  issuer TEXT, date TEXT, first_page INTEGER, last_page INTEGER, PRIMARY KEY (sha256, id));
CREATE TABLE IF NOT EXISTS tasks (
  sha256 TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL, document_id TEXT NOT NULL, seq INTEGER,
  text TEXT NOT NULL, lead_units TEXT NOT NULL, co_units TEXT NOT NULL, due TEXT, page INTEGER,
  PRIMARY KEY (sha256, id));
CREATE TABLE IF NOT EXISTS units (
  sha256 TEXT NOT NULL, task_id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,
  PRIMARY KEY (sha256, task_id, name, role));
CREATE TABLE IF NOT EXISTS indicators (
  sha256 TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL, document_id TEXT NOT NULL, seq INTEGER,
  category TEXT, name TEXT NOT NULL, target_raw TEXT, op TEXT, value REAL, value2 REAL, unit TEXT,
  attribute TEXT, page INTEGER, PRIMARY KEY (sha256, id));
CREATE TABLE IF NOT EXISTS findings (
  sha256 TEXT NOT NULL, n INTEGER NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT,
  document_id TEXT, page INTEGER, PRIMARY KEY (sha256, n));
CREATE TABLE IF NOT EXISTS problems (
  sha256 TEXT NOT NULL, n INTEGER NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT,
  page INTEGER, PRIMARY KEY (sha256, n));
CREATE INDEX IF NOT EXISTS units_name ON units (name);
CREATE TABLE IF NOT EXISTS outputs (
  path TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (path, name));
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  title, body, kind UNINDEXED, sha256 UNINDEXED, ref UNINDEXED, document_id UNINDEXED,
  title_raw UNINDEXED, body_raw UNINDEXED, tokenize = 'unicode61');
"""


# --------------------------------------------------------------------------- typed rows


@dataclass(frozen=True, slots=True)
class FileRow:
    path: str
    sha256: str | None
    status: str
    issue_id: str | None
    output: str | None
    pages: int | None
    error_code: str | None
    error_message: str | None
    size: int | None = None  # bytes of the input when it was recorded (the plan hashes only same-size files)


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str  # "document" | "task"
    issue_id: str
    sha256: str
    ref: str  # document id or task id
    document_id: str
    path: str  # the source file of the issue
    title: str  # the document's title, or the task's text
    snippet: str  # a short window of the original text around the first match
    rank: float  # FTS5 bm25 rank: lower is better
    doc_title: str = ""  # the title of the document the hit is in
    page: int | None = None  # printed page of the task, or first page of the document
    terms: tuple[str, ...] = ()  # the query's tokens, for highlighting (:func:`highlight`)


@dataclass(frozen=True, slots=True)
class UnitRow:
    name: str
    leads: int
    co: int


@dataclass(frozen=True, slots=True)
class TaskRow:
    issue_id: str
    id: str
    document_id: str
    seq: int | None
    text: str
    lead_units: list[str]
    co_units: list[str]
    due: dt.date | None
    page: int | None
    path: str  # the source file of the issue


# --------------------------------------------------------------------------- connection


def default_tokenizer() -> Tokenizer:
    """The project's one tokenizer for the index (``pipeline.nlp.tokens_for_index``), imported lazily."""
    from pipeline.nlp import tokens_for_index

    return tokens_for_index


def open_catalog(db_path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the catalog at ``db_path``.

    Returns: an autocommit connection (transactions are explicit) in WAL mode with the schema in place.
    """
    conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=60.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn


@dataclass(slots=True)
class _Tx:
    conn: sqlite3.Connection

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def file_row(conn: sqlite3.Connection, path: str) -> FileRow | None:
    """The catalog's row for an input path, or None if the path was never recorded."""
    row = conn.execute(
        "SELECT path, sha256, status, issue_id, output, pages, error_code, error_message, size FROM files WHERE path = ?",
        (path,),
    ).fetchone()
    return FileRow(*row) if row else None


# --------------------------------------------------------------------------- issue → rows


def task_due(deadlines: Iterable[Deadline]) -> dt.date | None:
    """The earliest date a task is due: a ``by`` date or the end of a ``period``; recurring ones don't count."""
    dates: list[dt.date] = []
    for d in deadlines:
        if d.kind == DeadlineKind.BY and d.date:
            dates.append(d.date)
        elif d.kind == DeadlineKind.PERIOD and (d.end or d.date):
            dates.append(d.end or d.date)  # type: ignore[arg-type]
    return min(dates) if dates else None


def _issue_tasks(issue: Issue) -> Iterator[tuple[str, Task]]:
    for doc in issue.documents:
        for task in doc.tasks:
            yield doc.id, task
        for att in doc.attachments:
            for task in att.tasks:
                yield doc.id, task


def _index_text(tokenize: Tokenizer, text: str) -> str:
    return " ".join(t for t in (tok.strip() for tok in tokenize(text)) if t)


class IndexRow(BaseModel):
    """One FTS entry: a document (title, body text) or a task (text, units), raw and as space-joined tokens."""

    model_config = ConfigDict(extra="forbid")

    kind: str  # "document" | "task"
    ref: str  # document id or task id
    document_id: str
    title_raw: str
    body_raw: str
    title_tokens: str
    body_tokens: str


def issue_to_index_rows(issue: Issue, tokenize: Tokenizer | None = None) -> list[IndexRow]:
    """The full-text entries of an issue: one per document, one per task (pure; runs in ingest workers).

    Reads: the Issue; ``tokenize`` (default ``pipeline.nlp.tokens_for_index``). Returns: one row per document in
    order, then one per task (the tasks of each document's prose, then of its attachments).
    A document's body text is its paragraphs, then each attachment's title and paragraphs.
    """
    tokenize = tokenize or default_tokenizer()
    rows: list[IndexRow] = []
    for doc in issue.documents:
        parts = [p.text for p in doc.body]
        for att in doc.attachments:
            parts.append(att.title)
            parts.extend(p.text for p in att.body)
        body = "\n".join(parts)
        rows.append(
            IndexRow(
                kind="document",
                ref=doc.id,
                document_id=doc.id,
                title_raw=doc.title,
                body_raw=body,
                title_tokens=_index_text(tokenize, doc.title),
                body_tokens=_index_text(tokenize, body),
            )
        )
    for doc_id, task in _issue_tasks(issue):
        units = " ".join(task.lead_units + task.co_units)
        rows.append(
            IndexRow(
                kind="task",
                ref=task.id,
                document_id=doc_id,
                title_raw=task.text,
                body_raw=units,
                title_tokens=_index_text(tokenize, task.text),
                body_tokens=_index_text(tokenize, units),
            )
        )
    return rows


def _delete_content(conn: sqlite3.Connection, sha256: str) -> None:
    for table in CONTENT_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE sha256 = ?", (sha256,))
    conn.execute("DELETE FROM fts WHERE sha256 = ?", (sha256,))


def _insert_documents(conn: sqlite3.Connection, issue: Issue, sha256: str) -> None:
    """Reads an issue's documents; inserts their ``documents`` rows and their attachments' ``indicators`` rows."""
    for pos, doc in enumerate(issue.documents):
        conn.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
            (
                sha256,
                doc.id,
                pos,
                doc.title,
                doc.doc_number.raw if doc.doc_number else None,
                doc.issuer,
                doc.date.isoformat() if doc.date else None,
                doc.pages.first if doc.pages else None,
                doc.pages.last if doc.pages else None,
            ),
        )
        for att in doc.attachments:
            for ind in att.indicators:
                t = ind.target
                conn.execute(
                    "INSERT OR REPLACE INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        sha256,
                        ind.id,
                        pos,
                        doc.id,
                        ind.seq,
                        ind.category,
                        ind.name,
                        t.raw,
                        t.op.value if t.op else None,
                        t.value,
                        t.value2,
                        t.unit,
                        ind.attribute.value if ind.attribute else None,
                        ind.source.page if ind.source else None,
                    ),
                )


def _insert_tasks(conn: sqlite3.Connection, issue: Issue, sha256: str) -> None:
    """Reads an issue's tasks; inserts their ``tasks`` rows and the ``units`` rows of their lead and co units."""
    for pos, (doc_id, task) in enumerate(_issue_tasks(issue)):
        due = task_due(task.deadlines)
        conn.execute(
            "INSERT OR REPLACE INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                sha256,
                task.id,
                pos,
                doc_id,
                task.seq,
                task.text,
                json.dumps(task.lead_units, ensure_ascii=False),
                json.dumps(task.co_units, ensure_ascii=False),
                due.isoformat() if due else None,
                task.source.page if task.source else None,
            ),
        )
        for role, names in (("lead", task.lead_units), ("co", task.co_units)):
            for name in names:
                conn.execute("INSERT OR IGNORE INTO units VALUES (?,?,?,?)", (sha256, task.id, name, role))


def _insert_index(conn: sqlite3.Connection, sha256: str, index: list[IndexRow]) -> None:
    """Reads the full-text index rows of an issue; inserts them into ``fts``."""
    for row in index:
        conn.execute(
            "INSERT INTO fts VALUES (?,?,?,?,?,?,?,?)",
            (
                row.title_tokens,
                row.body_tokens,
                row.kind,
                sha256,
                row.ref,
                row.document_id,
                row.title_raw,
                row.body_raw,
            ),
        )


def _insert_findings(conn: sqlite3.Connection, issue: Issue, sha256: str) -> None:
    """Reads an issue's findings and problems; inserts their ``findings`` and ``problems`` rows."""
    for n, f in enumerate(issue.findings):
        conn.execute(
            "INSERT INTO findings VALUES (?,?,?,?,?,?,?)",
            (sha256, n, f.code, f.severity.value, f.message, f.document_id, f.location.page),
        )
    for n, p in enumerate(issue.errors):
        conn.execute(
            "INSERT INTO problems VALUES (?,?,?,?,?,?)", (sha256, n, p.code, p.severity.value, p.message, p.page)
        )


def _insert_issue(conn: sqlite3.Connection, issue: Issue, sha256: str, status: str, index: list[IndexRow]) -> None:
    """Reads an issue and its index rows; inserts all its content rows (issue, documents, tasks, fts, findings)."""
    conn.execute(
        "INSERT OR REPLACE INTO issues VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            sha256,
            issue.id,
            issue.source.path,
            issue.source.kind.value,
            issue.source.pages,
            issue.gazette,
            issue.year,
            issue.number,
            status,
            issue.schema_version,
        ),
    )
    _insert_documents(conn, issue, sha256)
    _insert_tasks(conn, issue, sha256)
    _insert_index(conn, sha256, index)
    _insert_findings(conn, issue, sha256)


def _issue_columns(
    result: RunResult, output: str | None
) -> tuple[str | None, str | None, object, str | None, str | None]:
    """Reads a run result; returns its ``files`` columns issue id, output, pages, error code and error message."""
    issue = result.issue
    err = result.errors[0] if result.errors and (issue is None or result.status == RunStatus.FAILURE) else None
    return (
        issue.id if issue else None,
        output if issue else None,
        issue.source.pages if issue else None,
        err.code if err else None,
        err.message if err else None,
    )


def _delete_stale(conn: sqlite3.Connection, result: RunResult, old_sha: str | None, sha256: str | None) -> None:
    """Reads the file's previous and new content hashes; deletes content rows no other recorded path still uses."""
    stale = {old_sha} if old_sha and old_sha != sha256 else set()
    if result.issue is None and sha256:
        stale.add(sha256)
    for sha in stale:
        shared = conn.execute(
            "SELECT 1 FROM files WHERE sha256 = ? AND path != ? AND status != ? LIMIT 1",
            (sha, result.path, RunStatus.FAILURE.value),
        ).fetchone()
        if not shared:
            _delete_content(conn, sha)


def record_issue(
    conn: sqlite3.Connection,
    result: RunResult,
    sha256: str | None,
    *,
    size: int | None = None,
    mtime: float | None = None,
    output: str | None = None,
    tokenize: Tokenizer | None = None,
    index: list[IndexRow] | None = None,
    outputs: dict[str, str] | None = None,
    status: str | None = None,
) -> None:
    """Record one file's run in the catalog, replacing the rows of its previous run, in ONE transaction.

    Reads: ``result`` (a success/partial success with an Issue, or a failure with its Problems) and the file's
    content hash. Writes: the ``files`` row of ``result.path``; for an Issue, its content rows (keyed by
    ``sha256``) and FTS entries: ``index`` if given (computed by a worker), else
    ``issue_to_index_rows(issue, tokenize)``; ``tokenize`` defaults to ``pipeline.nlp.tokens_for_index``.
    ``outputs`` (output file name → sha256) replaces the file's ``outputs`` rows; ``status`` overrides the
    recorded status (``quarantined``).
    After this, guaranteed: the catalog holds either all the old rows of this file or all the new ones;
    rows of the file's previous content are gone unless another recorded path has that same content.
    """
    if result.issue is not None and index is None:
        index = issue_to_index_rows(result.issue, tokenize)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    issue = result.issue
    with _Tx(conn):
        old = conn.execute("SELECT sha256 FROM files WHERE path = ?", (result.path,)).fetchone()
        old_sha = old[0] if old else None
        conn.execute(
            "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (result.path, sha256, size, mtime, status or result.status.value, *_issue_columns(result, output), now),
        )
        _delete_stale(conn, result, old_sha, sha256)
        if issue is not None and sha256:
            _delete_content(conn, sha256)
            _insert_issue(conn, issue, sha256, result.status.value, index or [])
        _replace_outputs(conn, result.path, outputs or {})


def _replace_outputs(conn: sqlite3.Connection, path: str, outputs: dict[str, str]) -> None:
    conn.execute("DELETE FROM outputs WHERE path = ?", (path,))
    conn.executemany("INSERT INTO outputs VALUES (?,?,?)", [(path, n, h) for n, h in sorted(outputs.items())])


def output_rows(conn: sqlite3.Connection, path: str) -> dict[str, str]:
    """The recorded outputs of an input path (``<site>`` for the site): name relative to OUT → sha256."""
    return dict(conn.execute("SELECT name, sha256 FROM outputs WHERE path = ?", (path,)).fetchall())


def record_outputs(conn: sqlite3.Connection, path: str, outputs: dict[str, str]) -> None:
    """Replace the recorded outputs of ``path`` (the site's, after a render) in one transaction."""
    with _Tx(conn):
        _replace_outputs(conn, path, outputs)


def all_files(conn: sqlite3.Connection) -> list[FileRow]:
    """Every ``files`` row, in path order."""
    rows = conn.execute(
        "SELECT path, sha256, status, issue_id, output, pages, error_code, error_message, size FROM files ORDER BY path"
    ).fetchall()
    return [FileRow(*row) for row in rows]


def remove_files(conn: sqlite3.Connection, paths: Iterable[str]) -> None:
    """Forget input paths (removed from the input folder) in ONE transaction: their ``files`` and ``outputs``
    rows, and the content rows of their hashes unless another recorded path still has that content."""
    with _Tx(conn):
        for path in paths:
            row = conn.execute("SELECT sha256 FROM files WHERE path = ?", (path,)).fetchone()
            conn.execute("DELETE FROM files WHERE path = ?", (path,))
            conn.execute("DELETE FROM outputs WHERE path = ?", (path,))
            sha = row[0] if row else None
            if (
                sha
                and not conn.execute(
                    "SELECT 1 FROM files WHERE sha256 = ? AND status NOT IN (?, ?) LIMIT 1",
                    (sha, RunStatus.FAILURE.value, "quarantined"),
                ).fetchone()
            ):
                _delete_content(conn, sha)


def open_catalog_readonly(db_path: Path) -> sqlite3.Connection:
    """Open the catalog for queries only: ``mode=ro``, and ``immutable=1`` when its folder is not writable
    (a published, read-only copy: SQLite then needs no ``-wal``/``-shm`` files). Never writes anything."""
    path = Path(db_path).resolve()
    if not path.is_file():  # nothing ingested yet: an empty catalog answers every query with nothing
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.executescript(SCHEMA)
        return conn
    immutable = not os.access(path.parent, os.W_OK) or not os.access(path, os.W_OK)
    uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=60.0)


# --------------------------------------------------------------------------- queries

# One content hash per issue id: a PDF and its text twin (``x.pdf`` + ``x.txt``) parse to the same issue id
# and are one issue with two sources; queries read only the PDF's rows when an issue has both, so nothing is
# counted twice.
PRIMARY_SHA = (
    "SELECT i.sha256 FROM issues i WHERE i.kind = 'pdf' OR NOT EXISTS "
    "(SELECT 1 FROM issues j WHERE j.id = i.id AND j.kind = 'pdf')"
)


def _fts_query(tokens: Iterable[str]) -> str:
    """An FTS5 query: every token as a quoted prefix phrase, all required."""
    terms = []
    for tok in tokens:
        tok = tok.strip()
        if tok and any(ch.isalnum() for ch in tok):
            terms.append('"' + tok.replace('"', '""') + '"*')
    return " ".join(dict.fromkeys(terms))


def _snippet(text: str, tokens: list[str], width: int = 40) -> str:
    for tok in tokens:
        at = text.find(tok) if tok.strip() else -1
        if at >= 0:
            start = max(0, at - width)
            end = min(len(text), at + len(tok) + width)
            return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return text[: 2 * width] + ("…" if len(text) > 2 * width else "")


def highlight(text: str, terms: Iterable[str], mark: tuple[str, str] = ("【", "】")) -> str:
    """``text`` with every occurrence of the query terms wrapped in ``mark`` (longest terms first, no nesting)."""
    words = sorted(
        {t for t in (x.strip() for x in terms) if t and any(ch.isalnum() for ch in t)}, key=len, reverse=True
    )
    if not words:
        return text
    out, i = [], 0
    while i < len(text):
        hit = next((w for w in words if text.startswith(w, i)), None)
        if hit is None:
            out.append(text[i])
            i += 1
        else:
            out.append(f"{mark[0]}{hit}{mark[1]}")
            i += len(hit)
    return "".join(out)


def search(db_path: Path, query: str, limit: int = 20, *, tokenize: Tokenizer | None = None) -> list[SearchHit]:
    """Full-text search over documents and tasks.

    Reads: the catalog at ``db_path`` and a query in any language; the query is tokenised like the index.
    Returns: up to ``limit`` hits, best first (bm25), each all words of the query (as word prefixes), each
    with its document's title and page; a PDF and its text twin give one hit, not two.
    An empty query (or one of punctuation only) returns no hits.
    """
    tokenize = tokenize or default_tokenizer()
    tokens = [t.strip() for t in tokenize(query) if t.strip()]
    match = _fts_query(tokens)
    if not match:
        return []
    conn = open_catalog_readonly(db_path)
    try:
        rows = conn.execute(
            "SELECT fts.kind, issues.id, fts.sha256, fts.ref, fts.document_id, issues.path, fts.title_raw, "
            "fts.body_raw, bm25(fts) AS r, d.title, COALESCE(t.page, d.first_page) "
            "FROM fts JOIN issues ON issues.sha256 = fts.sha256 "
            "LEFT JOIN documents d ON d.sha256 = fts.sha256 AND d.id = fts.document_id "
            "LEFT JOIN tasks t ON fts.kind = 'task' AND t.sha256 = fts.sha256 AND t.id = fts.ref "
            f"WHERE fts MATCH ? AND fts.sha256 IN ({PRIMARY_SHA}) ORDER BY r, issues.id, fts.ref LIMIT ?",
            (match, limit),
        ).fetchall()
    finally:
        conn.close()
    hits = []
    for kind, issue_id, sha, ref, doc_id, path, title, body, rank, doc_title, page in rows:
        text = title if kind == "task" or any(t in title for t in tokens) else body
        hits.append(
            SearchHit(
                kind,
                issue_id,
                sha,
                ref,
                doc_id,
                path,
                title,
                _snippet(text, tokens),
                float(rank),
                doc_title or "",
                page,
                tuple(tokens),
            )
        )
    return hits


def list_units(db_path: Path) -> list[UnitRow]:
    """Every canonical unit with the number of tasks it leads and co-operates on, most leads first
    (a PDF and its text twin count once)."""
    conn = open_catalog_readonly(db_path)
    try:
        rows = conn.execute(
            f"SELECT name, SUM(role = 'lead'), SUM(role = 'co') FROM units WHERE sha256 IN ({PRIMARY_SHA}) "
            "GROUP BY name ORDER BY SUM(role = 'lead') DESC, SUM(role = 'co') DESC, name"
        ).fetchall()
    finally:
        conn.close()
    return [UnitRow(name, int(leads), int(co)) for name, leads, co in rows]


def resolve_unit(db_path: Path, query: str) -> list[str]:
    """The canonical unit names a user's ``query`` means: the exact name if the catalog has it, else every
    name containing it (``司法局`` → ``区司法局``); several names mean the query is ambiguous; none: unknown."""
    q = query.strip()
    if not q:
        return []
    names = [u.name for u in list_units(db_path)]
    if q in names:
        return [q]
    return sorted(n for n in names if q in n)


def list_tasks(db_path: Path, unit: str | None = None, due_before: dt.date | None = None) -> list[TaskRow]:
    """Tasks in archive order, optionally only those a unit leads or co-operates on, and/or due before a date.

    ``unit`` is matched by :func:`resolve_unit` (exact canonical name, else a unique part of one; an
    ambiguous or unknown part matches nothing). ``due`` of a task is its earliest ``by`` date or period end
    (:func:`task_due`); with ``due_before`` set, tasks without such a date are left out. A PDF and its text
    twin give each task once.
    """
    sql = (
        "SELECT issues.id, t.id, t.document_id, t.seq, t.text, t.lead_units, t.co_units, t.due, t.page, issues.path "
        f"FROM tasks t JOIN issues ON issues.sha256 = t.sha256 WHERE t.sha256 IN ({PRIMARY_SHA})"
    )
    params: list[object] = []
    if unit is not None:
        names = resolve_unit(db_path, unit)
        sql += " AND EXISTS (SELECT 1 FROM units u WHERE u.sha256 = t.sha256 AND u.task_id = t.id AND u.name = ?)"
        params.append(names[0] if len(names) == 1 else "\x00")
    if due_before is not None:
        sql += " AND t.due IS NOT NULL AND t.due < ?"
        params.append(due_before.isoformat())
    sql += " ORDER BY issues.id, t.sha256, t.pos"
    conn = open_catalog_readonly(db_path)
    try:
        rows = conn.execute(sql, params).fetchall()
    finally:
        conn.close()
    return [
        TaskRow(
            iid,
            tid,
            doc,
            seq,
            text,
            json.loads(lead),
            json.loads(co),
            dt.date.fromisoformat(due) if due else None,
            page,
            path,
        )
        for iid, tid, doc, seq, text, lead, co, due, page, path in rows
    ]


def counts(db_path: Path) -> dict[str, int]:
    """Row counts per catalog table (``files``, ``issues``, ``documents``, ``tasks``, ``units``, …)."""
    conn = open_catalog_readonly(db_path)
    try:
        return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in TABLES}
    finally:
        conn.close()
