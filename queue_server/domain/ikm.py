"""The community satisfaction index (Indeks Kepuasan Masyarakat, IKM) of PermenPANRB 14/2017.

Nine elements (unsur) u1..u9, each answered 1..4. Per element, NRR = sum of scores / number
of answers to that element ("kuesioner yang terisi"); weighted NRR = NRR x weight; the index
is the sum of the weighted NRRs; the converted value (nilai konversi) is index x 25, graded
A/B/C/D by the regulation's interval table. See docs/ikm.md for the method, the weight
decision (exact 1/9 by default, the printed 0.11 on request) and the rounding.

Arithmetic is exact (Fraction) until the end; only the reported figures are rounded, half
up: NRR, weighted NRR and index to 4 decimals, the converted value to 2 decimals. The grade
is read from the converted value rounded to 2 decimals, the precision of the table.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import TypeVar

from queue_server.protocol.ops import IKM_ELEMENTS, IKM_SCORES

ELEMENTS: tuple[str, ...] = IKM_ELEMENTS  # u1..u9: the op catalogue's, feedback.submit's keys

# (Bahasa Indonesia, English), in the regulation's order
ELEMENT_NAMES: Mapping[str, tuple[str, str]] = dict(zip(ELEMENTS, (
    ("Persyaratan", "Requirements"),
    ("Sistem, Mekanisme, dan Prosedur", "System, mechanism and procedure"),
    ("Waktu Penyelesaian", "Completion time"),
    ("Biaya/Tarif", "Cost/tariff"),
    ("Produk Spesifikasi Jenis Pelayanan", "Product: specification of the service"),
    ("Kompetensi Pelaksana", "Staff competence"),
    ("Perilaku Pelaksana", "Staff behaviour"),
    ("Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
    ("Sarana dan Prasarana", "Facilities and infrastructure"),
), strict=True))

MIN_SCORE, MAX_SCORE = IKM_SCORES[0], IKM_SCORES[-1]
CONVERSION_FACTOR = 25

# Equal weight per element: "jumlah bobot / jumlah unsur" = 1/9 exactly (the default) ...
EXACT_WEIGHT: Fraction | None = None  # None: 1 / (number of elements answered), 1/9 normally
# ... or the rounded value the regulation prints (1/9 = 0.11), for matching legacy worksheets.
REGULATION_WEIGHT = Fraction(11, 100)


@dataclass(frozen=True)
class Grade:
    letter: str  # mutu pelayanan
    label_id: str  # kinerja unit pelayanan
    label_en: str
    perception: int  # nilai persepsi
    index_low: float  # nilai interval IKM (1..4)
    index_high: float
    converted_low: float  # nilai interval konversi (25..100)
    converted_high: float


# PermenPANRB 14/2017, Lampiran, table of nilai persepsi / interval / konversi / mutu / kinerja
GRADES: tuple[Grade, ...] = (
    Grade("D", "Tidak Baik", "Poor", 1, 1.00, 2.5996, 25.00, 64.99),
    Grade("C", "Kurang Baik", "Fair", 2, 2.60, 3.064, 65.00, 76.60),
    Grade("B", "Baik", "Good", 3, 3.0644, 3.532, 76.61, 88.30),
    Grade("A", "Sangat Baik", "Very good", 4, 3.5324, 4.00, 88.31, 100.00),
)


@dataclass(frozen=True)
class Response:
    """One respondent's answers; an element left out was not answered."""

    scores: Mapping[str, int]

    def __post_init__(self) -> None:
        if not self.scores:
            raise ValueError("a response needs at least one answered element")
        for key, value in self.scores.items():
            if key not in ELEMENT_NAMES:
                raise ValueError(f"unknown element {key!r}: expected one of u1..u9")
            # bool is an int subclass; True is not a score
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{key}: score must be an integer 1..4, got {value!r}")
            if not MIN_SCORE <= value <= MAX_SCORE:
                raise ValueError(f"{key}: score must be 1..4, got {value}")


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    answers: Mapping[str, int]  # per element: how many respondents answered it
    nrr: Mapping[str, float]  # per element, 4 decimals
    weighted: Mapping[str, float]  # per element NRR x weight, 4 decimals
    index: float  # sum of weighted NRR (1..4), 4 decimals
    converted: float  # index x 25 (25..100), 2 decimals
    grade: Grade

    @property
    def letter(self) -> str:
        return self.grade.letter

    @property
    def label_id(self) -> str:
        return self.grade.label_id

    @property
    def label_en(self) -> str:
        return self.grade.label_en


