"""A blank box gets its bundle over the LAN (issue #13, docs/boxes.md): the real server
over HTTPS on 127.0.0.1 (real SQLite, real broker, the site's bundles in its boxes
folder), the box's own code (`mpp box pair`) on a thread, and an administrator who types
the code the box's screen shows. A wrong code, a man in the middle, a flood, a supervisor
and an expired request get nowhere, and the bundle stays untaken."""

from __future__ import annotations

import io
import json
import shutil
import ssl
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from mpp.box.bundle import BoxOptions, make_boxes
from mpp.box.install import Installed, install_from
from mpp.box.pair import PairOptions, pair
from mpp.box.screen import Screen
from mpp.broker import BrokerHandle
from mpp.provision import Provisioned, provision
from mpp.provision.run import TlsRequest
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.credentials import load_https
from queue_server.protocol.pairing import (
    Mismatch,
    b64,
    new_code,
    new_key,
    open_answer,
    parse_code,
    seal,
)
from queue_server.server import QueueServer
from tests.support.hall import server_options
from tests.support.relay import Relay
from tests.web.conftest import ADMIN, PASSWORD, SUPERVISOR, csrf_of, sign_in

TLS = TlsRequest(names=["localhost"], ips=["127.0.0.1"])
LOOPBACK = ["127.0.0.1"]
WAIT_S = 15.0


def wait_until(condition: Callable[[], object], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.02)


@dataclass
class Lan:
    server: QueueServer
    done: Provisioned
    boxes: Path  # the server's folder of bundles
    url: str
    opened: list[httpx.Client]

    @property
    def ca(self) -> Path:
        return self.done.credentials("server").parent / "ca.crt"

    def client(self, local: str = "127.0.0.1") -> httpx.Client:
        """A client that trusts the site CA, from the loopback address `local`."""
        transport = httpx.HTTPTransport(local_address=local,
                                        verify=ssl.create_default_context(cafile=str(self.ca)))
        client = httpx.Client(base_url=self.url, transport=transport, timeout=10.0,
                              follow_redirects=False)
        self.opened.append(client)
        return client

    def signed_in(self, user: str = ADMIN) -> httpx.Client:
        """Signed in as `user`, the page's CSRF token in its headers (closed at the end)."""
        c = self.client()
        assert sign_in(c, user).status_code == 303
        c.headers["X-CSRF-Token"] = csrf_of(c)
        return c

    @property
    def pairing(self):  # type: ignore[no-untyped-def]
        assert self.server.web is not None and self.server.web.pairing is not None
        return self.server.web.pairing


def serve(site: SiteConfig, mosquitto: BrokerHandle, sqlite_url: str, clock: ManualClock,
          done: Provisioned, boxes: Path | None, **options: object) -> QueueServer:
    server = QueueServer(site, server_options(
        mosquitto, sqlite_url, http_port=0, http_host="127.0.0.1",
        https=load_https(done.credentials("server")),
        boxes_dir=str(boxes) if boxes is not None else None,
        **{"advertise": False, **options}), clock)
    server.start(wait_connected=10)
    return server


@pytest.fixture
def provisioned(site: SiteConfig, tmp_path: Path) -> Provisioned:
    done = provision(site, tmp_path / "provision", tls=TLS)
    make_boxes(site, done, BoxOptions(), tls=TLS)
    return done


