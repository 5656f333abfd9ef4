"""Pydantic contract models → JSON Schema files (``schemas/*.schema.json``).

The files are committed; a test regenerates them in a temporary directory and fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from pipeline.publish.export import write_atomic
from schemas.model import Document, Issue, RunResult

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "issue.schema.json": Issue,
    "document.schema.json": Document,
    "run-result.schema.json": RunResult,
}


def model_to_schema_text(model: type[BaseModel]) -> str:
    """Render one model's JSON Schema (validation mode) as deterministic text.

    Reads: the pydantic model class. Returns: JSON with sorted keys, 2-space indent, non-ASCII kept,
    a trailing newline. Guaranteed: the same model always gives byte-identical text.
    """
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export_schemas(out_dir: Path) -> list[Path]:
    """Write the JSON Schema of Issue, Document and RunResult into ``out_dir``.

    Reads: the contract models in ``schemas.model``. Returns: the written paths, in the order of
    ``SCHEMA_FILES``. Guaranteed after: ``out_dir`` exists and each file was replaced atomically
    (temp file + ``os.replace``), so a reader never sees a half-written schema.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_FILES.items():
        path = out_dir / name
        write_atomic(path, model_to_schema_text(model).encode("utf-8"))
        written.append(path)
    return written
