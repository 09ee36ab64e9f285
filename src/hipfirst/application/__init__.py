"""Use cases the edges (CLI, web, worker) call: each is one function taking plain arguments,
over core, storage and I/O.

Imports nothing here, so importing one use case never loads another's dependencies.
"""