def round_half_up(value: Fraction | float, places: int) -> float:
    """Round as a person with a calculator does (0.125 -> 0.13), not banker's rounding.
    A float is taken as the decimal it prints as (64.995, not 64.99499999...)."""
    with localcontext() as ctx:
        ctx.prec = 40
        if isinstance(value, float):
            exact = Decimal(repr(value))
        else:
            exact = Decimal(value.numerator) / Decimal(value.denominator)
        if not exact.is_finite():
            raise ValueError(f"cannot round {value!r}")
        return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def grade(converted: float) -> Grade:
    """The grade of a converted value, read at the table's 2-decimal precision.
    The table starts at 25.00; values below it (only reachable with the printed 0.11 weight,
    where all answers 1 give 9 x 0.11 x 25 = 24.75) are D too."""
    value = round_half_up(converted, 2)
    if not 0 <= value <= GRADES[-1].converted_high:
        raise ValueError(f"converted IKM must be within 25..100, got {converted}")
    for g in reversed(GRADES[1:]):
        if value >= g.converted_low:
            return g
    return GRADES[0]


@dataclass
class IkmAccumulator:
    """Sums per element; add responses one by one (streaming), then `result()`."""

    weight: Fraction | None = EXACT_WEIGHT
    respondents: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ELEMENTS, 0))
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ELEMENTS, 0))

    def add(self, response: Response) -> None:
        self.respondents += 1
        for key, value in response.scores.items():
            self.totals[key] += value
            self.counts[key] += 1

    def result(self) -> IkmResult | None:
        """None with no respondents: there is no index to report, not a zero."""
        if self.respondents == 0:
            return None
        answered = [k for k in ELEMENTS if self.counts[k]]
        weight = self.weight if self.weight is not None else Fraction(1, len(answered))
        nrr = {k: Fraction(self.totals[k], self.counts[k]) for k in answered}
        weighted = {k: v * weight for k, v in nrr.items()}
        index = sum(weighted.values(), Fraction(0))
        converted = round_half_up(index * CONVERSION_FACTOR, 2)
        return IkmResult(
            respondents=self.respondents,
            answers=dict(self.counts),
            nrr={k: round_half_up(v, 4) for k, v in nrr.items()},
            weighted={k: round_half_up(v, 4) for k, v in weighted.items()},
            index=round_half_up(index, 4),
            converted=converted,
            grade=grade(converted),
        )


def compute_ikm(
    responses: Iterable[Response], weight: Fraction | None = EXACT_WEIGHT
) -> IkmResult | None:
    """The IKM of a set of responses; None when there are none."""
    acc = IkmAccumulator(weight=weight)
    for r in responses:
        acc.add(r)
    return acc.result()


K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def ikm_by(
    rows: Iterable[tuple[Mapping[str, K], Response]],
    key: str,
    weight: Fraction | None = EXACT_WEIGHT,
) -> dict[K, IkmResult]:
    """The IKM per value of `key` (e.g. "agency", "service") of rows (keys, response).
    Only groups with respondents appear, so no value is None."""
    return ikm_grouped(rows, lambda row: row[0][key], lambda row: row[1], weight)


def ikm_grouped(
    rows: Iterable[T],
    key: Callable[[T], K],
    response: Callable[[T], Response],
    weight: Fraction | None = EXACT_WEIGHT,
) -> dict[K, IkmResult]:
    """The general form of `ikm_by`: any row type, key and response taken by functions."""
    groups: dict[K, IkmAccumulator] = {}
    for row in rows:
        k = key(row)
        if k not in groups:
            groups[k] = IkmAccumulator(weight=weight)
        groups[k].add(response(row))
    out: dict[K, IkmResult] = {}
    for k, acc in groups.items():
        result = acc.result()
        if result is not None:
            out[k] = result
    return out
