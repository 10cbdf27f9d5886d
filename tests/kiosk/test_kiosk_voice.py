"""Voice guidance, with the screen covered: the whole flow driven by the kiosk's keypad
alone (the simulated keypad of hardware/keypads/kiosk-simulated.toml, no clicks), heard
through the real espeak-ng voice into WAV files; the phrases checked in order, the printed
ticket decoded. Then English on request, the end of the mode when the citizen leaves,
and a voice that never holds up the touch screen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.audio import Audio, EspeakSpeaker, Speaker, WavFileSink, read_wav, silence
from drivers.buttons import Button, SimulatedKeypad, load_keypad_profile, open_keypad
from kiosk.kiosk import Kiosk
from queue_server.config import SiteConfig
from tests.support.site import two_agency_site

WAIT_MS = 15000
PROFILE = Path(__file__).resolve().parents[2] / "hardware" / "keypads" / "kiosk-simulated.toml"


@pytest.fixture
def site(unique_site: str) -> SiteConfig:
    return two_agency_site(unique_site)  # so the agency screen shows


class Keys:
    """The kiosk's keypad as a citizen presses it, one key a second apart (the stamps;
    the filter's repeat window is 0.3 s)."""

    def __init__(self, qtbot, kiosk: Kiosk, keypad: SimulatedKeypad, speaker: Speaker):
        self.qtbot, self.kiosk, self.keypad, self.speaker = qtbot, kiosk, keypad, speaker
        self.at = 1000.0

    def press(self, button: Button, then: Callable[[], bool]) -> None:
        """Press, wait until the kiosk has acted (`then`) and has said it all."""
        self.at += 1.0
        self.keypad.press(button, at=self.at)
        self.qtbot.waitUntil(then, timeout=WAIT_MS)
        self.qtbot.waitUntil(lambda: self.speaker.wait_idle(0), timeout=WAIT_MS)

    def says(self, count: int) -> Callable[[], bool]:
        """A predicate: `count` more phrases heard than now."""
        heard = len(self.speaker.spoken) + count
        return lambda: len(self.speaker.spoken) >= heard

    def heard(self) -> list[str]:
        return [s.phrase.text for s in self.speaker.spoken]


@pytest.fixture
def voice_kiosk(qtbot, server, kiosk_factory, tmp_path) -> tuple[Kiosk, Keys]:
    config = load_keypad_profile(PROFILE)
    keypad = open_keypad(config)
    assert isinstance(keypad, SimulatedKeypad)
    speaker = Speaker(EspeakSpeaker(), WavFileSink(tmp_path / "speech", prefix="voice"))
    kiosk = kiosk_factory(keypad=keypad, press_filter=config.filter.make(), speaker=speaker)
    qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kiosk.model.printerState == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: keypad.is_open, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: all(kiosk.bridge.value(f"queue/{s}") for s in SERVICES),
                    timeout=WAIT_MS)  # what the voice says of each service is in
    return kiosk, Keys(qtbot, kiosk, keypad, speaker)


SERVICES = ("ktp", "kk", "akta", "izin", "pindah", "jkn")


HELP_ID = ("Tekan berikutnya atau sebelumnya untuk mendengar pilihan, pilih untuk mengambil "
           "pilihan yang Anda dengar, kembali untuk mundur, ulangi untuk mendengar lagi, "
           "bantuan untuk tombol-tombol ini.")


