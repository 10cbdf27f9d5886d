"""Typed site configuration: one TOML file describes a whole hall.

The file lists the site, its opening-hour schedules, the agencies, their services, the
counters and the devices allowed to talk to the server. It is validated once at start-up;
every error names the file, the key path (``counters[0].services[1]``) and a plain reason,
so whoever edits the file on a hall's mini-PC can fix it without reading a traceback.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pathlib
import re
import tomllib
import urllib.parse
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from queue_server import pins
from queue_server.protocol.topics import DEVICE_ID_RE, SLUG_RE  # ids go in topic levels

__all__ = [
    "Agency",
    "Central",
    "ConfigError",
    "Counter",
    "Device",
    "Policy",
    "Privacy",
    "Schedule",
    "Service",
    "SiteConfig",
    "SiteInfo",
    "default_site_path",
    "load_site",
    "parse_site",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_PREFIX = re.compile(r"^[A-Z]{1,2}$")
_HHMM = re.compile(r"^(\d{2}):(\d{2})$")
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column \d+\)$")
# Our own pydantic error type: cross-reference checks run on the whole model, so they
# carry the key path they blame in the error context instead of pydantic's empty loc.
_REF_ERROR = "config_reference"


class ConfigError(Exception):
    """The site configuration cannot be used; names the file, key path and reason."""

    code = "config_invalid"

    def __init__(self, file: str, key: str, reason: str) -> None:
        # Passing all three to Exception keeps the error picklable (multiprocessing).
        super().__init__(file, key, reason)
        self.file = file
        self.key = key
        self.reason = reason

    def __str__(self) -> str:
        # Whole-file problems (missing file, TOML syntax) have no key; skip the empty slot.
        if not self.key:
            return f"{self.file}: {self.reason}"
        return f"{self.file}: {self.key}: {self.reason}"


# --- field types -------------------------------------------------------------------------


def _matching(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(f"{value!r} is not a valid {what}")
        return value

    return AfterValidator(check)


Slug = Annotated[str, _matching(
    SLUG_RE, "id (2-32 chars: lowercase letters, digits, '-', not starting with '-')")]
DeviceId = Annotated[str, _matching(DEVICE_ID_RE, "device id (3-32 chars: a-z, 0-9, '-')")]
Prefix = Annotated[str, _matching(_PREFIX, "prefix (one or two capital letters A-Z)")]
Text = Annotated[str, Field(min_length=1)]


def _parse_hhmm(text: str) -> dt.time:
    match = _HHMM.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time HH:MM")
    try:
        return dt.time(int(match[1]), int(match[2]))
    except ValueError:
        raise ValueError(f"{text!r} is not a time between 00:00 and 23:59") from None


def _parse_interval(value: object) -> object:
    """Turn "08:00-12:00" into a pair of times; a ready pair goes on to pydantic as is."""
    if isinstance(value, tuple | list):
        return value
    if not isinstance(value, str):
        # ValueError, not TypeError: pydantic turns only ValueError into a validation error.
        raise ValueError(f"{value!r} is not an interval HH:MM-HH:MM")
    start, sep, end = value.partition("-")
    if not sep:
        raise ValueError(f"{value!r} is not an interval HH:MM-HH:MM")
    return (_parse_hhmm(start), _parse_hhmm(end))


def _http_base(value: str) -> str:
    """An http(s) address without query or fragment, no trailing slash; "" stays ""."""
    if not value:
        return value
    parts = urllib.parse.urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc
            or parts.query or parts.fragment or "{" in value or " " in value):
        raise ValueError(f"{value!r} is not an http(s) address such as "
                         "http://10.0.0.2:8080")
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise ValueError(f"{value!r} has no valid port") from None
    return value.rstrip("/")


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def _check_interval(value: tuple[dt.time, dt.time]) -> tuple[dt.time, dt.time]:
    start, end = value
    if start >= end:
        raise ValueError(f"start {_hhmm(start)} is not before end {_hhmm(end)}")
    return value


def _sorted_disjoint(value: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """Sort a day's intervals; touching is fine (end is exclusive), overlapping is not."""
    ordered = tuple(sorted(value))
    for (s1, e1), (s2, e2) in itertools.pairwise(ordered):
        if s2 < e1:
            raise ValueError(f"'{_hhmm(s1)}-{_hhmm(e1)}' overlaps '{_hhmm(s2)}-{_hhmm(e2)}'")
    return ordered


