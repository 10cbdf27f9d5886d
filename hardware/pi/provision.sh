#!/usr/bin/env bash
# Turn a fresh Raspberry Pi OS Lite (bookworm) or Debian 12 box into one MPP box, offline.
#
#   provision.sh --role server|kiosk|wall|counter|console --release DIR_OR_TAR
#                [--box BUNDLE] [--debs DIR] [--root DIR] [--dry-run] [--no-readonly]
#   provision.sh --list-packages --role ROLE     # the role's apt packages, one a line
#
# Steps (docs/deployment.md walks a technician through them):
#   1 packages      apt packages of the role. Offline: --debs DIR, a folder of .debs with a
#                   Packages index (docs/deployment.md says how to make it), used as a
#                   temporary local apt source; else the box's own apt sources (a LAN
#                   mirror). With --root nothing is installed: the list goes to
#                   ROOT/var/lib/mpp-provision/packages.txt and is checked against
#                   ROOT/var/lib/dpkg/status when that exists.
#   2 users         the release's systemd/sysusers.d/mpp.conf plus hardware/pi/sysusers-pi.conf
#                   (device groups) into ROOT/etc/sysusers.d, then systemd-sysusers --root.
#   3 release       ROOT/opt/mpp/releases/VERSION/venv from the release's wheels, with no
#                   network (pip --no-index), and ROOT/opt/mpp/current -> releases/VERSION.
#                   An installed release of another version is upgraded by its own
#                   `mpp upgrade` when it has one (host only).
#   4 units         systemd/ of the release into ROOT/etc/systemd/system (+ sysusers.d,
#                   tmpfiles.d, the mosquitto drop-in on the server)
#   5 data          fstab: the partition labelled mpp-data on /var/lib/mpp, which every mpp
#                   service waits for; then tmpfiles.d (on the mounted partition)
#   6 udev          hardware/udev/*.rules into ROOT/etc/udev/rules.d
#   7 box           the box bundle, by the release's own `mpp box install` (docs/boxes.md);
#                   without --box, mpp-firstboot.service takes it later, from a stick or
#                   from the server over the LAN (a code typed into the dashboard)
#   8 enable        systemctl --root=ROOT enable mpp-ROLE.target
#   9 console       consoleblank=0 in cmdline.txt (screens: no blinking text cursor either)
#  10 read-only     the overlay root (raspi-config, or Debian's overlayroot), once the box
#                   has its /etc/mpp/box.toml (a bundle taken at a later boot must last).
#                   With --root it is only recorded (it needs the box's own initramfs).
#                   --no-readonly skips steps 5 and 10: a plain writable box.
# /etc/mpp (identity, credentials) and /opt/mpp (releases) stay on the root: read-only in
# service, changed with the overlay off (the script refuses to run while it is on).
#
# Run it again at any time: every step checks first and changes only what differs.
# --dry-run prints each step and changes nothing. --root DIR acts on a mounted image or a
# scratch folder (tests) and never on this machine; the venv is then made with this
# machine's python3, so the architecture and Python must match the box's.
#
# MPP_PROVISION_PYTHON: the Python that makes the venv (default /usr/bin/python3).
# Test knob: MPP_PROVISION_DEPS_FROM=DIR installs only the project's wheel (pip --no-deps)
# and adds DIR, a site-packages folder, to the venv's path (the tests' release holds only
# the project wheel, as building every locked one takes minutes; a real release holds all).
set -euo pipefail

ROLES="server kiosk wall counter console"
# Debian's python3 (python3-venv): the venv links to it, so it must exist on the box too
PYTHON=${MPP_PROVISION_PYTHON:-/usr/bin/python3}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ROLE="" RELEASE="" BOX="" DEBS="" ROOT="/" DRY_RUN=0 READONLY=1 LIST_ONLY=0
CHANGED=() WARNINGS=() PENDING=()
WORK=""
BOX_DIR="" BOX_INSTALL=()

say() { printf '[mpp-provision] %s\n' "$*"; }
step() { printf '\n[mpp-provision] == %s\n' "$*"; }
warn() { printf '[mpp-provision] WARNING: %s\n' "$*" >&2; WARNINGS+=("$*"); }
die() { printf '[mpp-provision] ERROR: %s\n' "$*" >&2; exit 1; }
changed() {
    CHANGED+=("$*")
    if [[ $DRY_RUN -eq 1 ]]; then say "  would change: $*"; else say "  changed: $*"; fi
}

