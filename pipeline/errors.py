"""Coded errors and problems.

``E0xx`` — an input that cannot be processed at all (the run fails for that file, the batch goes on).
``P1xx`` — something inside an otherwise processed file that could not be extracted (a ``Problem`` in
``Issue.errors``; the run is a partial success).

Findings about the gazette's content (``V1xx`` …) live in ``pipeline.check.validate``, not here.
Tests assert these codes, never the wording. The README's error table lists them.
"""

from __future__ import annotations

from enum import Enum

from schemas.model import Problem, Severity


class Code(str, Enum):
    # --- the file cannot be processed (exit status 2 for `gazette parse`)
    E001 = "E001"  # file not found (or vanished while the batch ran)
    E002 = "E002"  # file is empty
    E003 = "E003"  # unsupported file type / not a PDF (binary garbage)
    E004 = "E004"  # corrupt or truncated PDF: cannot be opened or read
    E005 = "E005"  # encrypted PDF (password needed)
    E006 = "E006"  # no text layer: scanned/image-only, needs OCR
    E007 = "E007"  # text is garbled: fonts without a ToUnicode map ((cid:NN))
    E008 = "E008"  # text file in an encoding that cannot be decoded
    E009 = "E009"  # per-file time budget exceeded
    E010 = "E010"  # per-file page budget exceeded
    E011 = "E011"  # output directory not writable
    E099 = "E099"  # internal error in a stage (a bug: reported, never a traceback)
    # --- problems inside a processed file (run is partial_success)
    P101 = "P101"  # an issue TOC entry has no matching document
    P102 = "P102"  # a document has no matching issue TOC entry
    P103 = "P103"  # no official document found: the file may not be a gazette
    P104 = "P104"  # a GB/T 9704 element could not be parsed (date, 发文字号 …)
    P105 = "P105"  # some pages carry garbled text ((cid:NN)) and were partly skipped
    P201 = "P201"  # an indicator target could not be parsed
    P202 = "P202"  # a table could not be resolved into rows
    P301 = "P301"  # a task row has no unit
    P999 = "P999"  # a stage failed on part of the input (a bug, contained)
    # --- scanned pages and the PDF backends (issue 17)
    P130 = "P130"  # pages without a text layer were read with OCR (their values carry a confidence)


DESCRIPTIONS: dict[Code, str] = {
    Code.E001: "file not found",
    Code.E002: "file is empty",
    Code.E003: "not a PDF or a text file",
    Code.E004: "corrupt or truncated PDF",
    Code.E005: "encrypted PDF",
    Code.E006: "no text layer (scanned image): needs OCR",
    Code.E007: "garbled text: fonts without a ToUnicode map",
    Code.E008: "text encoding cannot be decoded",
    Code.E009: "time budget exceeded",
    Code.E010: "page budget exceeded",
    Code.E011: "output directory not writable",
    Code.E099: "internal error",
    Code.P101: "TOC entry without a document",
    Code.P102: "document without a TOC entry",
    Code.P103: "no official document found",
    Code.P104: "document element could not be parsed",
    Code.P105: "garbled text on some pages",
    Code.P201: "indicator target could not be parsed",
    Code.P202: "table could not be resolved",
    Code.P301: "task without a unit",
    Code.P999: "a stage failed on part of the input",
    # scanned pages and the PDF backends (issue 17)
    Code.P130: "pages read with OCR (values carry a confidence; low ones are 待核)",
}


class GazetteError(Exception):
    """An input that cannot be processed. Carries a stable code and the file it concerns."""

    def __init__(self, code: Code, path: str, reason: str) -> None:
        self.code = code
        self.path = path
        self.reason = reason
        super().__init__(f"error[{code.value}]: {path}: {reason}")

    def to_problem(self) -> Problem:
        return Problem(code=self.code.value, message=self.reason, file=self.path, severity=Severity.ERROR)


def problem(code: Code, message: str, page: int | None = None, severity: Severity = Severity.WARNING) -> Problem:
    """Build a ``Problem`` for something inside a processed file."""
    return Problem(code=code.value, message=message, page=page, severity=severity)