@pytest.fixture
def lan_factory(mosquitto: BrokerHandle, site: SiteConfig, sqlite_url: str,
                clock: ManualClock, provisioned: Provisioned, tmp_path: Path
                ) -> Iterator[Callable[..., Lan]]:
    started: list[QueueServer] = []
    made: list[Lan] = []

    def start(**options: object) -> Lan:
        boxes = tmp_path / "server-boxes"  # /var/lib/mpp/boxes on a server box
        shutil.copytree(provisioned.out / "boxes", boxes)
        server = serve(site, mosquitto, sqlite_url, clock, provisioned, boxes, **options)
        started.append(server)
        assert server.web is not None
        server.web.accounts.add(ADMIN, PASSWORD, "administrator")
        lan = Lan(server, provisioned, boxes, f"https://127.0.0.1:{server.http_port}", [])
        lan.pairing.poll_s = 0.25  # the boxes' poll, and the panel's: 3 s in a hall
        made.append(lan)
        return lan

    yield start
    for lan in made:  # the clients' kept-alive connections first: uvicorn waits for them
        for client in lan.opened:
            client.close()
    for server in started:
        server.stop()


@pytest.fixture
def lan(lan_factory: Callable[..., Lan]) -> Lan:
    return lan_factory()


class Box:
    """A blank box running `mpp box pair` on a thread: its screen is `console`, its code
    file `code_file` (what a person reads), its root `root`."""

    def __init__(self, tmp: Path, name: str, hostname: str, **options: object) -> None:
        self.root = tmp / name / "root"
        self.code_file = tmp / name / "pairing.json"
        self.console = io.StringIO()
        self.stop = threading.Event()
        self.result: Installed | None = None
        self.error: BaseException | None = None
        opts = PairOptions(hostname, code_file=self.code_file, retry_s=0.2, **options
                           )  # type: ignore[arg-type]
        screen = Screen(out=self.console, code_file=self.code_file)
        self.thread = threading.Thread(target=self._run, args=(opts, screen),
                                       name=f"test-box-{name}")
        self.thread.start()

    def _run(self, opts: PairOptions, screen: Screen) -> None:
        try:
            self.result = pair(self.root, opts, screen, self.stop)
        except BaseException as err:
            self.error = err

    def shown(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.code_file.read_text()))
        except (OSError, ValueError):
            return {}

    def code(self, not_this: str | None = None) -> str:
        """The code on the box's screen (a new one, when `not_this` is the old)."""
        seen: dict[str, str] = {}

        def new_code_shown() -> bool:
            seen.update(self.shown())
            return seen.get("state") == "code" and seen.get("code") != not_this

        wait_until(new_code_shown, "the box shows a code")
        code = seen["code"]
        assert code in self.console.getvalue()  # the console shows what the file says
        return code

    def finished(self) -> Installed:
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive(), "the box never got its bundle"
        assert self.error is None, self.error
        assert self.result is not None
        return self.result

    def close(self) -> None:
        self.stop.set()
        self.thread.join(WAIT_S)


@pytest.fixture
def boxes(tmp_path: Path) -> Iterator[Callable[..., Box]]:
    made: list[Box] = []

    def make(name: str = "box", hostname: str = "raspberrypi", **options: object) -> Box:
        made.append(Box(tmp_path, name, hostname, **options))
        return made[-1]

    yield make
    for box in made:
        box.close()


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(root.rglob("*")) if p.is_file()}


def waiting(lan: Lan, host: str | None = None) -> dict[str, object]:
    """The one request waiting (of `host`), once there is one."""
    found: list[dict[str, object]] = []

    def one() -> bool:
        found[:] = [r for r in lan.pairing.listing()["requests"]
                    if r["state"] == "waiting" and host in (None, r["host"])]
        return len(found) == 1

    wait_until(one, "a box waiting on the dashboard")
    return found[0]


# --------------------------------------------------------------------------- the dashboard


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from tests.web.browser import launch

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture
def admin_page(chromium, lan):  # type: ignore[no-untyped-def]
    from tests.web.browser import sign_in_page

    context = chromium.new_context(viewport={"width": 1400, "height": 1000},
                                   ignore_https_errors=True)
    page = context.new_page()
    sign_in_page(page, lan.url, ADMIN, PASSWORD)
    yield page
    context.close()


