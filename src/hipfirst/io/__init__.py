"""Edges that read and write files (assessment files, video summaries)."""
