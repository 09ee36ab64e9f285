"""Use cases the edges (CLI, web, worker) call: each is one function taking plain arguments.

Imports nothing here, so importing one use case never loads another's dependencies.
"""
