"""Where an admin upload waits between preview and apply: one folder per upload, named by
a random token, under IMPORT_STAGING_DIR. The request stages the file; the import tasks
(catalog.importers.jobs) read it from there, so the folder must be on storage the task
workers share with the web workers.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from catalog.importers.source import ImportFormatError

TOKEN = re.compile(r"^[0-9a-f]{32}$")
STAGING_TTL_SECONDS = 24 * 3600


class StagedFileMissing(Exception):
    """The staged upload is gone: expired (STAGING_TTL_SECONDS), or already applied."""


def staging_root() -> Path:
    return Path(settings.IMPORT_STAGING_DIR or tempfile.gettempdir()) / "catalog-imports"


def stage(upload, source_format: str) -> tuple[str, Path]:
    """Keep an upload for the import tasks; returns its token and the path to parse."""
    discard_expired()
    token = uuid.uuid4().hex
    folder = staging_root() / token
    folder.mkdir(parents=True)
    suffix = ".zip" if source_format == "models-dev" else ".upload"
    stored = folder / f"source{suffix}"
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        return token, source_path(token, source_format)  # a zip is unpacked now
    except ImportFormatError:
        discard(token)
        raise


def source_path(token: str, source_format: str) -> Path:
    """The file (or unpacked tree) to parse for a staged upload; StagedFileMissing when
    it is no longer there."""
    folder = staging_root() / token
    if not TOKEN.match(token or "") or not folder.is_dir():
        raise StagedFileMissing(token)
    if source_format != "models-dev":
        return folder / "source.upload"
    tree = folder / "tree"
    if not tree.exists():
        unzip_tree(folder / "source.zip", tree)
    # A zip of the checkout folder itself holds one top folder around providers/.
    if not (tree / "providers").is_dir():
        inner = [p for p in tree.iterdir() if (p / "providers").is_dir()]
        if len(inner) == 1:
            return inner[0]
    return tree


def unzip_tree(archive: Path, target: Path) -> None:
    """Extract the .toml files of a models.dev zip, refusing what could harm the server:
    paths outside the folder, and more than IMPORT_MAX_BYTES once unpacked."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [m for m in bundle.infolist() if m.filename.endswith(".toml")]
            total = sum(m.file_size for m in members)
            if total > settings.IMPORT_MAX_BYTES:
                raise ImportFormatError(
                    f"The zip unpacks to {total / 1_000_000:.1f} MB of TOML; imports are "
                    f"limited to {settings.IMPORT_MAX_BYTES / 1_000_000:.1f} MB."
                )
            target.mkdir()
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise ImportFormatError(f"Unsafe path in the zip: {member.filename}")
                destination = target.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(bundle.read(member))
    except zipfile.BadZipFile:
        raise ImportFormatError("A models.dev import must be a .zip of the tree.") from None
    except OSError as exc:  # a file and a folder of one name, a name the disk refuses
        raise ImportFormatError(f"The zip cannot be unpacked: {exc.strerror}.") from None


def discard_expired() -> None:
    """Previews nobody confirmed: drop their files after a day."""
    root = staging_root()
    if not root.is_dir():
        return
    cutoff = time.time() - STAGING_TTL_SECONDS
    for folder in root.iterdir():
        if TOKEN.match(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def discard(token: str) -> None:
    if TOKEN.match(token or ""):
        shutil.rmtree(staging_root() / token, ignore_errors=True)