Interval = Annotated[
    tuple[dt.time, dt.time], BeforeValidator(_parse_interval), AfterValidator(_check_interval)
]
Day = Annotated[tuple[Interval, ...], AfterValidator(_sorted_disjoint)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- models ------------------------------------------------------------------------------


class SiteInfo(_Frozen):
    id: Slug
    name: Text
    timezone: str = "Asia/Makassar"
    # The hall's address as citizens' phones reach it over the hall's Wi-Fi, for example
    # http://10.20.0.2:8080: a ticket's own page is {public_url}/t/{key}, printed as the
    # ticket's QR. Empty: the server's own HTTP address (mpp server --http-port).
    public_url: str = ""
    # The older setting (a survey at /f/{ticket}): read as public_url, the part before
    # /f/{ticket}; the survey is now on the ticket's own page.
    feedback_url: str = ""

    @field_validator("public_url")
    @classmethod
    def _public_address(cls, value: str) -> str:
        return _http_base(value)

    @field_validator("feedback_url")
    @classmethod
    def _feedback_template(cls, value: str) -> str:
        if value and not value.endswith("/f/{ticket}"):
            raise ValueError("must end with /f/{ticket} (the older form of public_url), "
                             "e.g. http://10.0.0.2:8080/f/{ticket}; better: public_url = "
                             '"http://10.0.0.2:8080"')
        if value:
            _http_base(value.removesuffix("/f/{ticket}"))
        return value

    @property
    def page_base(self) -> str:
        """Where the ticket pages are, as phones reach them; "" when the file says not."""
        return self.public_url or self.feedback_url.removesuffix("/f/{ticket}")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        # "Asia" alone names a tzdata folder and raises IsADirectoryError, an OSError.
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"{value!r} is not a valid time zone") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo caches instances per key


class Policy(_Frozen):
    # At most this many priority calls in a row per service while regular citizens wait.
    priority_ratio: int = Field(default=2, ge=1)
    appointment_early_min: int = Field(default=15, ge=0)
    appointment_late_min: int = Field(default=30, ge=0)
    calls_kept: int = Field(default=10, ge=1, le=50)
    service_time_window: int = Field(default=20, ge=1)
    # Counter devices must have an officer signed in before counter ops (see officers).
    require_signin: bool = False
    # Wrong PINs at one device for one officer code before that pair is locked out; each
    # lock in a row lasts twice the one before, from signin_lockout_s to the max.
    signin_attempts: int = Field(default=5, ge=1)
    signin_lockout_s: int = Field(default=300, ge=1)
    signin_lockout_max_s: int = Field(default=3600, ge=1)
    # Tickets one device may issue at once, then so many a minute (0: no limit, for
    # benchmarks only): a child or a script at a kiosk cannot empty a quota or the roll.
    issue_burst: int = Field(default=10, ge=0)
    issue_per_min: float = Field(default=6.0, gt=0)
    # Command replies remembered for repeats (idempotency), per device and in all: the
    # oldest go first when a flood of new command ids passes either.
    replies_kept_per_device: int = Field(default=5000, ge=10)
    replies_kept: int = Field(default=50000, ge=100)
    # requests per minute one address may make to the citizens' pages (/t/, /f/); phones
    # behind one router share an address: raise it there
    public_requests_per_min: int = Field(default=120, ge=1)
    # minutes after a no-show in which an officer may put a citizen who came back at the
    # front of the queue with the same number (counter.return); 0: never
    no_show_grace_min: int = Field(default=15, ge=0, le=240)
    # a device whose clock is further than this from the server's is reported to the
    # supervisor (dashboard alert, /health): boxes without a real-time clock boot wrong
    clock_skew_max_s: int = Field(default=60, ge=1)

    @model_validator(mode="after")
    def _lockout_range(self) -> Self:
        if self.signin_lockout_max_s < self.signin_lockout_s:
            raise _ref_error(("signin_lockout_max_s",),
                             "must be at least signin_lockout_s")
        return self


