"""Use case: a plan from an assessment file (``hipfirst plan FILE [--weeks N] [--out F]``)."""

from __future__ import annotations

from pathlib import Path

from hipfirst.application.assessment_files import assess_file
from hipfirst.core.plan import Plan, Referral
from hipfirst.core.prescription import prescribe
from hipfirst.io.plan_file import write_plan
from hipfirst.io.text_file import check_output_path


def plan_file(path: Path, *, weeks: int | None = None, out: Path | None = None) -> Plan | Referral:
    """The phased plan (or a referral) for one assessment file; written to ``out`` if given.

    ``weeks`` is the plan length (6–52; default the top of the typical 6–8 weeks).
    ``out`` is checked before any work (not a folder, its folder exists, not the
    assessment itself) and written atomically, so a failed write leaves no partial plan.
    """
    if out is not None:
        check_output_path(out, inputs=(path,))
    assessed = assess_file(path)
    result = prescribe(assessed.assessment, assessed.report, assessed.kb, weeks=weeks)
    if out is not None:
        write_plan(result, out)
    return result
