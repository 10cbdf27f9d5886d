"""The agencies and services the QML lists: rows read from the retained state, and the Qt
list model that keeps its delegates while only figures change."""

from __future__ import annotations

from kiosk.choices import AGENCY_KEYS, agency_rows, service_rows, weekday
from kiosk.lists import RowsModel

CONFIG = {
    "agencies": [{"id": "dukcapil", "name": {"id": "Disdukcapil", "en": "Civil Registry"}},
                 {"id": "empty", "name": {"id": "Tanpa layanan"}}],
    "services": [
        {"id": "ktp", "agency": "dukcapil", "name": {"id": "KTP-el"}},
        {"id": "kk", "agency": "dukcapil", "name": {"id": "KK", "en": "Family card"},
         "hours": {"mon": ["08:00-12:00", "13:00-16:00"]}},
    ],
}
QUEUES = {"ktp": {"open": True, "waiting": 3, "est_wait_s": 300},
          "kk": {"open": False, "closed_reason": "hours"}}


def queue(sid: str) -> dict:
    return QUEUES.get(sid, {})


def test_agencies_with_services_and_their_open_count():
    assert agency_rows(CONFIG, queue) == [
        {"id": "dukcapil", "nameId": "Disdukcapil", "nameEn": "Civil Registry", "icon": "",
         "open": 1, "services": 2}]


def test_services_with_their_queue_or_why_they_are_closed():
    rows = service_rows(CONFIG, queue, "dukcapil", "mon")
    assert rows[0] == {"id": "ktp", "nameId": "KTP-el", "nameEn": "KTP-el", "waiting": 3,
                       "waitMin": 5, "open": True, "reason": "", "hours": ""}
    assert (rows[1]["open"], rows[1]["reason"], rows[1]["hours"]) == (
        False, "hours", "08:00-12:00, 13:00-16:00")
    assert service_rows(CONFIG, lambda _sid: {}, "dukcapil", "mon")[0]["reason"] == "unknown"


def test_the_day_is_the_server_clocks():
    assert weekday({"clock": "2026-11-30T09:00:00+08:00"}) == "mon"
    assert weekday(None) in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def test_the_list_model_updates_rows_in_place_and_resets_on_new_ids(qapp):
    model = RowsModel(AGENCY_KEYS)
    changed, resets, counts = [], [], []
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    model.modelReset.connect(lambda: resets.append(True))
    model.countChanged.connect(lambda: counts.append(model.count))
    rows = agency_rows(CONFIG, queue)
    model.replace(rows)
    assert (model.rowCount(), resets, counts) == (1, [True], [1])
    names = {bytes(v).decode(): k for k, v in model.roleNames().items()}
    assert model.data(model.index(0), names["nameEn"]) == "Civil Registry"
    # WHEN only a figure changes THEN that row changes, the model is not reset
    model.replace([{**rows[0], "open": 2}])
    assert (changed, resets) == ([0], [True])
    assert model.data(model.index(0), names["open"]) == 2
    # WHEN the ids change THEN it is reset
    model.replace([])
    assert (model.rowCount(), resets, counts) == (0, [True, True], [1, 0])