usage() {
    sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

# A command that changes something: printed always, run unless --dry-run.
run() {
    say "  \$ $*"
    if [[ $DRY_RUN -eq 0 ]]; then
        "$@"
    fi
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --role) ROLE=${2:?--role needs a value}; shift 2 ;;
            --release) RELEASE=${2:?--release needs a value}; shift 2 ;;
            --box) BOX=${2:?--box needs a value}; shift 2 ;;
            --debs) DEBS=${2:?--debs needs a value}; shift 2 ;;
            --root) ROOT=${2:?--root needs a value}; shift 2 ;;
            --dry-run) DRY_RUN=1; shift ;;
            --no-readonly) READONLY=0; shift ;;
            --list-packages) LIST_ONLY=1; shift ;;
            -h|--help) usage 0 ;;
            *) printf 'unknown option: %s\n\n' "$1" >&2; usage 2 ;;
        esac
    done
    [[ " $ROLES " == *" $ROLE "* ]] || die "--role must be one of: $ROLES (got '${ROLE}')"
    if [[ $LIST_ONLY -eq 1 ]]; then
        return
    fi
    [[ -n $RELEASE ]] || die "--release DIR_OR_TAR is required (made by \`mpp release build\`)"
    [[ -e $RELEASE ]] || die "release not found: $RELEASE"
    [[ -z $BOX || -f $BOX || -f $BOX.taken ]] || die "box bundle not found: $BOX"
    [[ -z $DEBS || -d $DEBS ]] || die "--debs folder not found: $DEBS"
    [[ -d $ROOT ]] || die "--root folder not found: $ROOT"
    ROOT=$(cd "$ROOT" && pwd)
    if [[ $ROOT == / && $DRY_RUN -eq 0 && $(id -u) -ne 0 ]]; then
        die "run as root (sudo): it installs packages, users and units"
    fi
}

on_host() { [[ $ROOT == / ]]; }
# ROOT-relative path: r /etc/x -> /etc/x on the host, ROOT/etc/x under --root.
r() { if on_host; then printf '%s' "$1"; else printf '%s%s' "$ROOT" "$1"; fi; }

target_of() {
    case "$1" in
        counter) echo mpp-counter.target ;;
        *) echo "mpp-$1.target" ;;
    esac
}

# ------------------------------------------------------------------ packages

packages_of() {
    local common=(python3 python3-venv ca-certificates overlayroot initramfs-tools)
    local screen=(cage fonts-dejavu-core fonts-noto-core libegl1 libgl1 libgles2
                  libxkbcommon0 libfontconfig1 libdbus-1-3 libwayland-client0
                  libwayland-cursor0 libwayland-egl1 alsa-utils)
    case "$1" in
        server) printf '%s\n' "${common[@]}" mosquitto mosquitto-clients sqlite3 ;;
        kiosk) printf '%s\n' "${common[@]}" "${screen[@]}" libusb-1.0-0 ;;
        wall|counter) printf '%s\n' "${common[@]}" "${screen[@]}" espeak-ng sox ;;
        console) printf '%s\n' "${common[@]}" "${screen[@]}" ;;
    esac
}

is_installed() {  # PACKAGE [DPKG_STATUS_FILE]
    dpkg-query --admindir="${2:-/var/lib/dpkg}" -W -f='${db:Status-Status}' "$1" \
        2>/dev/null | grep -qx installed
}

