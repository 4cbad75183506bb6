"""Which build of the code serves this process, for the keys of what a shared cache keeps.

Pages, API answers and the catalog export are kept in Redis for up to a day, keyed by URL
and checked against the catalog version: an edit makes them cold, a deploy did not. After
a release that changed a template, the generator or a serializer, every process of the
new build kept serving what the old build rendered until the next edit, and answered a
browser's If-None-Match with 304 for a body it no longer writes. The build id is part of
each such key and ETag, so a new build starts with its own entries (the old ones expire).

`BUILD_ID` (a release tag or commit, set by the deployment) names the build. Unset, it is
a digest of the source a page depends on: the project's Python, templates and static
files, and the pinned requirements. Read once per process, on first use (about 10 ms).

`build_time()` is when that source last changed (the newest modification time among the
same files): Last-Modified is never earlier, so a client revalidating with
If-Modified-Since alone is not told "not modified" about a copy the previous build sent.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

# Top-level directories of the project whose files shape what is served (not tests,
# bench or docs), the files in them that count, and single files at the top.
SOURCE_DIRS = ("api", "catalog", "comparisons", "config", "pricewatch", "sitecache", "static")
TEMPLATE_DIRS = ("templates",)
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".css", ".js", ".svg"})
SOURCE_FILES = ("requirements.txt",)

_build_id: str | None = None
_build_time: float | None = None


def build_id() -> str:
    global _build_id
    if _build_id is None:
        _build_id = settings.BUILD_ID or source_digest(Path(settings.BASE_DIR))
    return _build_id


def build_time() -> float:
    """When the served source last changed, in seconds since the epoch."""
    global _build_time
    if _build_time is None:
        _build_time = source_time(Path(settings.BASE_DIR))
    return _build_time


def source_paths(root: Path) -> list[Path]:
    """The files under `root` that shape what the site serves, in a fixed order."""
    paths = [root / name for name in SOURCE_FILES if (root / name).is_file()]
    for directory in (*SOURCE_DIRS, *TEMPLATE_DIRS):
        paths += (
            path
            for path in (root / directory).rglob("*")
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts
        )
    return sorted(paths)


def source_time(root: Path) -> float:
    return max((path.stat().st_mtime for path in source_paths(root)), default=0.0)


def source_digest(root: Path) -> str:
    """A digest of the files that shape what the site serves: their paths and contents."""
    digest = hashlib.sha256()
    for path in source_paths(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _forget(*, setting, **kwargs) -> None:
    global _build_id
    if setting == "BUILD_ID":
        _build_id = None


setting_changed.connect(_forget, dispatch_uid="sitecache.build.forget")
