from django.db import models
from django.utils import timezone


class CatalogVersion(models.Model):
    """One row: a counter every catalog write bumps. Page and API caches, ETags and
    Last-Modified headers are keyed on it, so an edit shows at once and nothing stale is
    served. It lives in the database (not the cache) so every worker and host agrees.

    `structure` counts only the writes that change what many pages show at once (a
    model published, renamed or given other capabilities; any write that does not say
    otherwise): pages that record what they show (sitecache.dependencies) are checked
    against it and against their own records' stamps, not against `version`."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    structure = models.PositiveBigIntegerField(default=1)
    structure_changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"catalog v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