class Privacy(_Frozen):
    """UU PDP 27/2022: how long personal data is kept (docs/security.md)."""

    # appointment details (the code, and the booking's personal data when it comes) are
    # deleted this many days after the slot; tickets keep no personal data
    retention_days: int = Field(default=90, ge=1, le=3650)


def _https_url(value: str) -> str:
    """An https:// address of a central (a path prefix allowed), no trailing slash."""
    parts = urllib.parse.urlsplit(value)
    if (parts.scheme != "https" or not parts.hostname or "@" in parts.netloc
            or parts.query or parts.fragment or " " in value):
        raise ValueError(f"{value!r} is not an https:// address such as "
                         "https://central.example.go.id or https://10.1.0.5:8443/mpp")
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise ValueError(f"{value!r} has no valid port") from None
    return value.rstrip("/")


class Central(_Frozen):
    """The city's or province's central that receives the outbox (issue 14,
    docs/outside-world.md). Off while `url` is empty: the outbox then only fills."""

    # one address, or several (instances without a load balancer): the next one is tried
    # when one does not answer
    url: tuple[Annotated[str, AfterValidator(_https_url)], ...] = ()
    # the file holding this site's token (`mpp central add-site` makes it), relative to
    # the site file; a secret, so never in this file itself
    token_file: str = ""
    # the CA that signed the central's certificate (relative to the site file); empty:
    # the system's trusted CAs
    ca: str = ""
    batch: int = Field(default=500, ge=1, le=5000)  # records per request
    timeout_s: float = Field(default=30.0, gt=0, le=600)
    # after failures in a row the wait doubles from retry_min_s up to retry_max_s: the
    # central holds everything within about that long after the WAN comes back (issue 14:
    # a minute), and a city's hundred halls knock a few times a second during its outage
    retry_min_s: float = Field(default=1.0, gt=0, le=3600)
    retry_max_s: float = Field(default=30.0, gt=0, le=86400)
    # the dashboard and `mpp status` alert when the oldest record waiting is older
    alert_after_min: int = Field(default=60, ge=1)
    keep_delivered_days: int = Field(default=7, ge=0, le=3650)

    @field_validator("url", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _token_with_url(self) -> Self:
        if self.url and not self.token_file:
            raise _ref_error(("token_file",), "a central needs this site's token file "
                             "(made by `mpp central add-site`)")
        if self.retry_max_s < self.retry_min_s:
            raise _ref_error(("retry_max_s",), "must be at least retry_min_s")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.url)


class Schedule(_Frozen):
    """Opening hours for one week; a day left out of the file is closed."""

    mon: Day = ()
    tue: Day = ()
    wed: Day = ()
    thu: Day = ()
    fri: Day = ()
    sat: Day = ()
    sun: Day = ()

    def intervals(self, weekday: int) -> tuple[tuple[dt.time, dt.time], ...]:
        """Intervals of a weekday, 0 = Monday as in ``datetime.weekday()``."""
        intervals: tuple[tuple[dt.time, dt.time], ...] = getattr(self, DAYS[weekday])
        return intervals

    def is_open(self, local: dt.datetime) -> bool:
        """Whether open at ``local``, an aware datetime already in the site's time zone."""
        if local.tzinfo is None:
            # A naive time could be UTC from a careless caller: refuse rather than guess.
            raise ValueError("is_open needs a time-zone-aware datetime")
        now = local.time()
        return any(start <= now < end for start, end in self.intervals(local.weekday()))

    def describe(self) -> dict[str, list[str]]:
        return {
            day: [f"{_hhmm(s)}-{_hhmm(e)}" for s, e in self.intervals(i)]
            for i, day in enumerate(DAYS)
        }


class Agency(_Frozen):
    id: Slug
    name_id: Text
    name_en: Text
    icon: str | None = None


