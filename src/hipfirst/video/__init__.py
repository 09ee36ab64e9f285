"""Pure video stages: FPPA, hip adduction, pelvic drop and trunk lean from pose landmarks.

Stages, in the order :func:`hipfirst.video.analysis.analyze_landmarks` runs
them on the landmarks of one video: ``person``/``subject`` (the candidates and the
subject, the person doing the task) → ``label_swaps`` (mirrored left/right labels
repaired) → ``plausibility`` (limbs that jump left out) → ``signal`` (outliers, gap
filling, zero-lag low-pass) → ``camera_level``/``posture`` (the camera's roll taken out,
upright frames, facing) → ``contacts``/``events``/``repetitions`` (feet on the ground,
holds, reps, stance phases, landings) → ``kinematics`` (angles) → ``quality`` and
``task_fit`` → ``summary`` (the ``summary.json`` document). ``types``, ``landmarks``,
``event_parts`` and ``settings`` are the shared types; ``follow`` keeps the pose
tracker on the subject while the pose loop runs.

Nothing here reads a file, a video or a model: decoding, the MediaPipe
backend, figures and output files are in :mod:`hipfirst.video_io`, and the use
case that runs the whole analysis of a video is
:func:`hipfirst.application.video_analysis.analyze_video`. This package
imports nothing itself.
"""
