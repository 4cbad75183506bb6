"""Tests in a real browser: Debian's chromium driven by playwright (tests.conftest's
`chromium` fixture), never a downloaded browser. Each module's `pytestmark` starts with
IN_CHROMIUM: marked `browser`, skipped where chromium is absent, and on a transactional
database, since the live server reads it from another thread."""

import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
IN_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
    pytest.mark.django_db(transaction=True),
]
