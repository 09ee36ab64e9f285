"""hipfirst: hip-focused assessment, video movement analysis and rehabilitation
for patellofemoral pain and iliotibial band syndrome.

Layers (see docs/architecture.md):
- ``hipfirst.core``: pure clinical logic and maths; no I/O, no frameworks.
- ``hipfirst.knowledge``: the versioned knowledge base (exercises, measures,
  references), validated on load.
- ``hipfirst.video``: video movement analysis (pure maths in ``video.kinematics``
  and friends; decoding and the pose model at the edge).
- ``hipfirst.io``: file formats (assessment files, session logs).
- ``hipfirst.cli``: the ``hipfirst`` command.
"""

__version__ = "0.1.0"
