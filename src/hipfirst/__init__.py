"""hipfirst: hip-focused assessment, video movement analysis and rehabilitation
for patellofemoral pain and iliotibial band syndrome.

Layers, top to bottom (docs/architecture.md; enforced by import-linter):
- edges: ``hipfirst.cli`` (the ``hipfirst`` command), ``hipfirst.web`` (the clinic
  web app, HTTP only), ``hipfirst.worker`` (background video analyses);
- ``hipfirst.application``: the use cases the edges call;
- I/O: ``hipfirst.io`` (file formats), ``hipfirst.storage`` (database, job queue,
  files), ``hipfirst.video_io`` (decoding, pose model, renderers), ``hipfirst.settings``;
- pure: ``hipfirst.core`` (clinical rules) and ``hipfirst.video`` (video stages);
- ``hipfirst.knowledge``: the versioned knowledge base and the shared vocabulary;
- ``hipfirst.errors``: the one exception tree.
"""

__version__ = "0.1.0"