def test_a_blank_box_pairs_with_the_code_typed_in_the_dashboard(
        lan_factory: Callable[..., Lan], chromium: object, boxes: Callable[..., Box],
        site: SiteConfig, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from tests.web.browser import sign_in_page

    # GIVEN the server announced on zeroconf (the loopback interface is this test's LAN)
    # and a blank box called kiosk-01 that finds it there: no address typed
    lan = lan_factory(advertise=True, mdns_interfaces=LOOPBACK)
    box = boxes("kiosk", hostname="kiosk-01", site=site.site.id, interfaces=LOOPBACK,
                discover_timeout=2.0)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000},  # type: ignore[attr-defined]
                                   ignore_https_errors=True)
    try:
        page = context.new_page()
        sign_in_page(page, lan.url, ADMIN, PASSWORD)
        code = box.code()
        assert "KOTAK INI MENUNGGU PEMASANGAN" in box.console.getvalue()
        # WHEN the administrator sees it waiting, types the code its screen shows (in
        # lower case, as people do) and sends it the bundle the dashboard offers
        row = page.locator("#boxes tr.box.waiting")
        expect(row).to_have_count(1, timeout=WAIT_S * 1000)
        expect(row.locator("td.host")).to_have_text("kiosk-01")
        expect(row.locator("td.address")).to_have_text("127.0.0.1")
        request_id = row.get_attribute("data-request")
        select = page.locator(f"#box-{request_id}-bundle")
        assert select.input_value() == "kiosk-01"  # named like the host: chosen already
        page.fill(f"#box-{request_id}-code", code.lower())
        page.click(f"#box-{request_id}-approve")
        # THEN the box installs it, the dashboard says so, the bundle is taken
        installed = box.finished()
        assert (installed.bundle.device, installed.bundle.role.name) == ("kiosk-01", "kiosk")
        expect(page.locator(f'#boxes tr[data-request="{request_id}"] td.state')).to_have_text(
            "Terpasang sebagai kiosk-01", timeout=WAIT_S * 1000)
    finally:
        context.close()
    assert (lan.boxes / "kiosk-01.mppbox.taken").is_file()
    assert not (lan.boxes / "kiosk-01.mppbox").exists()
    assert not box.code_file.exists(), "the spent code is off the screen"
    # ... and the box is exactly what the same bundle from a USB stick makes
    stick_root = tmp_path / "from-a-stick"
    install_from(lan.done.out / "boxes" / "kiosk-01.mppbox", stick_root)
    assert tree(box.root) == tree(stick_root)
    assert "etc/mpp/credentials/mqtt.toml" in tree(box.root)


def test_a_wrong_code_is_refused_by_the_box_which_asks_again(
        lan: Lan, admin_page, boxes: Callable[..., Box]) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    box = boxes(server=lan.url)
    first = box.code()
    wrong = new_code()
    row = admin_page.locator("#boxes tr.box.waiting")
    expect(row).to_have_count(1, timeout=WAIT_S * 1000)
    request_id = row.get_attribute("data-request")
    admin_page.select_option(f"#box-{request_id}-bundle", "kiosk-02")
    admin_page.fill(f"#box-{request_id}-code", wrong)
    admin_page.click(f"#box-{request_id}-approve")
    # the box cannot open it: it says so, shows a new code and asks again
    second = box.code(not_this=first)
    assert "KODE TIDAK COCOK" in box.console.getvalue()
    assert "THE CODE DID NOT MATCH" in box.console.getvalue()
    expect(admin_page.locator(f'#boxes tr[data-request="{request_id}"] td.state')
           ).to_have_text("Kode tidak cocok: kotak menampilkan kode baru",
                          timeout=WAIT_S * 1000)
    # nothing was taken, nothing installed
    assert (lan.boxes / "kiosk-02.mppbox").is_file()
    assert not (box.root / "etc/mpp/box.toml").exists()
    # a typo the dashboard can tell at once is refused there
    again = admin_page.locator("#boxes tr.box.waiting")
    expect(again).to_have_count(1, timeout=WAIT_S * 1000)
    new_id = again.get_attribute("data-request")
    assert new_id != request_id
    admin_page.fill(f"#box-{new_id}-code", second[:-1])
    admin_page.click(f"#box-{new_id}-approve")  # a host named like no bundle: none chosen
    expect(admin_page.locator("#toast")).to_have_text("Pilih dulu bundel kotak ini.",
                                                      timeout=WAIT_S * 1000)
    admin_page.select_option(f"#box-{new_id}-bundle", "kiosk-02")
    admin_page.click(f"#box-{new_id}-approve")
    expect(admin_page.locator("#toast")).to_have_text(
        "Kode terdiri dari 12 huruf dan angka, seperti di layar kotak.", timeout=WAIT_S * 1000)
    assert lan.pairing.listing()["requests"][-1]["state"] == "waiting"


