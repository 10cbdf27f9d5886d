"""What a blank box shows while it pairs over the LAN: the code the administrator types,
in big letters on its console (mpp-firstboot.service writes to tty1, never to the
journal: the code is not logged), in Bahasa Indonesia and English, since the box does
not know its language before its bundle tells it; and the same in a small JSON file
(/run/mpp/pairing.json) for a screen that would rather draw it itself."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any, TextIO

from queue_server.protocol.pairing import CODE_GROUP, show_code

CODE_FILE = Path("/run/mpp/pairing.json")
WIDTH = 79  # a Linux console's 80 columns

# every line a person reads, (Bahasa Indonesia, English)
TEXT: dict[str, tuple[str, str]] = {
    "title": ("KOTAK INI MENUNGGU PEMASANGAN", "THIS BOX IS WAITING TO BE INSTALLED"),
    "steps": (("Admin: buka dasbor server, panel \"Kotak menunggu pemasangan\", cari kotak "
               "ini, ketik kode di bawah, pilih bundelnya."),
              ("Admin: open the server's dashboard, panel \"Boxes waiting to be installed\", "
               "find this box, type the code below, pick its bundle.")),
    "code": ("Kode", "Code"),
    "host": ("Nama kotak", "Box name"),
    "server": ("Server", "Server"),
    "looking": ("Tidak ada bundel di USB stick. Mencari server antrean di jaringan...",
                "No bundle on a USB stick. Looking for the queue server on the network..."),
    "several": ("Ada beberapa server antrean ({sites}): jalankan mpp box pair --site SITUS.",
                "Several queue servers ({sites}): run mpp box pair --site SITE."),
    "unreachable": ("Server {server} tidak terjangkau ({reason}). Mencoba lagi...",
                    "Cannot reach the server {server} ({reason}). Trying again..."),
    "busy": ("Server menolak sementara ({reason}). Mencoba lagi dalam {s} detik.",
             "The server says not now ({reason}). Trying again in {s} s."),
    "off": (("Server ini tidak memberi bundel lewat jaringan. Pakai USB stick, atau admin "
             "menyalakannya (docs/boxes.md)."),
            ("This server gives no bundles over the network. Use a USB stick, or the admin "
             "turns it on (docs/boxes.md).")),
    "mismatch": ("KODE TIDAK COCOK. Kode baru dibuat: ketik kode yang baru.",
                 "THE CODE DID NOT MATCH. A new code was made: type the new one."),
    "refused": ("Admin menolak permintaan ini. Meminta lagi dalam {s} detik.",
                "The admin refused this request. Asking again in {s} s."),
    "expired": ("Permintaan kedaluwarsa. Kode baru dibuat.",
                "The request expired. A new code was made."),
    "received": ("Bundel diterima: {device}. Memasang...",
                 "Bundle received: {device}. Installing..."),
    "installed": ("Terpasang: {device} ({role}), situs {site}.",
                  "Installed: {device} ({role}), site {site}."),
}

# 5x5 letters of the code's alphabet (Crockford base32: no I, L, O, U)
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#  ##", "# # #", "##  #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"),
    "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#  # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", "  #  "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "),
    "9": (" ### ", "#   #", " ####", "    #", " ### "),
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ####"),
    "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "J": ("  ###", "    #", "    #", "#   #", " ### "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
}


def big(code: str, ink: str = "█") -> list[str]:
    """The code in 5-line letters, its groups apart: 75 columns, for an 80-column
    console."""
    rows = []
    for row in range(5):
        groups = [" ".join(GLYPHS[ch][row] for ch in code[i:i + CODE_GROUP])
                  for i in range(0, len(code), CODE_GROUP)]
        rows.append("   ".join(groups).replace("#", ink).rstrip())
    return rows


def both(key: str, **values: Any) -> list[str]:
    """The line in Bahasa Indonesia, then in English."""
    return [text.format(**values) for text in TEXT[key]]


class Screen:
    """The box's console (`out`) and its code file."""

    def __init__(self, out: TextIO | None = None, code_file: Path | None = CODE_FILE) -> None:
        self.out = out or sys.stdout
        self.code_file = code_file
        self._ink = "█" if "utf" in (getattr(self.out, "encoding", "") or "").lower() \
            else "#"

    def say(self, key: str, state: str | None = None, **values: Any) -> None:
        self._print(*both(key, **values), "")
        if state is not None:
            self._file({"state": state, **{k: str(v) for k, v in values.items()}})

    def code(self, code: str, host: str, server: str, site: str) -> None:
        """A new code: the screen is cleared so no old code stays in sight."""
        if self.out.isatty():
            self.out.write("\033[2J\033[H")
        shown = show_code(code)
        self._print(*both("title"), "", *(f"    {line}" for line in big(code, self._ink)), "",
                    f"{TEXT['code'][0]} / {TEXT['code'][1]}: {shown}",
                    f"{TEXT['host'][0]} / {TEXT['host'][1]}: {host}",
                    f"{TEXT['server'][0]} / {TEXT['server'][1]}: {server} ({site})", "",
                    *both("steps"), "")
        self._file({"state": "code", "code": shown, "host": host, "server": server,
                    "site": site})

    def done(self) -> None:
        """Installed: the code file goes (the code is spent)."""
        if self.code_file is not None:
            self.code_file.unlink(missing_ok=True)

    def _print(self, *lines: str) -> None:
        wrapped = [textwrap.fill(line, WIDTH) if len(line) > WIDTH else line for line in lines]
        self.out.write("\n".join(wrapped) + "\n")
        self.out.flush()

    def _file(self, data: dict[str, str]) -> None:
        if self.code_file is None:
            return
        try:
            self.code_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.code_file.with_name(self.code_file.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
            os.replace(tmp, self.code_file)
        except OSError as err:  # the console still shows it
            self._print(f"({self.code_file}: {err.strerror or err})")
