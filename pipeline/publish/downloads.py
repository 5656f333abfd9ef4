"""Issue → its downloadable files inside the site folder, and the download links of each page.

Reads: the Issue, the site folder, the issue's folder in it (given by the caller) and the source file.
Writes ``<site>/<issue folder>/downloads/``: the source file, ``issue.json``, ``documents/*.json``, the flat
exports (tasks/indicators CSV and XLSX, ``deadlines.ics``, ``units/<单位>.ics``, ``tables/<doc>-表N.csv|.xlsx``),
all from ``pipeline.publish.export``. Guarantees: every link of :class:`Downloads` names a written file, so a
copy of the site folder is self-contained; link texts come from the message catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.grammar.names import text_to_file_name
from pipeline.publish.export import (
    safe_name,
    table_files,
    table_label,
    unit_calendar_names,
    write_atomic,
    write_document_json,
    write_exports,
)
from pipeline.publish.messages import msg
from schemas.model import Issue

FOLDER = "downloads"


@dataclass(frozen=True, slots=True)
class FileLink:
    """A download: the text shown and the file's path from the site root."""

    text: str
    path: str


@dataclass(slots=True)
class Downloads:
    """The download links of an issue's pages (paths from the site root)."""

    issue: list[FileLink] = field(default_factory=list)
    documents: dict[str, list[FileLink]] = field(default_factory=dict)
    units: dict[str, list[FileLink]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def source_file_name(source: Path) -> str:
    """The source file's name in the downloads folder: readable stem, lower-case suffix."""
    return text_to_file_name(source.stem, "source") + source.suffix.lower()


def write_downloads(issue: Issue, site_dir: Path, base: str, source: Path | None) -> Downloads:
    """Write every download of ``issue`` under ``site_dir/base/downloads`` and return the links per page."""
    root = f"{base}/{FOLDER}"
    folder = site_dir / root
    out = Downloads()
    out.written += write_exports(issue, folder)
    out.written += write_document_json(issue, folder)
    out.written.append(write_atomic(folder / "issue.json", (issue.model_dump_json(indent=2) + "\n").encode("utf-8")))
    common: list[FileLink] = []
    if source is not None and source.is_file():
        name = source_file_name(source)
        out.written.append(write_atomic(folder / name, source.read_bytes()))
        common.append(FileLink(f"{msg('site.source_file')}（{source.suffix.lstrip('.').upper()}）", f"{root}/{name}"))
    common.append(FileLink(msg("site.issue_json"), f"{root}/issue.json"))
    exports = [
        FileLink(msg("site.tasks_xlsx"), f"{root}/tasks.xlsx"),
        FileLink(msg("site.tasks_csv"), f"{root}/tasks.csv"),
        FileLink(msg("site.indicators_xlsx"), f"{root}/indicators.xlsx"),
        FileLink(msg("site.indicators_csv"), f"{root}/indicators.csv"),
        FileLink(msg("site.deadlines_ics"), f"{root}/deadlines.ics"),
    ]
    tables: dict[str, list[FileLink]] = {}
    for doc, table, stem in table_files(issue):
        label = table_label(table)
        tables.setdefault(doc.id, []).extend(
            [
                FileLink(msg("site.table_xlsx", title=label), f"{root}/tables/{stem}.xlsx"),
                FileLink(msg("site.table_csv", title=label), f"{root}/tables/{stem}.csv"),
            ]
        )
    out.issue = common + exports + [link for doc in issue.documents for link in tables.get(doc.id, [])]
    for doc in issue.documents:
        own = FileLink(msg("site.document_json"), f"{root}/documents/{safe_name(doc.id)}.json")
        out.documents[doc.id] = [*common, own, *exports, *tables.get(doc.id, [])]
    calendars = unit_calendar_names(issue)
    for unit in issue.units:
        links = [
            FileLink(msg("site.tasks_xlsx"), f"{root}/tasks.xlsx"),
            FileLink(msg("site.tasks_csv"), f"{root}/tasks.csv"),
        ]
        if unit.name in calendars:
            links.insert(0, FileLink(msg("site.unit_ics"), f"{root}/units/{calendars[unit.name]}"))
        out.units[unit.name] = links
    return out