def test_the_whole_flow_by_keypad_alone(qtbot, voice_kiosk, client_factory, simulator):
    kiosk, keys = voice_kiosk
    model = kiosk.model
    supervisor = client_factory("supervisor-01", "supervisor", follow_state=False)
    supervisor.request("service.close", {"service": "akta"})
    qtbot.waitUntil(lambda: kiosk.bridge.value("queue/akta")["open"] is False,
                    timeout=WAIT_MS)
    # WHEN a citizen presses the voice key THEN the guidance starts on the welcome screen
    keys.press(Button.VOICE, lambda: model.voice)
    keys.press(Button.CHOOSE, lambda: model.screen == "agencies")  # take a number
    keys.press(Button.NEXT, lambda: kiosk.voice.focus == "agency:bpjs")
    assert kiosk.item("agency-bpjs").property("voiced")  # outlined for whoever looks on
    keys.press(Button.PREVIOUS, lambda: kiosk.voice.focus == "agency:dukcapil")
    keys.press(Button.CHOOSE, lambda: model.screen == "services")
    keys.press(Button.NEXT, lambda: kiosk.voice.focus == "service:kk")
    keys.press(Button.NEXT, lambda: kiosk.voice.focus == "service:akta")
    keys.press(Button.CHOOSE, keys.says(1))  # closed: it says so and stays
    assert model.screen == "services"
    keys.press(Button.PREVIOUS, lambda: kiosk.voice.focus == "service:kk")
    keys.press(Button.CHOOSE, lambda: model.screen == "priority")
    keys.press(Button.CHOOSE, lambda: model.screen == "result")  # the first: a disability
    keys.press(Button.REPEAT, keys.says(5))
    number = model.ticket["number"]
    assert number == "B-001" and model.ticket["priority"] == "disabled"
    assert keys.heard() == [
        "Panduan suara aktif.", HELP_ID,
        "Selamat datang di MPP Uji.", "Pilihan 1 dari 2: Ambil nomor antrean.",
        "Pilih instansi. 2 pilihan.", "Pilihan 1 dari 2: Disdukcapil.",
        "Pilihan 2 dari 2: BPJS Kesehatan.",
        "Pilihan 1 dari 2: Disdukcapil.",
        "Pilih layanan Disdukcapil. 5 pilihan.", "Pilihan 1 dari 5: Layanan ktp, tanpa antre.",
        "Pilihan 2 dari 5: Layanan kk, tanpa antre.",
        "Pilihan 3 dari 5: Layanan akta, sedang tutup.",
        "Layanan ini sedang tutup. Silakan pilih yang lain.",
        "Pilihan 2 dari 5: Layanan kk, tanpa antre.",
        "Layanan kk. Perlu layanan prioritas? Warga prioritas dilayani lebih dahulu.",
        "Pilihan 1 dari 5: Ya, penyandang disabilitas.",
        "Tiket Anda sedang dicetak, mohon tunggu.",
        *[*result_id(number)] * 2,  # then REPEAT says it again
    ]
    # AND every phrase was spoken by the real voice: a WAV file of speech each
    for spoken in keys.speaker.spoken:
        assert spoken.path is not None
        audio = read_wav(spoken.path)
        assert audio.duration_s > 0.5 and audio.rms() > 300, spoken.phrase.text
    # AND the printed ticket carries that number and service, decoded from its ESC/POS
    assert len(simulator.tickets) == 1
    printed = simulator.tickets[0]
    assert any(number in line for line in printed.lines)
    assert any("Layanan kk" in line for line in printed.lines)
    assert printed.qr_payloads and printed.qr_payloads[0] == model.ticket["qrPayload"]
    # WHEN the citizen presses choose on Done THEN the mode ends with them
    keys.press(Button.CHOOSE, lambda: model.screen == "welcome")
    assert not model.voice
    # AND the officer who calls the number is told to come to the citizen
    counter = client_factory("counter-01", "counter", follow_state=False)
    counter.request("counter.open", {"counter": "loket-01"})
    called = counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]
    assert (called["number"], called["assist"], called["priority"]) == (
        number, "voice", "disabled")


def result_id(number: str) -> list[str]:
    spelled = ", ".join(ch for ch in number if ch.isalnum())
    return [f"Nomor antrean Anda {spelled}.", "Antrean di depan Anda: 0 orang.",
            "Perkiraan tunggu: Anda berikutnya.",
            ("Silakan ambil tiket Anda di celah di bawah layar. Petugas akan tahu untuk "
            "menghampiri Anda."),
            "Pilihan 1 dari 1: Selesai."]


def test_english_on_request_and_the_mode_ends_when_the_citizen_leaves(voice_kiosk, qtbot):
    kiosk, keys = voice_kiosk
    model = kiosk.model
    model.idle_ms = 300  # 30 s in the hall (90 s in voice mode)
    keys.press(Button.HELP, lambda: model.voice)  # any key starts the guidance
    keys.press(Button.NEXT, lambda: kiosk.voice.focus == "language:en")
    keys.press(Button.CHOOSE, lambda: kiosk.i18n.language == "en")
    keys.press(Button.HELP, keys.says(2))
    assert keys.heard()[-5:] == [
        "For English, press choose.",  # said in English, on the Indonesian screen
        "Welcome to MPP Uji.", "Choice 1 of 2: Take a queue number.",
        ("Press next or previous to hear the choices, choose to take the one you hear, back "
        "to go back, repeat to hear it again, help for these keys."),
        "Choice 1 of 2: Take a queue number.",
    ]
    assert keys.speaker.spoken[-1].phrase.lang == "en"
    keys.press(Button.CHOOSE, lambda: model.screen == "agencies")
    assert keys.heard()[-2:] == ["Choose an agency. 2 choices.", "Choice 1 of 2: Civil Registry."]
    assert model.idle_timer.interval() == 900  # three times longer in voice mode
    # WHEN the citizen walks away THEN welcome, the voice off, the kiosk's own language
    qtbot.waitUntil(lambda: model.screen == "welcome" and not model.voice, timeout=WAIT_MS)
    assert kiosk.i18n.language == "id"
    spoken = len(keys.heard())
    # AND the next citizen's first key starts it afresh, in Indonesian
    keys.press(Button.REPEAT, lambda: model.voice)
    assert keys.heard()[spoken:][:3] == ["Panduan suara aktif.", HELP_ID,
                                         "Selamat datang di MPP Uji."]