install_packages() {
    step "1/10 packages for the $ROLE role"
    local pkgs missing=() p
    mapfile -t pkgs < <(packages_of "$ROLE")
    if ! on_host; then
        record_packages "${pkgs[@]}"
        return
    fi
    for p in "${pkgs[@]}"; do
        is_installed "$p" || missing+=("$p")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "  all ${#pkgs[@]} packages present"
        return
    fi
    say "  missing: ${missing[*]}"
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q)
    if [[ -n $DEBS ]]; then
        [[ -f $DEBS/Packages || -f $DEBS/Packages.gz ]] \
            || die "$DEBS has no Packages index: see docs/deployment.md, 'The .deb folder'"
        # that folder as the only apt source (checked with apt 2.6: an empty parts folder)
        printf 'deb [trusted=yes] file:%s ./\n' "$(cd "$DEBS" && pwd)" > "$WORK/debs.list"
        mkdir -p "$WORK/sources.list.d"
        apt+=(-o "Dir::Etc::SourceList=$WORK/debs.list"
              -o "Dir::Etc::SourceParts=$WORK/sources.list.d" -o "APT::Get::List-Cleanup=0")
        say "  from the local .deb folder $DEBS (no internet needed)"
    else
        say "  from this box's apt sources (a LAN mirror, or the internet)"
    fi
    run "${apt[@]}" update
    run "${apt[@]}" install --no-install-recommends "${missing[@]}"
    changed "installed packages: ${missing[*]}"
}

record_packages() {
    local list status p missing=()
    list=$(r /var/lib/mpp-provision/packages.txt)
    say "  --root: nothing is installed; the list goes to $list"
    write_file "$list" 0644 < <(printf '%s\n' "$@")
    status=$(r /var/lib/dpkg/status)
    if [[ ! -f $status ]]; then
        say "  no dpkg database in the root: packages not checked"
        return
    fi
    for p in "$@"; do
        is_installed "$p" "$(dirname "$status")" || missing+=("$p")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        warn "not installed in $ROOT: ${missing[*]} (install them on the box)"
    else
        say "  all present in the root's dpkg database"
    fi
}

# ------------------------------------------------------------------ files

# write_file DEST MODE < content: writes only when the content differs.
write_file() {
    local dest=$1 mode=$2 tmp
    tmp=$(mktemp "$WORK/file.XXXXXX")
    cat > "$tmp"
    put "$tmp" "$dest" "$mode"
}

# put SRC DEST MODE: copies only when the content or the mode differs.
put() {
    local src=$1 dest=$2 mode=$3
    if [[ -f $dest ]] && cmp -s "$src" "$dest" \
        && [[ $(stat -c %a "$dest") == "${mode#0}" ]]; then
        say "  unchanged: $dest"
        return
    fi
    if [[ $DRY_RUN -eq 0 ]]; then
        install -D -m "$mode" "$src" "$dest"
    fi
    changed "$dest (mode $mode)"
}

# put_tree SRC_DIR DEST_DIR MODE: every file below SRC_DIR, same relative paths.
put_tree() {
    local src=$1 dest=$2 mode=$3 f
    while IFS= read -r -d '' f; do
        put "$f" "$dest/${f#"$src"/}" "$mode"
    done < <(find "$src" -type f -print0 | sort -z)
}

# ------------------------------------------------------------------ release

# The release folder, unpacked into WORK when given as a .tar.
open_release() {
    if [[ -f $RELEASE ]]; then
        mkdir -p "$WORK/release"
        tar -xf "$RELEASE" -C "$WORK/release"
        RELEASE=$(single_dir "$WORK/release")
    fi
    RELEASE=$(cd "$RELEASE" && pwd)
    [[ -f $RELEASE/VERSION ]] || die "$RELEASE has no VERSION file: not a release bundle"
    [[ -d $RELEASE/wheels ]] || die "$RELEASE has no wheels/ folder: not a release bundle"
    if [[ -f $RELEASE/SHA256SUMS ]]; then
        (cd "$RELEASE" && sha256sum --quiet --strict -c SHA256SUMS) \
            || die "$RELEASE does not match its SHA256SUMS: copy the release again"
        say "release checked against its SHA256SUMS"
    else
        warn "the release has no SHA256SUMS: its files are not checked"
    fi
    VERSION=$(head -n1 "$RELEASE/VERSION" | tr -d '[:space:]')
    [[ $VERSION =~ ^[A-Za-z0-9._+-]+$ ]] || die "bad VERSION in $RELEASE: '$VERSION'"
    say "release $VERSION from $RELEASE"
}

