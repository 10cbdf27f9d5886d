"""The idempotency memory (Hall.remember): bounded per device and in all, oldest first."""

from __future__ import annotations

from queue_server.domain.hall import Hall
from tests.support.site import small_site, small_site_data


def _hall(per_device: int, overall: int) -> Hall:
    data = small_site_data("t-kept")
    data["policy"].update(replies_kept_per_device=per_device, replies_kept=overall)
    return Hall.empty(small_site("t-kept").model_validate({**data, "source": "test"}))


def test_a_flood_from_one_device_forgets_only_its_own_oldest():
    hall = _hall(per_device=10, overall=100)
    hall.remember("kiosk-02", "theirs", "reply", 0.0)
    for i in range(1000):  # GIVEN a flood of new ids from one device
        hall.remember("kiosk-01", f"id-{i}", "r", float(i))
    # THEN it keeps only its newest ten, and the other device's reply is untouched
    assert [k for d, k in hall.processed if d == "kiosk-01"] == [f"id-{i}" for i in
                                                                  range(990, 1000)]
    assert hall.processed[("kiosk-02", "theirs")] == ("reply", 0.0)
    assert list(hall.processed_by_device["kiosk-01"]) == [f"id-{i}" for i in range(990, 1000)]


def test_many_devices_together_stay_under_the_overall_cap():
    hall = _hall(per_device=50, overall=100)
    for i in range(60):
        for device in ("kiosk-01", "kiosk-02", "kiosk-03"):
            hall.remember(device, f"id-{i}", "r", float(i))
    assert len(hall.processed) == 100
    assert sum(len(ids) for ids in hall.processed_by_device.values()) == 100
    oldest = next(iter(hall.processed))
    assert oldest == ("kiosk-03", "id-26")  # the last 100 of 180: the oldest went first


def test_forgetting_by_age_keeps_both_indexes_in_step():
    hall = _hall(per_device=50, overall=100)
    for i in range(10):
        hall.remember("kiosk-01", f"id-{i}", "r", float(i))
    hall.forget_processed(before=5.0)
    assert list(hall.processed_by_device["kiosk-01"]) == [f"id-{i}" for i in range(5, 10)]
    hall.forget_processed(before=100.0)
    assert not hall.processed and not hall.processed_by_device