def test_in_the_large_mode_the_screen_shows_the_page_of_the_choice_heard(voice_kiosk):
    kiosk, keys = voice_kiosk
    model = kiosk.model
    kiosk.click("largeButton")
    keys.press(Button.VOICE, lambda: model.voice and model.large)
    keys.press(Button.CHOOSE, lambda: model.screen == "agencies")
    keys.press(Button.CHOOSE, lambda: model.screen == "services")
    assert not kiosk.item("service-pindah").isVisible()  # on the next page
    # WHEN previous goes from the first service round to the last
    keys.press(Button.PREVIOUS, lambda: kiosk.voice.focus == "service:pindah")
    keys.qtbot.waitUntil(lambda: kiosk.item("service-pindah").isVisible(), timeout=WAIT_MS)
    assert not kiosk.item("service-ktp").isVisible()


class StuckVoice:
    """A voice that never finishes rendering until released (a hung espeak)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def render_text(self, text: str, lang: str) -> Audio:
        self.release.wait(30)
        return silence(10)


def test_speech_never_blocks_the_touch_screen(qtbot, server, kiosk_factory, tmp_path):
    config = load_keypad_profile(PROFILE)
    keypad = open_keypad(config)
    voice = StuckVoice()
    speaker = Speaker(voice, WavFileSink(tmp_path / "speech"))
    kiosk = kiosk_factory(keypad=keypad, press_filter=config.filter.make(), speaker=speaker)
    try:
        qtbot.waitUntil(lambda: kiosk.model.hasConfig and kiosk.bridge.online,
                        timeout=WAIT_MS)
        qtbot.waitUntil(lambda: keypad.is_open, timeout=WAIT_MS)
        keypad.press(Button.VOICE)
        qtbot.waitUntil(lambda: kiosk.model.voice, timeout=WAIT_MS)
        # WHILE the voice hangs, touches still take a number at once
        kiosk.click("startButton")
        qtbot.waitUntil(lambda: kiosk.model.screen == "agencies", timeout=WAIT_MS)
        kiosk.click("agency-dukcapil")
        qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: kiosk.item("service-ktp").isVisible(), timeout=WAIT_MS)
        kiosk.click("service-ktp")
        qtbot.waitUntil(lambda: kiosk.model.screen == "priority", timeout=WAIT_MS)
        kiosk.click("priority-none")
        qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
        assert speaker.spoken == []
    finally:
        voice.release.set()


def test_the_priority_choice_comes_first_and_every_kind_is_spoken():
    from kiosk.prompts import PRIORITY_ORDER, SAYS, View, choices
    from queue_server.protocol.ops import PRIORITY_KINDS

    offered = [c.value for c in choices(View(screen="priority", lang="id"))]
    assert offered == list(PRIORITY_ORDER)
    assert offered[0] == "disabled" and offered[-1] == "none"
    assert set(offered) == {*PRIORITY_KINDS, "none"}
    assert all(kind in SAYS for kind in offered)


def test_the_kiosk_command_opens_the_keypad_profile_and_the_speech(tmp_path):
    from kiosk.app import open_voice, parser

    args = parser().parse_args(["--site-id", "x", "--keypad", str(PROFILE),
                                "--speech", f"wav-dir:{tmp_path}"])
    voice = open_voice(args)
    assert isinstance(voice["keypad"], SimulatedKeypad)
    assert isinstance(voice["speaker"], Speaker)
    assert voice["press_filter"].repeat_window_s == 0.3
    bad = tmp_path / "bad.toml"
    bad.write_text('type = "telepathy"\n')
    with pytest.raises(SystemExit, match="keypad_config"):
        open_voice(parser().parse_args(["--site-id", "x", "--keypad", str(bad)]))
    assert open_voice(parser().parse_args(["--site-id", "x"])) == {}


def test_a_ticket_the_printer_lost_offers_its_copy_by_voice(voice_kiosk, simulator):
    kiosk, keys = voice_kiosk
    model = kiosk.model
    keys.press(Button.VOICE, lambda: model.voice)
    keys.press(Button.CHOOSE, lambda: model.screen == "agencies")
    keys.press(Button.CHOOSE, lambda: model.screen == "services")
    keys.press(Button.CHOOSE, lambda: model.screen == "priority")
    simulator.faults.paper_out = True  # the roll runs out as the number prints
    keys.press(Button.CHOOSE, lambda: model.screen == "result" and model.copy == "offered")
    heard = keys.heard()
    assert heard[-2:] == [
        ("Printer bermasalah: tiket Anda tidak tercetak. Silakan minta bantuan petugas; "
        "nomor Anda ada di layar."),
        "Pilihan 1 dari 2: Cetak salinan tiket Anda."]
    # WHEN the roll is replaced and the citizen chooses the copy THEN it prints
    simulator.faults.paper_out = False
    keys.press(Button.CHOOSE, lambda: model.copy == "printed")
    assert len(simulator.tickets) == 1
