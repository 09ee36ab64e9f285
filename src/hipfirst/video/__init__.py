"""Video movement analysis: FPPA, hip adduction, pelvic drop and trunk lean from a phone video.

Stages: ``decode`` (I/O) → ``pose`` (model) → ``person`` (one tracked person)
→ ``signal`` (gap filling, filtering) → ``kinematics`` (angles) → ``events``
(reps/steps) → ``quality`` → ``summary``; ``pipeline`` orchestrates and writes.
"""
