"""Use cases: what the edges (CLI, web, worker) ask hipfirst to do, one function each.

A use case takes plain arguments and returns results or raises errors from
:mod:`hipfirst.errors`; it knows nothing of HTTP, Typer or templates. Nothing
is imported here, so importing one use case loads only what it needs.
"""
