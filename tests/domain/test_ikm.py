"""The satisfaction index (IKM) of PermenPANRB 14/2017: worked examples, grade table, edges."""

from __future__ import annotations

from fractions import Fraction

import pytest

from queue_server.domain.ikm import (
    ELEMENTS,
    REGULATION_WEIGHT,
    IkmAccumulator,
    Response,
    compute_ikm,
    grade,
    ikm_by,
    ikm_grouped,
    round_half_up,
)

# Worked example 1 (secondary source): "Rumus perhitungan IKM berdasarkan Permenpan RB 14/2017",
# github.com/rennn9/GASPUL_BACKEND, rumus_perhitungan_ikm_lengkap.md ("Triwulan III", 29
# respondents). Per element, how many respondents gave 4, 3, 2 (nobody gave 1):
TRIWULAN_III = {
    "u1": (18, 11, 0),  # 18x4 + 11x3 = 105 -> 105/29 = 3.6207
    "u2": (14, 15, 0),  # 101 -> 3.4828
    "u3": (15, 12, 2),  # 60 + 36 + 4 = 100 -> 3.4483
    "u4": (29, 0, 0),  # 116 -> 4.0000
    "u5": (15, 14, 0),  # 102 -> 3.5172
    "u6": (18, 11, 0),  # 105 -> 3.6207
    "u7": (19, 10, 0),  # 106 -> 3.6552
    "u8": (18, 11, 0),  # 105 -> 3.6207
    "u9": (28, 1, 0),  # 115 -> 3.9655
}


def _responses(distribution: dict[str, tuple[int, int, int]], n: int) -> list[Response]:
    """n respondents whose answers per element follow the (count of 4, of 3, of 2) given."""
    columns = {k: [4] * a + [3] * b + [2] * c for k, (a, b, c) in distribution.items()}
    assert all(len(col) == n for col in columns.values())
    return [Response({k: columns[k][i] for k in ELEMENTS}) for i in range(n)]


def test_worked_example_with_the_printed_weight_0_11() -> None:
    # GIVEN the 29 responses of the worked example
    responses = _responses(TRIWULAN_III, 29)
    # WHEN computed with the weight the regulation prints (0.11), as the source's table did
    result = compute_ikm(responses, weight=REGULATION_WEIGHT)
    # THEN the source's figures: sum of NRR 32.9311 x 0.11 = 3.6224; x 25 = 90.56, grade A
    assert result is not None
    assert result.respondents == 29
    assert result.nrr == {
        "u1": 3.6207,
        "u2": 3.4828,
        "u3": 3.4483,
        "u4": 4.0,
        "u5": 3.5172,
        "u6": 3.6207,
        "u7": 3.6552,
        "u8": 3.6207,
        "u9": 3.9655,
    }
    assert result.weighted["u1"] == 0.3983  # the source's NRR tertimbang U1
    assert result.weighted["u4"] == 0.44
    assert result.weighted["u9"] == 0.4362
    assert result.index == 3.6224
    assert result.converted == 90.56
    assert (result.letter, result.label_id, result.label_en) == ("A", "Sangat Baik", "Very good")


def test_worked_example_with_the_exact_weight_one_ninth() -> None:
    # GIVEN the same responses WHEN computed with the default, exact 1/9
    result = compute_ikm(_responses(TRIWULAN_III, 29))
    # THEN the source's cross-check: 955 / (29 x 9) = 3.6590; x 25 = 91.475 -> 91.48 (half up)
    assert result is not None
    assert result.index == 3.659
    assert result.converted == 91.48
    assert result.weighted["u4"] == 0.4444  # 4 / 9
    assert result.letter == "A"


def test_second_example_all_very_satisfied_is_100() -> None:
    # Worked example 2 (secondary source): e-smile.tubaba.go.id/main/skm/laporan/online,
    # Disdukcapil Tulang Bawang Barat 2023 semester 1: one respondent, every element 4,
    # NRR 4, NRR tertimbang 0.44 each, IKM unit pelayanan 100 (Sangat Baik).
    result = compute_ikm([Response(dict.fromkeys(ELEMENTS, 4))])
    assert result is not None
    assert result.nrr == dict.fromkeys(ELEMENTS, 4.0)
    assert result.weighted == dict.fromkeys(ELEMENTS, 0.4444)
    assert (result.index, result.converted, result.letter) == (4.0, 100.0, "A")
    # with the printed 0.11 the same answers reach only 3.96 x 25 = 99.00: why 1/9 is default
    printed = compute_ikm([Response(dict.fromkeys(ELEMENTS, 4))], weight=REGULATION_WEIGHT)
    assert printed is not None and printed.converted == 99.0


def test_all_answers_1_is_25_and_d() -> None:
    result = compute_ikm([Response(dict.fromkeys(ELEMENTS, 1))] * 3)
    assert result is not None
    assert (result.converted, result.letter, result.label_id) == (25.0, "D", "Tidak Baik")