class Service(_Frozen):
    id: Slug
    agency: Slug
    name_id: Text
    name_en: Text
    prefix: Prefix
    schedule: str = "standard"
    daily_quota: int | None = Field(default=None, ge=1)
    target_wait_min: int = Field(default=30, ge=1)
    avg_service_min: float = Field(default=8.0, gt=0)


class Counter(_Frozen):
    id: Slug
    name: Text
    number: int = Field(ge=1)
    agency: Slug
    services: tuple[Slug, ...] = Field(min_length=1)


class Zone(_Frozen):
    """A part of the hall with its own wall display and announcer: the counters of the
    listed agencies, plus any counters listed by id."""

    id: Slug
    name: Text
    agencies: tuple[Slug, ...] = ()
    counters: tuple[Slug, ...] = ()


class Officer(_Frozen):
    """A counter officer: signs in at the console with a code and a PIN."""

    code: Slug
    name: Text
    agency: Slug
    pin_hash: Annotated[str, _matching(pins.HASH_RE, "PIN hash (make one: mpp hash-pin)")]


class Device(_Frozen):
    id: DeviceId
    role: Literal["kiosk", "counter", "display", "supervisor"]
    counters: tuple[Slug, ...] = ()
    name: str | None = None

    @model_validator(mode="after")
    def _counters_match_role(self) -> Self:
        if self.role == "counter" and not self.counters:
            raise _ref_error(("counters",), "a counter device needs at least one counter")
        if self.role != "counter" and self.counters:
            # Only counter devices act on counters; a list elsewhere is a copy-paste slip.
            raise _ref_error(("counters",), f"a {self.role} device has no counters")
        return self


