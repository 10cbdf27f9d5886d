"""IKM (queue_server.domain.ikm) per service, agency and site from the feedback table.

Answers count with their ticket's day (the report's days), whenever they were given. The
database groups identical answer sets, so each distinct JSON is parsed once. A stored
answer set that is not a valid response (not JSON, unknown element, score outside 1..4)
is left out and counted in `invalid`, so one bad row cannot stop a report.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from queue_server.domain.ikm import EXACT_WEIGHT, IkmAccumulator, IkmResult, Response


def add_many(acc: IkmAccumulator, response: Response, n: int) -> None:
    """`acc.add(response)` n times, in one step."""
    acc.respondents += n
    for key, value in response.scores.items():
        acc.totals[key] += value * n
        acc.counts[key] += n


def merge(into: IkmAccumulator, other: IkmAccumulator) -> None:
    into.respondents += other.respondents
    for key in into.totals:
        into.totals[key] += other.totals[key]
        into.counts[key] += other.counts[key]


def parse_scores(text: str) -> Response | None:
    try:
        scores = json.loads(text)
        if not isinstance(scores, dict):
            return None
        return Response(scores)
    except ValueError:  # json.JSONDecodeError is a ValueError, and so are Response's
        return None


@dataclass
class Satisfaction:
    weight: Fraction | None = EXACT_WEIGHT
    by_service: dict[str, IkmAccumulator] = field(default_factory=dict)
    invalid: int = 0

    def add_rows(self, rows: Iterable[tuple[str, str, int]]) -> None:
        """Rows (service, scores JSON, count)."""
        for service, text, n in rows:
            response = parse_scores(text)
            if response is None:
                self.invalid += n
                continue
            if service not in self.by_service:
                self.by_service[service] = IkmAccumulator(weight=self.weight)
            add_many(self.by_service[service], response, n)

    def grouped(self, key: Callable[[str], str]) -> dict[str, IkmAccumulator]:
        """Service accumulators summed per key(service), e.g. the agency."""
        out: dict[str, IkmAccumulator] = {}
        for service, acc in self.by_service.items():
            k = key(service)
            if k not in out:
                out[k] = IkmAccumulator(weight=self.weight)
            merge(out[k], acc)
        return out


def ikm_dict(result: IkmResult | None) -> dict[str, Any] | None:
    """An IKM result as plain data; None when there were no respondents."""
    if result is None:
        return None
    return {
        "respondents": result.respondents,
        "index": result.index,
        "converted": result.converted,
        "grade": result.letter,
        "label": {"id": result.label_id, "en": result.label_en},
        "nrr": dict(result.nrr),
        "answers": dict(result.answers),
    }
