#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the test suite and the full system need, and only those
# that are missing. Idempotent: when everything is present it changes nothing, runs no
# `apt-get update`, and needs no root.
#
#   bash scripts/install-system-deps.sh            # install what is missing
#   bash scripts/install-system-deps.sh --check    # only report; exit 1 if something is missing
#
# Root runs apt-get directly, others through sudo; with neither, the missing packages are
# listed and the script exits non-zero.
#
# Services: the tests start their own Mosquitto and PostgreSQL on free loopback ports, so the
# system services are not wanted. While installing, a temporary /usr/sbin/policy-rc.d
# (exit 101) stops the packages' postinst scripts from starting them (the usual Debian way;
# an existing policy-rc.d is left alone). They stay *enabled*, so on a machine booted with
# systemd the next boot starts mosquitto on localhost:1883 and the "15/main"
# PostgreSQL cluster on 5432; disable them with `systemctl disable --now mosquitto postgresql`
# if that is unwanted. Nothing in this project depends on them.
set -euo pipefail

# Core: needed by `make test` (and python3-venv by `make demo`).
CORE_PACKAGES=(
    python3-venv   # `python3 -m venv` (+ ensurepip) on Debian/Ubuntu
    mosquitto      # MQTT broker: tests start it on a free port (the demo falls back to amqtt)
    postgresql     # PostgreSQL server binaries (initdb, pg_ctl) for the tests' own cluster
)

# >>> EXTRA PACKAGES: add system packages needed by later work here (one per line, with a
# comment saying who needs it). Candidates: chromium (Playwright dashboard tests),
# espeak-ng (Indonesian voice), xvfb (real-window UI screenshots), libegl1/libgl1/
# libxkbcommon0/libfontconfig1 (PySide6 offscreen), fonts-noto-core.
EXTRA_PACKAGES=(
    espeak-ng          # the Indonesian voice of the wall display's announcer (offline)
    fonts-dejavu-core  # fonts for the rendered ticket PNGs and the Qt apps
    libegl1            # PySide6 (Qt Quick) offscreen in tests and on the boxes
    libgl1
    libxkbcommon0
    libfontconfig1
    libdbus-1-3
    chromium           # headless browser for the supervisor dashboard's tests and screenshots
    sox                # plays and converts the announcer's sound files (demo, headless)
    libusb-1.0-0       # pyusb's backend for USB thermal printers
    # Qt's xcb platform: the app windows on an X11 screen (make demo on a desktop, the
    # hall's boxes under X). Qt 6.5+ loads libxcb-cursor0 at run time; the rest are linked.
    libxcb-cursor0
    libxcb-icccm4
    libxcb-image0
    libxcb-keysyms1
    libxcb-randr0
    libxcb-render-util0
    libxcb-shape0
    libxcb-shm0
    libxcb-sync1
    libxcb-util1
    libxcb-xfixes0
    libxcb-xkb1
    libxkbcommon-x11-0
    libx11-xcb1
    strace             # tests/store/test_durability.py counts the writer's fsyncs per commit
    xvfb               # a real X server for the tests of real windows (tests/support/xvfb.py)
    shellcheck         # tests/hardware/test_pi_provision.py lints every shell script
    systemd            # systemd-analyze: tests/systemd/test_units.py verifies and scores the units
)
# <<< EXTRA PACKAGES

CHECK_ONLY=0
if [[ "${1:-}" == "--check" ]]; then
    CHECK_ONLY=1
fi

say() { printf '[system-deps] %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "this script supports Debian/Ubuntu (dpkg + apt-get) only."
    say "install the equivalents of: ${CORE_PACKAGES[*]} ${EXTRA_PACKAGES[*]:-}"
    exit 1
fi

is_installed() {
    dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

missing=()
for pkg in "${CORE_PACKAGES[@]}" "${EXTRA_PACKAGES[@]}"; do
    if is_installed "$pkg"; then
        say "ok       $pkg"
    else
        say "missing  $pkg"
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    say "all system packages present"
    exit 0
fi

if [[ $CHECK_ONLY -eq 1 ]]; then
    say "missing packages: ${missing[*]}"
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
    say "not root: using sudo (it may ask for your password)"
else
    say "cannot install: not root and sudo is not available."
    say "missing packages: ${missing[*]}"
    say "ask an administrator to run: apt-get install ${missing[*]}"
    exit 1
fi

# Keep the packages' services from starting during the install (see the header).
POLICY=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
    if [[ $created_policy -eq 1 ]]; then
        "${SUDO[@]}" rm -f "$POLICY"
    fi
}
trap cleanup EXIT
if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# temporary, from mpp scripts/install-system-deps.sh\nexit 101\n' \
        | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    created_policy=1
fi

APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q)

say "apt-get update"
"${APT[@]}" update
say "apt-get install ${missing[*]}"
# --no-install-recommends: e.g. postgresql would pull sysstat and more that nothing here uses.
"${APT[@]}" install --no-install-recommends "${missing[@]}"

still_missing=()
for pkg in "${missing[@]}"; do
    is_installed "$pkg" || still_missing+=("$pkg")
done
if [[ ${#still_missing[@]} -gt 0 ]]; then
    say "still missing after install: ${still_missing[*]}"
    exit 1
fi
say "installed: ${missing[*]}"
