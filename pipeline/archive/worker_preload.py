"""Imported once by the ingest worker server (multiprocessing ``forkserver`` preload): the pipeline's modules
and the jieba dictionary are loaded there once, and every worker forked from it starts warm instead of paying
the imports and the dictionary load itself. Importing this module has that effect on purpose; nothing else
imports it.
"""

from __future__ import annotations

from pipeline import nlp

nlp.warm()