# --------------------------------------------------------------------------- attacks


def test_a_man_in_the_middle_can_neither_read_nor_forge_the_bundle(
        lan: Lan, boxes: Callable[..., Box], site: SiteConfig) -> None:
    admin = lan.signed_in()
    with Relay(lan.url) as relay:
        # GIVEN a box that dials the relay, which swaps the box's key for its own
        box = boxes(server=relay.url)
        code = box.code()
        request = waiting(lan)
        assert relay.box_keys and relay.box_keys[0] != relay.public
        # WHEN the administrator approves it with the right code
        sent = admin.post(f"/api/pairing/{request['id']}/approve",
                          json={"code": code, "device": "kiosk-03"})
        assert sent.status_code == 200, sent.text
        # THEN the box cannot open what was sealed for the relay's key: it reports it and
        # asks again with a new code
        second = box.code(not_this=code)
        assert len(relay.answers) == 1
        # ... and the relay, holding its own private key, cannot open it without the code
        with pytest.raises(Mismatch):
            open_answer(relay.private, new_code(), relay.answers[0])
        assert (lan.boxes / "kiosk-03.mppbox").is_file(), "no confirmation: not taken"
        assert [r["state"] for r in lan.pairing.listing()["requests"]] == ["mismatch",
                                                                            "waiting"]
        # WHEN the relay forges an answer for the box's real key (a bundle of its own
        # choosing, with the best guess at the code it has: none)
        evil = (lan.boxes / "kiosk-04.mppbox").read_bytes()
        relay.forge = lambda key: seal(evil, key, new_code(), "kiosk-04", site.site.id)[0]
        request = waiting(lan)
        sent = admin.post(f"/api/pairing/{request['id']}/approve",
                          json={"code": second, "device": "kiosk-03"})
        assert sent.status_code == 200
        # THEN the box refuses that too, installs nothing, and asks again
        box.code(not_this=second)
    assert not (box.root / "etc/mpp/box.toml").exists()
    assert sorted(p.name for p in lan.boxes.iterdir() if p.name.endswith(".taken")) == []