@pytest.mark.parametrize(
    ("converted", "letter"),
    [
        pytest.param(25.0, "D", id="25.00-D"),
        pytest.param(64.99, "D", id="64.99-D"),
        pytest.param(65.0, "C", id="65.00-C"),
        pytest.param(76.60, "C", id="76.60-C"),
        pytest.param(76.61, "B", id="76.61-B"),
        pytest.param(88.30, "B", id="88.30-B"),
        pytest.param(88.31, "A", id="88.31-A"),
        pytest.param(100.0, "A", id="100.00-A"),
        pytest.param(64.994, "D", id="64.994-rounds-down-D"),
        pytest.param(64.995, "C", id="64.995-rounds-up-C"),
        pytest.param(88.305, "A", id="88.305-rounds-up-A"),
        pytest.param(24.75, "D", id="below-table-printed-weight-D"),
    ],
)
def test_grade_boundaries(converted: float, letter: str) -> None:
    assert grade(converted).letter == letter


def test_grade_labels() -> None:
    assert [(g.letter, g.label_id) for g in map(grade, (30, 70, 80, 90))] == [
        ("D", "Tidak Baik"),
        ("C", "Kurang Baik"),
        ("B", "Baik"),
        ("A", "Sangat Baik"),
    ]
    assert grade(70).label_en == "Fair"


@pytest.mark.parametrize("converted", [-0.01, 100.01, float("nan")])
def test_grade_out_of_range(converted: float) -> None:
    with pytest.raises(ValueError):
        grade(converted)


def test_zero_respondents_is_none() -> None:
    assert compute_ikm([]) is None
    assert IkmAccumulator().result() is None
    assert ikm_by([], "agency") == {}


@pytest.mark.parametrize(
    "scores",
    [
        pytest.param({"u1": 0}, id="zero"),
        pytest.param({"u1": 5}, id="five"),
        pytest.param({"u1": -1}, id="negative"),
        pytest.param({"u1": 3.5}, id="float"),
        pytest.param({"u1": "4"}, id="string"),
        pytest.param({"u1": True}, id="bool"),
        pytest.param({"u10": 4}, id="unknown-element"),
        pytest.param({"U1": 4}, id="upper-case-key"),
        pytest.param({}, id="nothing-answered"),
    ],
)
def test_invalid_scores_rejected(scores: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Response(scores)  # type: ignore[arg-type]


def test_missing_element_averages_over_those_who_answered() -> None:
    # GIVEN two respondents, the second skipped u4 (biaya)
    full = dict.fromkeys(ELEMENTS, 3)
    partial = {k: 4 for k in ELEMENTS if k != "u4"}
    # WHEN computed
    result = compute_ikm([Response(full), Response(partial)])
    # THEN u4's NRR is over its one answer (3), the others over two ((3 + 4) / 2 = 3.5):
    # index = (8 x 3.5 + 3) / 9 = 31 / 9 = 3.4444; x 25 = 86.11 (B)
    assert result is not None
    assert result.respondents == 2
    assert result.answers["u4"] == 1 and result.answers["u1"] == 2
    assert result.nrr["u4"] == 3.0 and result.nrr["u1"] == 3.5
    assert (result.index, result.converted, result.letter) == (3.4444, 86.11, "B")


def test_element_nobody_answered_is_left_out_and_weights_renormalised() -> None:
    # "total unsur yang terisi": with u9 never answered, the index is the mean of u1..u8
    scores = {k: 4 for k in ELEMENTS if k != "u9"} | {"u1": 2}
    result = compute_ikm([Response(scores)])
    # (2 + 7 x 4) / 8 = 3.75; x 25 = 93.75
    assert result is not None
    assert "u9" not in result.nrr and result.answers["u9"] == 0
    assert (result.index, result.converted) == (3.75, 93.75)


def test_ikm_by_agency_and_service() -> None:
    rows = [
        ({"agency": "dukcapil", "service": "ktp"}, Response(dict.fromkeys(ELEMENTS, 4))),
        ({"agency": "dukcapil", "service": "kk"}, Response(dict.fromkeys(ELEMENTS, 2))),
        ({"agency": "polri", "service": "skck"}, Response(dict.fromkeys(ELEMENTS, 3))),
    ]
    by_agency = ikm_by(rows, "agency")
    by_service = ikm_by(rows, "service")
    assert {k: v.converted for k, v in by_agency.items()} == {"dukcapil": 75.0, "polri": 75.0}
    assert by_agency["dukcapil"].respondents == 2
    assert {k: v.letter for k, v in by_service.items()} == {"ktp": "A", "kk": "D", "skck": "C"}


def test_ikm_grouped_with_functions() -> None:
    rows = [("a", 4), ("a", 3), ("b", 1)]
    out = ikm_grouped(rows, lambda r: r[0], lambda r: Response(dict.fromkeys(ELEMENTS, r[1])))
    assert {k: v.converted for k, v in out.items()} == {"a": 87.5, "b": 25.0}


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0.125, 2, 0.13),
        (91.475, 2, 91.48),  # as printed, though the binary float is 91.47499999...
        (Fraction(91475, 1000), 2, 91.48),
        (Fraction(955 * 25, 261), 2, 91.48),
        (2.5, 0, 3.0),
        (3.65904, 4, 3.659),
    ],
)
def test_round_half_up(value: float | Fraction, places: int, expected: float) -> None:
    assert round_half_up(value, places) == expected