# A tar's content: its single top folder when it has one, else the folder itself.
single_dir() {
    local entries=("$1"/*)
    if [[ ${#entries[@]} -eq 1 && -d ${entries[0]} ]]; then
        echo "${entries[0]}"
    else
        echo "$1"
    fi
}

install_release() {
    step "3/10 release $VERSION in /opt/mpp"
    local dir current
    dir=$(r "/opt/mpp/releases/$VERSION")
    current=$(r /opt/mpp/current)
    if [[ -f $dir/INSTALLED ]]; then
        say "  already installed: $dir"
    elif on_host && [[ -x /opt/mpp/current/venv/bin/mpp ]] && has_command upgrade; then
        say "  another release is installed: upgrading with its own \`mpp upgrade\`"
        run /opt/mpp/current/venv/bin/mpp upgrade "$RELEASE"
        return
    else
        make_venv "$dir"
    fi
    if [[ $(readlink "$current" 2>/dev/null || true) == "releases/$VERSION" ]]; then
        say "  unchanged: /opt/mpp/current -> releases/$VERSION"
        return
    fi
    # a new link renamed over the old one: the switch is atomic
    run ln -sfn "releases/$VERSION" "$current.new"
    run mv -T "$current.new" "$current"
    changed "/opt/mpp/current -> releases/$VERSION"
}

has_command() {  # does the installed mpp know this subcommand?
    /opt/mpp/current/venv/bin/mpp "$1" --help >/dev/null 2>&1
}

make_venv() {
    local dir=$1 wheel pip_args=()
    wheel=$(find "$RELEASE/wheels" -maxdepth 1 -name 'mpp_queue-*.whl' | sort | tail -n1)
    [[ -n $wheel ]] || die "no mpp_queue wheel in $RELEASE/wheels"
    if [[ -f $RELEASE/requirements.lock ]]; then
        pip_args+=(-r "$RELEASE/requirements.lock")
    fi
    if [[ -n ${MPP_PROVISION_DEPS_FROM:-} ]]; then
        pip_args+=(--no-deps)
    fi
    say "  new venv from $(basename "$wheel") and the locked wheels (no network)"
    run rm -rf "$dir.partial"
    run mkdir -p "$dir.partial"
    run "$PYTHON" -m venv "$dir.partial/venv"
    run "$dir.partial/venv/bin/python" -m pip install --quiet --no-index \
        --disable-pip-version-check --find-links "$RELEASE/wheels" "${pip_args[@]}" "$wheel"
    # the same folder as `mpp upgrade` makes, INSTALLED written last
    for name in VERSION requirements.lock systemd hardware; do
        if [[ -e $RELEASE/$name ]]; then
            run cp -r "$RELEASE/$name" "$dir.partial/$name"
        fi
    done
    deps_from_test_knob "$dir.partial/venv"
    relocate "$dir.partial" "/opt/mpp/releases/$VERSION"
    if [[ $DRY_RUN -eq 0 ]]; then
        printf '%s\n' "$VERSION" > "$dir.partial/INSTALLED"
    fi
    if [[ -e $dir ]]; then  # a half install (no INSTALLED): replaced whole
        run rm -rf "$dir"
    fi
    run mv -T "$dir.partial" "$dir"
    changed "$dir"
}

# The tests' shortcut (MPP_PROVISION_DEPS_FROM): the dependencies from a folder of
# installed packages instead of the release's wheels, added to the venv's path.
deps_from_test_knob() {
    local venv=$1 site
    [[ -n ${MPP_PROVISION_DEPS_FROM:-} && $DRY_RUN -eq 0 ]] || return 0
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
    printf '%s\n' "$MPP_PROVISION_DEPS_FROM" > "$site/mpp-provision-deps.pth"
    warn "test knob: dependencies from $MPP_PROVISION_DEPS_FROM, not from the wheels"
}

# pip writes the venv's own path into its scripts; on the box it is /opt/mpp/...
relocate() {
    local built=$1 final=$2 files
    if [[ $DRY_RUN -eq 1 ]]; then
        return
    fi
    mapfile -t files < <(grep -rlF --exclude='python*' "$built" "$built/venv/bin" \
        "$built/venv/pyvenv.cfg" || true)
    if [[ ${#files[@]} -gt 0 ]]; then
        sed -i "s|${built//./\\.}|$final|g" "${files[@]}"
    fi
}

# ------------------------------------------------------------------ users, units

install_users() {
    step "2/10 system users"
    local spec=$RELEASE/systemd/sysusers.d/mpp.conf
    [[ -f $spec ]] || die "the release has no systemd/sysusers.d/mpp.conf"
    put "$spec" "$(r /etc/sysusers.d/mpp.conf)" 0644
    put "$HERE/sysusers-pi.conf" "$(r /etc/sysusers.d/mpp-pi.conf)" 0644
    if on_host; then
        run systemd-sysusers
    else
        run systemd-sysusers --root="$ROOT"
    fi
}

install_units() {
    step "4/10 systemd units"
    local src=$RELEASE/systemd f name
    [[ -d $src ]] || die "the release has no systemd/ folder"
    for f in "$src"/*.service "$src"/*.target; do
        if [[ -f $f ]]; then
            put "$f" "$(r /etc/systemd/system)/$(basename "$f")" 0644
        fi
    done
    for f in "$src"/*.d; do
        name=$(basename "$f")
        case "$name" in
            sysusers.d|tmpfiles.d) put_tree "$f" "$(r "/etc/$name")" 0644 ;;
            mosquitto.service.d)  # the broker runs on the server box only
                if [[ $ROLE == server ]]; then
                    put_tree "$f" "$(r /etc/systemd/system)/$name" 0644
                fi
                ;;
            *) put_tree "$f" "$(r /etc/systemd/system)/$name" 0644 ;;
        esac
    done
    if on_host; then
        run systemctl daemon-reload
    fi
}

# The folders of tmpfiles.d/mpp.conf, made once the data partition is mounted on them.
apply_tmpfiles() {
    if ! on_host; then
        say "  --root: tmpfiles.d/mpp.conf is applied by systemd-tmpfiles at the first boot"
    elif [[ -f /etc/tmpfiles.d/mpp.conf ]]; then
        run systemd-tmpfiles --create /etc/tmpfiles.d/mpp.conf
    fi
}

install_udev() {
    step "6/10 udev rules"
    local f
    for f in "$RELEASE"/hardware/udev/*.rules; do
        if [[ -f $f ]]; then
            put "$f" "$(r /etc/udev/rules.d)/$(basename "$f")" 0644
        fi
    done
    if on_host && command -v udevadm >/dev/null; then
        run udevadm control --reload-rules
    fi
}

# ------------------------------------------------------------------ box bundle

install_box() {
    step "7/10 box bundle"
    local have
    have=$(r /etc/mpp/box.toml)
    if [[ -z $BOX ]]; then
        if [[ -f $have ]]; then
            say "  no --box given; keeping $have"
        else
            say "  no --box given: the box takes its bundle from a USB stick at first boot"
            enable_unit mpp-firstboot.service
        fi
        return
    fi
    if [[ ! -f $BOX && -f $BOX.taken ]]; then  # `mpp box install` marks what it took
        local id
        id=$(basename "$BOX" .mppbox)
        grep -qs "^device *= *\"$id\"" "$have" \
            || die "$BOX was taken by another box already ($BOX.taken)"
        say "  $BOX was taken (by this box: $have is $id's); keeping it"
        return
    fi
    mkdir -p "$WORK/box"
    tar -xf "$BOX" -C "$WORK/box"
    BOX_DIR=$(single_dir "$WORK/box")
    check_box_role
    box_command_runs || die "the installed release's \`mpp box install\` does not run" \
        "here ($(r /opt/mpp/current/venv/bin/python)): is the release complete?"
    run "${BOX_INSTALL[@]}" "$BOX"
}

# The bundle's box.toml names its role: a kiosk's bundle on a wall box is a mix-up.
check_box_role() {
    local role
    [[ -f $BOX_DIR/box.toml ]] || die "$BOX has no box.toml: not a box bundle"
    role=$(sed -n 's/^role *= *"\([a-z]*\)".*/\1/p' "$BOX_DIR/box.toml" | head -n1)
    [[ $role == "$ROLE" ]] \
        || die "$BOX is the bundle of a ${role:-?} box, and this is a $ROLE box (--role)"
    say "  bundle of $(sed -n 's/^device *= *"\(.*\)".*/\1/p' "$BOX_DIR/box.toml") ($role)"
}

# `mpp box install` of the installed release (docs/boxes.md): it checks the bundle and
# puts every file in its place. Under --root: the root's venv with this machine's Python.
box_command_runs() {
    local python
    python=$(r /opt/mpp/current/venv/bin/python)
    BOX_INSTALL=("$python" -I -m mpp box install)  # -I: never an mpp from the cwd
    on_host || BOX_INSTALL+=(--root "$ROOT")
    if [[ $DRY_RUN -eq 1 && ! -x $python ]]; then
        return 0  # the release is not installed in a dry run: show the command
    fi
    [[ -x $python ]] && "${BOX_INSTALL[@]}" --help >/dev/null 2>&1
}

# ------------------------------------------------------------------ boot

enable_target() {
    step "8/10 enable $(target_of "$ROLE")"
    local target
    target=$(target_of "$ROLE")
    [[ -f $(r /etc/systemd/system)/$target || $DRY_RUN -eq 1 ]] \
        || die "the release has no systemd/$target"
    enable_unit "$target"
}

enable_unit() {
    if [[ ! -f $(r /etc/systemd/system)/$1 && $DRY_RUN -eq 0 ]]; then
        say "  the release has no $1: nothing to enable"
        return
    fi
    if on_host; then
        run systemctl daemon-reload
        run systemctl enable "$1"
    else
        run systemctl --root="$ROOT" enable "$1"
    fi
}

console_settings() {
    step "9/10 console: no blanking"
    local cmdline="" f want=(consoleblank=0) arg line
    for f in /boot/firmware/cmdline.txt /boot/cmdline.txt; do
        if [[ -f $(r "$f") ]]; then
            cmdline=$(r "$f")
            break
        fi
    done
    if [[ -z $cmdline ]]; then
        say "  no cmdline.txt (not a Raspberry Pi boot partition): nothing to do"
        return
    fi
    [[ $ROLE == server ]] || want+=(vt.global_cursor_default=0)
    line=$(head -n1 "$cmdline")
    for arg in "${want[@]}"; do
        [[ " $line " == *" ${arg%%=*}="* ]] || line="$line $arg"
    done
    write_file "$cmdline" 0644 <<< "$line"
}

data_partition() {
    step "5/10 data partition (LABEL=mpp-data on /var/lib/mpp)"
    local fstab entry tmp
    if [[ $READONLY -eq 0 ]]; then
        say "  skipped (--no-readonly): the data stays on the root file system"
        return
    fi
    fstab=$(r /etc/fstab)
    # nofail: a box without its data disk still boots (ssh, logs); the mpp units want
    # the mount (RequiresMountsFor=), so they refuse to run on the RAM overlay instead.
    entry="LABEL=mpp-data /var/lib/mpp ext4 defaults,noatime,nofail,x-systemd.device-timeout=15s 0 2"
    tmp=$(mktemp "$WORK/fstab.XXXXXX")
    if [[ -f $fstab ]]; then
        grep -v '^LABEL=mpp-data[[:space:]]' "$fstab" > "$tmp" || true
    fi
    printf '%s\n' "$entry" >> "$tmp"
    put "$tmp" "$fstab" 0644
    data_dropins
    if ! on_host; then
        return
    fi
    if ! blkid -L mpp-data >/dev/null 2>&1; then
        warn "no partition labelled mpp-data on this box: see docs/deployment.md"
    elif ! mountpoint -q /var/lib/mpp; then
        run mkdir -p /var/lib/mpp
        run mount /var/lib/mpp
    fi
}

# Every mpp service of the release needs the data partition mounted; not the first-boot
# one, which writes /etc/mpp only and must run on a box whose data disk is missing too.
data_dropins() {
    local f name
    for f in "$RELEASE"/systemd/mpp-*.service; do
        name=$(basename "$f")
        [[ -f $f && $name != mpp-firstboot.service ]] || continue
        write_file "$(r /etc/systemd/system)/$name.d/data-partition.conf" 0644 <<'EOF'
# from hardware/pi/provision.sh: the data partition (LABEL=mpp-data) must be mounted
[Unit]
RequiresMountsFor=/var/lib/mpp
EOF
    done
}

read_only_root() {
    step "10/10 read-only root"
    if [[ $READONLY -eq 0 ]]; then
        say "  skipped (--no-readonly): the root stays writable"
        return
    fi
    if [[ -z $BOX && ! -f $(r /etc/mpp/box.toml) ]]; then
        warn "no /etc/mpp/box.toml yet: the root stays writable so that the box can take" \
            "its bundle at first boot; run again with --box to make it read-only"
        return
    fi
    if ! on_host; then
        PENDING+=("read-only root: run this script again on the box itself (the overlay
needs the box's own initramfs)")
        write_file "$(r /var/lib/mpp-provision/pending-readonly)" 0644 <<< "overlay root"
        say "  --root: recorded in $(r /var/lib/mpp-provision/pending-readonly)"
        return
    fi
    overlay_on_host
}

overlay_on_host() {
    local cmdline=/boot/firmware/cmdline.txt
    [[ -f $cmdline ]] || cmdline=/boot/cmdline.txt
    if grep -qs 'overlayroot=tmpfs' "$cmdline" || grep -qs '^overlayroot="tmpfs' \
        /etc/overlayroot.conf; then
        say "  already on (the overlay starts at boot)"
        return
    fi
    if command -v raspi-config >/dev/null; then
        run raspi-config nonint do_overlayfs 0
        # recurse=0: the overlay covers / only, never the data partition or /boot
        if [[ -f $cmdline ]]; then
            run sed -i 's/overlayroot=tmpfs\( \|$\)/overlayroot=tmpfs:recurse=0\1/' "$cmdline"
        fi
    else
        if [[ ! -f /etc/overlayroot.conf && $DRY_RUN -eq 0 ]]; then
            die "overlayroot is not installed (step 1 installs it)"
        fi
        run sed -i 's/^overlayroot=.*/overlayroot="tmpfs:recurse=0"/' /etc/overlayroot.conf
        run update-initramfs -u
    fi
    changed "read-only root from the next boot"
    PENDING+=("reboot: the read-only root starts at the next boot")
}

# ------------------------------------------------------------------ main

# On a box whose read-only root is on, every change would be gone at the next boot.
refuse_overlay() {
    if on_host && [[ $DRY_RUN -eq 0 && $(findmnt -n -o FSTYPE / 2>/dev/null) == overlay ]]
    then
        die "the root is read-only (an overlay in RAM): changes now would be lost at the" \
            "next boot. Turn it off first (sudo raspi-config nonint do_overlayfs 1, or" \
            "overlayroot=\"\" in /etc/overlayroot.conf and update-initramfs -u), reboot," \
            "run this again; it turns the overlay back on."
    fi
}

summary() {
    printf '\n[mpp-provision] ======== summary ========\n'
    say "box role:  $ROLE ($(target_of "$ROLE"))"
    say "release:   $VERSION -> $(r /opt/mpp/current)"
    say "root:      $ROOT$([[ $DRY_RUN -eq 1 ]] && echo ' (dry run: nothing was changed)')"
    if [[ ${#CHANGED[@]} -eq 0 ]]; then
        say "changes:   none (everything was already in place)"
    elif [[ $DRY_RUN -eq 1 ]]; then
        say "changes:   ${#CHANGED[@]} would be made"
    else
        say "changes:   ${#CHANGED[@]}"
    fi
    local w
    for w in "${WARNINGS[@]}"; do say "WARNING:   $w"; done
    for w in "${PENDING[@]}"; do say "TO DO:     ${w//$'\n'/ }"; done
    if on_host && [[ $DRY_RUN -eq 0 ]]; then
        say "next:      reboot, then check with: systemctl status $(target_of "$ROLE")"
    fi
}

main() {
    parse_args "$@"
    if [[ $LIST_ONLY -eq 1 ]]; then
        packages_of "$ROLE"
        return
    fi
    local tool
    for tool in tar sha256sum systemd-sysusers systemctl findmnt "$PYTHON"; do
        command -v "$tool" >/dev/null || die "$tool is missing on this machine (Debian 12:" \
            "systemd, util-linux, coreutils, python3-venv)"
    done
    refuse_overlay
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    say "provisioning a $ROLE box in $ROOT$([[ $DRY_RUN -eq 1 ]] && echo ' (dry run)')"
    open_release
    install_packages
    install_users
    install_release
    install_units
    data_partition
    apply_tmpfiles
    install_udev
    install_box
    enable_target
    console_settings
    read_only_root
    summary
}

main "$@"
