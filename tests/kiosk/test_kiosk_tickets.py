"""A ticket's transaction without a server: which command id a resend carries, and what
the result screen shows of an answer."""

from __future__ import annotations

from kiosk.tickets import (
    CHECKIN,
    ISSUE,
    UNANSWERED_KEPT,
    WALKIN_RETRY_S,
    Names,
    Unanswered,
    ticket_view,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_unanswered_walk_in_is_resent_with_its_id_until_it_is_another_citizen():
    clock = Clock()
    kept = Unanswered(clock)
    first = kept.job(ISSUE, {"service": "ktp", "lang": "id"})
    # WHEN it gets no answer THEN the same choice resends it, with its id and arguments
    kept.failed(first, "timeout")
    assert kept.job(ISSUE, {"service": "ktp", "lang": "en"}) == first
    # (another service or priority is another command)
    assert kept.job(ISSUE, {"service": "ktp", "priority": "elderly"}).tx != first.tx
    # AND after WALKIN_RETRY_S the same choice is a new ticket
    clock.now += WALKIN_RETRY_S + 1
    assert kept.job(ISSUE, {"service": "ktp", "lang": "id"}).tx != first.tx


def test_an_answer_or_a_refusal_forgets_the_command():
    kept = Unanswered(Clock())
    job = kept.job(CHECKIN, {"code": "JT-1", "lang": "id"})
    kept.failed(job, "timeout")
    kept.answered(job)
    assert kept.job(CHECKIN, {"code": "JT-1", "lang": "id"}).tx != job.tx
    kept.failed(job, "appointment_used")  # answered: nothing to resend
    assert kept.job(CHECKIN, {"code": "JT-1", "lang": "id"}).tx != job.tx


def test_an_unanswered_check_in_is_resent_however_late_and_only_the_last_are_kept():
    clock = Clock()
    kept = Unanswered(clock)
    jobs = [kept.job(CHECKIN, {"code": f"JT-{i}"}) for i in range(UNANSWERED_KEPT + 1)]
    for job in jobs:
        kept.failed(job, "internal_error")
    clock.now += 10 * WALKIN_RETRY_S
    assert kept.job(CHECKIN, {"code": "JT-1"}) == jobs[1]
    assert kept.job(CHECKIN, {"code": "JT-0"}).tx != jobs[0].tx  # the oldest went


CONFIG = {
    "site": {"name": "MPP Uji"},
    "agencies": [{"id": "dukcapil", "name": {"id": "Disdukcapil"}}],
    "services": [{"id": "ktp", "agency": "dukcapil", "name": {"id": "KTP-el", "en": "ID card"}}],
    "counters": [{"id": "loket-01", "name": "Loket 1"}],
}


def test_the_names_a_printed_ticket_needs():
    names = Names.of(CONFIG, "en")
    assert (names.mall, names.agencies, names.services) == (
        "MPP Uji", {"dukcapil": "Disdukcapil"}, {"ktp": "ID card"})
    assert names.counters == {"loket-01": "Loket 1"}


def test_the_result_screen_draws_the_qr_only_when_not_printed():
    page = "http://x/t/Kx3wQ0c7mZ2yV9aB1dE4fG"
    answer = {"id": "7b6d", "number": "A-012", "ahead": 3, "est_wait_s": 900, "url": page,
              "counters": ["loket-01", "loket-09"], "appointment_slot": "2026-11-30T10:00:00+08:00"}
    view = ticket_view(answer, CONFIG, "")
    assert view == {"number": "A-012", "ahead": 3, "waitMin": 15, "counters": "Loket 1, loket-09",
                    "priority": "", "qr": "", "qrPayload": page, "id": "7b6d", "slot": "10:00"}
    assert ticket_view(answer, CONFIG, "paper_out")["qr"].startswith("data:image/png;base64,")
    # a server that serves no pages sends an empty url: the QR is the ticket id, as before
    assert ticket_view({**answer, "url": ""}, CONFIG, "")["qrPayload"] == "7b6d"
