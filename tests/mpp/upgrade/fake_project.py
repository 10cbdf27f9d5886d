"""The source of a stand-in for the project, built into a real wheel named mpp-queue by the
upgrade tests: its `mpp migrate --db` adds a row naming its version (a schema step), its
`mpp server` answers /health on $MPP_FAKE_HEALTH_PORT with its version. A broken one
fails where it is told to: "start" (its server exits at once, as a release with a fatal
bug would) or "migrate" (its migration adds its step, then fails)."""

from __future__ import annotations

from pathlib import Path

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "mpp-queue"
version = "{version}"

[project.scripts]
mpp = "fake_mpp:main"

[tool.setuptools]
py-modules = ["fake_mpp"]
"""

MODULE = '''\
import http.server, json, os, sqlite3, sys

VERSION, FAILS = {version!r}, {fails!r}


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({{"status": "online", "version": VERSION}}).encode()
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


def main():
    if sys.argv[1] == "migrate":
        path = sys.argv[sys.argv.index("--db") + 1].removeprefix("sqlite:///")
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_steps (version TEXT PRIMARY KEY)")
            db.execute("INSERT OR IGNORE INTO schema_steps VALUES (?)", (VERSION,))
        if FAILS == "migrate":
            sys.exit("fake release " + VERSION + ": migration failed half way")
        return 0
    if FAILS == "start":
        sys.exit("fake release " + VERSION + ": fatal error at start")
    port = int(os.environ["MPP_FAKE_HEALTH_PORT"])
    http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
'''


def write_fake_project(folder: Path, version: str, fails: str | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(PYPROJECT.format(version=version))
    (folder / "fake_mpp.py").write_text(MODULE.format(version=version, fails=fails))
    (folder / "hardware").mkdir()
    (folder / "hardware" / "profile.toml").write_text("# a hardware profile\n")
    return folder
