"""USB sticks nobody mounted: a Raspberry Pi OS Lite box has no desktop to mount a stick
when it is plugged in, so first boot mounts the sticks' partitions itself, looks there
for the box's bundle and unmounts them again (nosuid, nodev, noexec: a bundle is read,
never run)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mpp.box.install import BoxError, Installed, NoBundle, firstboot

MOUNT_DIR = Path("/run/mpp/sticks")
# what a stick prepared on Windows, macOS or Linux carries
FILESYSTEMS = {"vfat", "exfat", "ext2", "ext3", "ext4", "ntfs"}
MOUNT_OPTIONS = "nosuid,nodev,noexec"


def usb_partitions(lsblk_json: str) -> list[str]:
    """The unmounted file systems on USB or removable disks, from `lsblk --json --output
    PATH,TRAN,RM,TYPE,FSTYPE,MOUNTPOINT` (partitions inherit their disk's transport)."""
    found: list[str] = []

    def walk(devices: list[dict], usb: bool) -> None:
        for dev in devices:
            here = usb or dev.get("tran") == "usb" or dev.get("rm") in (True, "1", 1)
            if (here and dev.get("fstype") in FILESYSTEMS and not dev.get("mountpoint")
                    and dev.get("type") in ("part", "disk")):
                found.append(str(dev["path"]))
            walk(dev.get("children") or [], here)

    walk(json.loads(lsblk_json).get("blockdevices") or [], False)
    return found


def find_usb_partitions() -> list[str]:
    try:
        done = subprocess.run(["lsblk", "--json", "--output",
                               "PATH,TRAN,RM,TYPE,FSTYPE,MOUNTPOINT"],
                              capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return []  # no lsblk: only sticks mounted by someone else are seen
    return usb_partitions(done.stdout)


@contextmanager
def mounted(devices: list[str], mount_dir: Path = MOUNT_DIR) -> Iterator[list[Path]]:
    """Mount each device under mount_dir (the ones that will not mount are left out) and
    yield the folders; every one is unmounted on the way out."""
    folders: list[Path] = []
    try:
        for device in devices:
            folder = mount_dir / Path(device).name
            folder.mkdir(parents=True, exist_ok=True)
            done = subprocess.run(["mount", "-o", MOUNT_OPTIONS, device, str(folder)],
                                  capture_output=True, text=True, timeout=60, check=False)
            if done.returncode == 0:
                folders.append(folder)
            else:
                folder.rmdir()
        yield folders
    finally:
        for folder in folders:
            done = subprocess.run(["umount", str(folder)], capture_output=True, text=True,
                                  timeout=60, check=False)
            if done.returncode != 0:
                raise BoxError(f"could not unmount {folder}: {done.stderr.strip()}; "
                               "unmount it before pulling the stick out")
            folder.rmdir()


def firstboot_from_sticks(root: Path, *, devices: list[str] | None = None,
                          mount_dir: Path = MOUNT_DIR, hostname: str | None = None) -> Installed:
    """First boot: the bundle from a stick someone mounted, else from the USB sticks
    mounted here for the moment (`devices`: these block devices only)."""
    if devices is None:
        try:
            return firstboot([], root, hostname=hostname)
        except NoBundle:
            devices = find_usb_partitions()
            if not devices:
                raise
    with mounted(devices, mount_dir) as folders:
        if not folders:
            raise NoBundle(f"no USB stick would mount ({', '.join(devices)}): plug in the "
                           "stick made by `mpp provision --boxes`")
        return firstboot(folders, root, hostname=hostname)
