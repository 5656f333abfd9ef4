"""Options of one pipeline run (limits and switches), shared by the CLI, ingest and the run chain."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Per-file limits and switches.

    ``max_pages``: a PDF with more pages fails with E010 instead of stalling the batch (None: no limit).
    ``time_budget``: seconds one file may take before it fails with E009 (None: no limit).
    ``validate``: run the consistency validators (findings).
    ``max_memory_mb``: address space one file's parse may use in ingest (E022 beyond; None: no limit).
    ``backend``: the PDF reader, ``"pdfium"`` (fast, PDFium via pypdfium2) or ``"pdfplumber"`` (the reference).
    ``ocr``: ``"auto"`` reads pages without a usable text layer with OCR; ``"off"`` refuses a scan (E006).
    """

    max_pages: int | None = 5000
    time_budget: float | None = 600.0
    validate: bool = True
    max_memory_mb: int | None = 4096
    backend: str = "pdfium"  # DEFAULT_BACKEND (pdfplumber: the reference, selectable)
    ocr: str = "auto"  # DEFAULT_OCR


BACKENDS = ("pdfium", "pdfplumber")
OCR_MODES = ("auto", "off")
DEFAULT_BACKEND = RunOptions().backend
DEFAULT_OCR = RunOptions().ocr
