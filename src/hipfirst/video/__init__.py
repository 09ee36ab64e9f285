"""Pure video stages: FPPA, hip adduction, pelvic drop and trunk lean from pose landmarks.

Stages, in the order :func:`hipfirst.video.analysis.analyze_landmarks` runs
them on the landmarks of one video: ``person`` (the performer among the
tracked identities) → ``signal`` (outliers, gap filling, zero-lag low-pass)
→ ``events`` (reps, stance phases, landings, holds) → ``kinematics`` (angles)
→ ``quality`` → ``summary`` (the ``summary.json`` document). ``types``,
``landmarks`` and ``settings`` are the shared types; ``follow`` keeps the pose
tracker on the subject while the pose loop runs.

Nothing here reads a file, a video or a model: decoding, the MediaPipe
backend, figures and output files are in :mod:`hipfirst.video_io`, and the use
case that runs the whole analysis of a video is
:func:`hipfirst.application.video_analysis.analyze_video`. This package
imports nothing itself.
"""
