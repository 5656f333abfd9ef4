"""The gazette pipeline: extract → validate → render."""