def test_a_flood_of_requests_is_capped_with_a_stable_code(lan: Lan) -> None:
    _private, public = new_key()
    ask = {"host": "flood", "key": b64(public), "proto": 1}
    # one address may hold 3 requests open
    with lan.client("127.0.0.2") as one:
        answers = [one.post("/pair", json=ask) for _ in range(4)]
        assert [a.status_code for a in answers] == [201, 201, 201, 503]
        assert answers[3].json()["error"]["code"] == "pairing_full"
        assert answers[3].json()["error"]["limit"] == 3
        # and make a new one only so often
        limited = [one.post("/pair", json=ask) for _ in range(4)][-1]
        assert limited.status_code == 429
        error = limited.json()["error"]
        assert error["code"] == "rate_limited" and error["retry_after_s"] >= 1
        assert limited.headers["Retry-After"] == str(error["retry_after_s"])
    # the server holds at most 20, whoever asks
    codes = []
    for n in range(3, 11):
        with lan.client(f"127.0.0.{n}") as other:
            codes += [other.post("/pair", json=ask).status_code for _ in range(3)]
    assert codes.count(201) == 17 and codes.count(503) == 7
    assert len(lan.pairing.listing()["requests"]) == 20
    # what is not a request is refused with its reason, and the server goes on
    with lan.client("127.0.0.11") as bad:
        for body, code in (({"host": "x", "key": b64(bytes(32)), "proto": 1}, "bad_key"),
                           ({"host": "x", "key": "not base64!", "proto": 1}, "bad_key"),
                           ({"host": "x y", "key": ask["key"], "proto": 1}, "bad_request"),
                           ({"host": "x", "key": ask["key"], "proto": 2}, "bad_request")):
            resp = bad.post("/pair", json=body)
            assert resp.status_code in (400, 422) and resp.json()["error"]["code"] == code
        assert bad.get("/pair/" + "x" * 32).json()["error"]["code"] == "unknown_request"
    assert lan.client().get("/health").status_code == 200


def test_only_an_administrator_gives_a_bundle(lan: Lan, boxes: Callable[..., Box]) -> None:
    box = boxes(server=lan.url)
    code = box.code()
    request = waiting(lan)
    assert lan.server.web is not None
    lan.server.web.accounts.add(SUPERVISOR, PASSWORD, "supervisor")
    supervisor = lan.signed_in(SUPERVISOR)
    for path, body in (("approve", {"code": code, "device": "kiosk-01"}), ("refuse", {})):
        resp = supervisor.post(f"/api/pairing/{request['id']}/{path}", json=body)
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"
    assert supervisor.get("/api/pairing").status_code == 403
    assert 'id="boxes-panel"' not in supervisor.get("/").text
    with lan.client() as anonymous:
        resp = anonymous.post(f"/api/pairing/{request['id']}/approve",
                              json={"code": code, "device": "kiosk-01"})
        assert resp.status_code == 401
    admin = lan.signed_in()
    token = admin.headers.pop("X-CSRF-Token")  # without the page's token, not even an admin
    resp = admin.post(f"/api/pairing/{request['id']}/approve",
                      json={"code": code, "device": "kiosk-01"})
    assert resp.json()["error"]["code"] == "csrf"
    assert waiting(lan)["id"] == request["id"]
    assert (lan.boxes / "kiosk-01.mppbox").is_file()
    # an administrator's refusal: the box says so, and asks again later
    admin.headers["X-CSRF-Token"] = token
    assert admin.post(f"/api/pairing/{request['id']}/refuse").json()["state"] == "refused"
    wait_until(lambda: "Admin menolak permintaan ini" in box.console.getvalue(),
               "the box shows the refusal")


def test_an_expired_request_is_gone(lan: Lan) -> None:
    _private, public = new_key()
    admin = lan.signed_in()
    with lan.client() as box:
        opened = box.post("/pair", json={"host": "kiosk-05", "key": b64(public), "proto": 1})
        token = opened.json()["token"]
        assert opened.json()["expires_s"] == 1800
        assert box.get(f"/pair/{token}").json() == {"state": "waiting"}
        request_id = waiting(lan)["id"]
        later = time.monotonic() + 30 * 60 + 1
        lan.pairing.now = lambda: later
        assert box.get(f"/pair/{token}").json()["error"]["code"] == "unknown_request"
        resp = admin.post(f"/api/pairing/{request_id}/approve",
                          json={"code": new_code(), "device": "kiosk-05"})
        assert (resp.status_code, resp.json()["error"]["code"]) == (404, "unknown_request")
        assert admin.get("/api/pairing").json()["requests"] == []


