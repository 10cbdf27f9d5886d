"""The citizens' pages are rate-limited per address: past the limit a clear 429 in both
languages with Retry-After, while other addresses go on being served."""

from __future__ import annotations

import httpx
import pytest

from queue_server.web.limits import ADDRESSES_KEPT, PublicLimit


class Ticking:
    """A clock for the limit that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticking(dash) -> Ticking:
    clock = Ticking()
    dash.server._http.app.state.public_limit = PublicLimit(3, now=clock)
    return clock


def test_past_the_limit_an_address_waits_and_others_go_on(dash, clients, ticking):
    phone = clients()
    for _ in range(3):
        assert phone.get(f"/t/{'A' * 22}").status_code == 404  # served (nothing to open)
    # WHEN the same address asks a fourth time within the minute
    limited = phone.get("/f/counter/loket-01", params={"lang": "en"})
    # THEN it is told to wait, in its language, with the seconds as a header
    assert limited.status_code == 429 and limited.headers["retry-after"] == "20"
    assert 'data-state="rate_limited"' in limited.text
    assert "Please try again in 20 seconds." in limited.text
    in_id = phone.get(f"/t/{'A' * 22}", params={"lang": "id"})
    assert "Silakan coba lagi dalam 20 detik." in in_id.text
    # AND another address (127.0.0.2, loopback too) is served as before
    other = httpx.Client(base_url=dash.url, timeout=10.0,
                         transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    try:
        assert other.get(f"/t/{'A' * 22}").status_code == 404
    finally:
        other.close()
    # AND the dashboard's own routes are not counted against the address
    assert phone.get("/health").status_code == 200
    # once a token has come back (60 s / 3), the first address is served again
    ticking.now += 20
    assert phone.get(f"/t/{'A' * 22}").status_code == 404
    assert phone.get(f"/t/{'A' * 22}").status_code == 429


def test_the_limit_remembers_a_bounded_number_of_addresses() -> None:
    clock = Ticking()
    limit = PublicLimit(1, now=clock)
    assert limit.take("127.0.0.1") == 0.0 and limit.take("127.0.0.1") == pytest.approx(60.0)
    for i in range(ADDRESSES_KEPT):  # a flood from as many addresses
        limit.take(f"127.1.{i // 256}.{i % 256}")
    assert len(limit._buckets) == ADDRESSES_KEPT
    assert limit.take("127.0.0.1") == 0.0  # forgotten first: starts afresh
