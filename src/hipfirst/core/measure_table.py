"""The table every computed assessment number goes into, keyed by a stable id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hipfirst.core.report import ComputedMeasure, ReportSide


@dataclass
class MeasureTable:
    """Computed measures in insertion order, plus the list of what is missing."""

    measures: dict[str, ComputedMeasure] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def add(
        self,
        measure_id: str,
        label: str,
        value: float,
        unit: str,
        *,
        side: ReportSide | None = None,
        measure_ref: str | None = None,
        status: str = "derived",
        sources: Sequence[str] = (),
        doubtful: bool = False,
        note: str = "",
    ) -> None:
        self.measures[measure_id] = ComputedMeasure(
            id=measure_id,
            label=label,
            value=round(value, 2),
            unit=unit,
            side=side,
            measure_ref=measure_ref,
            status=status,
            sources=list(sources),
            doubtful=doubtful,
            note=note,
        )