class SiteConfig(_Frozen):
    site: SiteInfo
    policy: Policy = Policy()
    privacy: Privacy = Privacy()
    central: Central = Central()
    schedules: dict[str, Schedule]
    agencies: tuple[Agency, ...] = Field(min_length=1)
    services: tuple[Service, ...] = Field(min_length=1)
    counters: tuple[Counter, ...] = Field(min_length=1)
    devices: tuple[Device, ...]
    officers: tuple[Officer, ...] = ()
    zones: tuple[Zone, ...] = ()
    source: str = ""

    _agencies: dict[str, Agency] = PrivateAttr(default_factory=dict)
    _services: dict[str, Service] = PrivateAttr(default_factory=dict)
    _counters: dict[str, Counter] = PrivateAttr(default_factory=dict)
    _devices: dict[str, Device] = PrivateAttr(default_factory=dict)
    _officers: dict[str, Officer] = PrivateAttr(default_factory=dict)
    _by_agency: dict[str, tuple[Service, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_site(self) -> Self:
        self._check_unique()
        self._check_references()
        self._build_indexes()
        return self

    def _check_unique(self) -> None:
        _unique(self.agencies, "agencies", "id", "agency")
        _unique(self.services, "services", "id", "service")
        _unique(self.services, "services", "prefix", "service")
        _unique(self.counters, "counters", "id", "counter")
        _unique(self.counters, "counters", "number", "counter")
        _unique(self.devices, "devices", "id", "device")
        _unique(self.officers, "officers", "code", "officer")
        _unique(self.zones, "zones", "id", "zone")

    def _check_references(self) -> None:
        agencies = {a.id for a in self.agencies}
        services = {s.id for s in self.services}
        counters = {c.id for c in self.counters}
        for i, service in enumerate(self.services):
            _known(service.agency, agencies, ("services", i, "agency"), "agency")
            _known(service.schedule, self.schedules, ("services", i, "schedule"), "schedule")
        for i, counter in enumerate(self.counters):
            _known(counter.agency, agencies, ("counters", i, "agency"), "agency")
            _known_list(counter.services, services, ("counters", i, "services"), "service")
        for i, zone in enumerate(self.zones):
            _known_list(zone.agencies, agencies, ("zones", i, "agencies"), "agency")
            _known_list(zone.counters, counters, ("zones", i, "counters"), "counter")
        for i, officer in enumerate(self.officers):
            _known(officer.agency, agencies, ("officers", i, "agency"), "agency")
        for i, device in enumerate(self.devices):
            _known_list(device.counters, counters, ("devices", i, "counters"), "counter")

    def _build_indexes(self) -> None:
        # Private attributes may be set on a frozen model; fields stay immutable.
        self._agencies = {a.id: a for a in self.agencies}
        self._services = {s.id: s for s in self.services}
        self._counters = {c.id: c for c in self.counters}
        self._devices = {d.id: d for d in self.devices}
        self._officers = {o.code: o for o in self.officers}
        self._by_agency = {
            a.id: tuple(s for s in self.services if s.agency == a.id) for a in self.agencies
        }

    # The engine calls these for every command: read the private dict directly, as
    # pydantic's attribute hook for private attributes costs ~3-9 us a call.
    def service(self, service_id: str) -> Service:
        return self.__pydantic_private__["_services"][service_id]  # type: ignore[index]

    def counter(self, counter_id: str) -> Counter:
        return self.__pydantic_private__["_counters"][counter_id]  # type: ignore[index]

    def device(self, device_id: str) -> Device | None:
        return self.__pydantic_private__["_devices"].get(device_id)  # type: ignore[index]

    def officer(self, code: str) -> Officer | None:
        return self.__pydantic_private__["_officers"].get(code)  # type: ignore[index]

    def zone_counters(self, zone_id: str) -> tuple[str, ...]:
        """Counter ids a zone shows, in config order; every counter without zones or for
        an unknown zone id (a display then shows the whole hall)."""
        zone = next((z for z in self.zones if z.id == zone_id), None)
        if zone is None:
            return tuple(c.id for c in self.counters)
        return tuple(c.id for c in self.counters
                     if c.agency in zone.agencies or c.id in zone.counters)

    def site_file_path(self, name: str) -> pathlib.Path:
        """A path the site file names (the central's token, its CA), relative to the
        file's folder."""
        path = pathlib.Path(name)
        if path.is_absolute() or not self.source or self.source.startswith("<"):
            return path
        return pathlib.Path(self.source).parent / path

    def agency(self, agency_id: str) -> Agency:
        return self._agencies[agency_id]

    def services_of_agency(self, agency_id: str) -> tuple[Service, ...]:
        """Services owned by an agency, in file order; () for an unknown agency."""
        return self._by_agency.get(agency_id, ())

    def is_service_open(self, service_id: str, at: dt.datetime) -> bool:
        """Whether a service is open at ``at`` (any aware datetime, converted to site time)."""
        schedule = self.schedules[self.service(service_id).schedule]
        return schedule.is_open(at.astimezone(self.site.tz))

    def public_dict(self) -> dict[str, Any]:
        """What devices may see (retained ``state/config``): nothing secret; of the devices
        only the kiosks' ids and names."""
        return {
            # feedback_url stays for older devices, always empty: a ticket's page is the
            # `url` of the ticket.issue reply, opened by a key no topic carries
            "site": {"id": self.site.id, "name": self.site.name, "timezone": self.site.timezone,
                     "feedback_url": ""},
            "agencies": [_public_agency(a) for a in self.agencies],
            "services": [self._public_service(s) for s in self.services],
            "counters": [_public_counter(c) for c in self.counters],
            "zones": [{"id": z.id, "name": z.name, "counters": list(self.zone_counters(z.id))}
                      for z in self.zones],
            # where a kiosk whose printer is out sends citizens (by their presence)
            "kiosks": [{"id": d.id, "name": d.name or d.id} for d in self.devices
                       if d.role == "kiosk"],
        }

    def _public_service(self, service: Service) -> dict[str, Any]:
        return {
            "id": service.id,
            "agency": service.agency,
            "name": {"id": service.name_id, "en": service.name_en},
            "prefix": service.prefix,
            "hours": self.schedules[service.schedule].describe(),
            "daily_quota": service.daily_quota,
            "target_wait_min": service.target_wait_min,
        }


def _public_agency(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.id,
        "name": {"id": agency.name_id, "en": agency.name_en},
        "icon": agency.icon,
    }


def _public_counter(counter: Counter) -> dict[str, Any]:
    return {
        "id": counter.id,
        "name": counter.name,
        "number": counter.number,
        "agency": counter.agency,
        "services": list(counter.services),
    }


# --- cross-reference checks --------------------------------------------------------------


def _ref_error(loc: tuple[str | int, ...], reason: str) -> PydanticCustomError:
    context = {"loc": loc, "reason": reason, "path": _key_path(loc)}
    return PydanticCustomError(_REF_ERROR, "{path}: {reason}", context)


def _unique(items: Sequence[Any], kind: str, field: str, noun: str) -> None:
    first_at: dict[object, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, field)
        if value in first_at:
            j = first_at[value]
            owner = f"{kind}[{j}]" if field == "id" else f"{noun} '{items[j].id}'"
            raise _ref_error((kind, i, field), f"{field} {value!r} already used by {owner}")
        first_at[value] = i


def _known(value: str, known: Iterable[str], loc: tuple[str | int, ...], noun: str) -> None:
    if value not in known:
        raise _ref_error(loc, f"unknown {noun} {value!r}")


def _known_list(
    values: Sequence[str], known: Iterable[str], loc: tuple[str | int, ...], noun: str
) -> None:
    for i, value in enumerate(values):
        _known(value, known, (*loc, i), noun)
        if value in values[:i]:
            raise _ref_error((*loc, i), f"{noun} {value!r} listed twice")


# --- loading -----------------------------------------------------------------------------


def _key_path(loc: Iterable[str | int]) -> str:
    """('counters', 0, 'services', 1) -> 'counters[0].services[1]'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _short(value: object, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _from_pydantic(source: str, err: ValidationError) -> ConfigError:
    """Translate the first pydantic error into our file/key/reason triple."""
    first = err.errors(include_url=False)[0]
    loc, kind, ctx = tuple(first["loc"]), first["type"], first.get("ctx", {})
    if kind == _REF_ERROR:
        return ConfigError(source, _key_path(loc + ctx["loc"]), ctx["reason"])
    if kind == "extra_forbidden":
        return ConfigError(source, _key_path(loc), f"unknown key {loc[-1]!r}")
    if kind == "missing":
        return ConfigError(source, _key_path(loc), "required key is missing")
    if kind == "value_error":
        return ConfigError(source, _key_path(loc), str(ctx["error"]))
    # Tuples are our immutable choice; the person editing the file writes TOML arrays.
    message = "Input should be an array" if kind == "tuple_type" else first["msg"]
    reason = f"{message} (got {_short(first['input'])})"
    return ConfigError(source, _key_path(loc), reason)


def parse_site(data: dict[str, Any], source: str = "<memory>") -> SiteConfig:
    """Validate an already-parsed TOML document; raises ConfigError."""
    if "source" in data:  # set by us, never by the file
        raise ConfigError(source, "source", "unknown key 'source'")
    try:
        return SiteConfig.model_validate({**data, "source": source})
    except ValidationError as err:
        # `from None`: the ConfigError says it all; a chained pydantic dump only confuses.
        raise _from_pydantic(source, err) from None


def _read_toml(file: str, path: pathlib.Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(file, "", "file not found") from None
    except UnicodeDecodeError as err:
        raise ConfigError(file, "", f"not valid UTF-8 at byte {err.start}") from None
    except OSError as err:
        raise ConfigError(file, "", f"cannot read file: {err.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(file, "", _toml_reason(str(err))) from None


def _toml_reason(message: str) -> str:
    """tomllib ends messages with "(at line 4, column 10)"; put the line up front."""
    where = _TOML_WHERE.search(message)
    if where is None:
        return f"TOML syntax error: {message}"
    return f"TOML syntax error at line {where[1]}: {message[: where.start()]}"


def load_site(path: str | os.PathLike[str]) -> SiteConfig:
    """Read and validate a site TOML file; raises ConfigError."""
    file = os.fspath(path)
    return parse_site(_read_toml(file, pathlib.Path(file)), source=file)


def default_site_path() -> pathlib.Path:
    """The sample site shipped with the package (Mal Pelayanan Publik Kota Makassar)."""
    return pathlib.Path(__file__).parent / "sites" / "mpp-makassar.toml"