def test_bundles_given_are_this_sites_free_ones(lan: Lan) -> None:
    _private, public = new_key()
    admin = lan.signed_in()
    with lan.client() as box:
        box.post("/pair", json={"host": "kiosk-06", "key": b64(public), "proto": 1})
        request_id = waiting(lan)["id"]
        listing = admin.get("/api/pairing").json()
        assert listing["folder"] == str(lan.boxes)
        assert [b["device"] for b in listing["bundles"]][:3] == ["counter-01", "counter-02",
                                                                 "counter-03"]
        assert {"device": "kiosk-06", "role": "kiosk", "name": ""} in listing["bundles"]
        (lan.boxes / "kiosk-07.mppbox").rename(lan.boxes / "kiosk-07.mppbox.taken")
        for device, code in (("kiosk-07", "bundle_taken"), ("kiosk-99", "unknown_bundle"),
                             ("../../etc", "bad_request")):
            resp = admin.post(f"/api/pairing/{request_id}/approve",
                              json={"code": new_code(), "device": device})
            assert resp.json()["error"]["code"] == code, device
        resp = admin.post(f"/api/pairing/{request_id}/approve",
                          json={"code": "7KQ2-M9XD-4RT", "device": "kiosk-06"})
        assert resp.json()["error"]["code"] == "bad_code"
        assert waiting(lan)["id"] == request_id


def test_a_server_without_a_boxes_folder_gives_nothing(
        mosquitto: BrokerHandle, site: SiteConfig, sqlite_url: str, clock: ManualClock,
        provisioned: Provisioned) -> None:
    server = serve(site, mosquitto, sqlite_url, clock, provisioned, None)
    try:
        url = f"https://127.0.0.1:{server.http_port}"
        _private, public = new_key()
        with httpx.Client(base_url=url, verify=False, timeout=10) as box:
            resp = box.post("/pair", json={"host": "kiosk-01", "key": b64(public),
                                           "proto": 1})
        assert (resp.status_code, resp.json()["error"]["code"]) == (503, "pairing_off")
    finally:
        server.stop()


def test_a_code_reads_as_the_box_shows_it() -> None:
    assert parse_code("7kq2 m9xd 4rta") == "7KQ2M9XD4RTA"
    assert parse_code("O1L0-IIII-2222") == "011011112222"  # O, I, L read as 0, 1, 1
    for typo in ("7KQ2-M9XD-4RT", "7KQ2-M9XD-4RTU", "7KQ2-M9XD-4RTA-1"):
        with pytest.raises(ValueError):
            parse_code(typo)


def test_firstboot_without_a_stick_asks_the_server(lan: Lan, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from mpp.cli import main

    # GIVEN a box at first boot with nothing on its stick
    stick, root, shown = tmp_path / "stick", tmp_path / "cli-root", tmp_path / "cli.json"
    stick.mkdir()
    args = ["box", "firstboot", "--media", str(stick), "--root", str(root), "--server",
            lan.url, "--code-file", str(shown)]
    done: list[int] = []
    # a daemon: a box that never got its bundle would poll on after a failed test
    thread = threading.Thread(target=lambda: done.append(main(args)), daemon=True)
    thread.start()
    wait_until(lambda: shown.is_file() and "code" in shown.read_text(), "the code shown")
    code = json.loads(shown.read_text())["code"]
    # WHEN the administrator types it and gives it counter-01's bundle
    sent = lan.signed_in().post(f"/api/pairing/{waiting(lan)['id']}/approve",
                                json={"code": code, "device": "counter-01"})
    assert sent.status_code == 200, sent.text
    thread.join(WAIT_S)
    # THEN it is that box, installed from the server
    assert done == [0]
    out = capsys.readouterr().out
    assert code in out and "THIS BOX IS WAITING TO BE INSTALLED" in out
    assert "installed box counter-01 (console) of site " in out
    assert "from the server, over the LAN" in out
    assert 'device = "counter-01"' in (root / "etc/mpp/box.toml").read_text()
    assert (lan.boxes / "counter-01.mppbox.taken").is_file()
