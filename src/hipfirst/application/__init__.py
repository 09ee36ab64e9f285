"""Use cases the edges (CLI, web, worker) call: each is one function over core, storage and I/O."""
