"""Keyset ("cursor") pagination that never misses or repeats a record while the catalog
is being edited.

The queryset's ordering must end with the primary key, which is unique and immutable; the
cursor holds the sort values of the last record sent and the next page starts strictly
after them. Sort fields must be non-null (the filters coalesce nullable sort keys), so a
tuple comparison is well defined. Ordered by id (the default), a walk sees every record
that existed throughout it exactly once, whatever is edited in between.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from sitecache.site_url import absolute_url

# Cursors are signed: a partner cannot hand-craft a position, and a tampered cursor is
# a 400 rather than a value the database might choke on. The signature carries no
# timestamp (Signer, not signing.dumps' TimestampSigner): the same position gives the same
# cursor in every worker and after a restart, so a page's bytes and its ETag depend only
# on the catalog, and a conditional GET answers 304 whichever worker serves it.
CURSOR_SALT = "api.pagination.cursor"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _encode_value(value):
    if isinstance(value, Decimal | date | datetime):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def read_cursor(raw: str, *, salt: str):
    """The values a cursor signed with `salt` holds, or None when its signature fails."""
    # A timestamped cursor (signing.dumps, as cursors were made before they were
    # deterministic) is also a valid plain signature of "<payload>:<timestamp>", so that
    # form is tried first; cursors handed out before a deploy keep working.
    readers = (
        lambda: signing.loads(raw, salt=salt),
        lambda: signing.Signer(salt=salt).unsign_object(raw),
    )
    for read in readers:
        try:
            return read()
        except (signing.BadSignature, ValueError, zlib.error):
            continue
    return None


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Enter a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    @staticmethod
    def ordering_of(queryset) -> list[tuple[str, bool]]:
        """[(field, descending)], always ending with the primary key."""
        fields = list(queryset.query.order_by) or ["pk"]
        ordering = [(f.lstrip("-"), f.startswith("-")) for f in fields]
        if ordering[-1][0] not in ("pk", "id"):
            ordering.append(("pk", False))
        return ordering

    @staticmethod
    def cursor_salt(request) -> str:
        # A cursor is only valid for the ordering it was made for.
        return f"{CURSOR_SALT}:{request.query_params.get('ordering', '')}"

    def decode_cursor(self, request, width: int) -> list | None:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        values = read_cursor(raw, salt=self.cursor_salt(request))
        if not isinstance(values, list) or len(values) != width:
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` link as given."]}
            )
        return values

    @staticmethod
    def after(ordering: list[tuple[str, bool]], values: list) -> Q:
        """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) ..."""
        condition = Q(pk__in=[])
        for index, (field, descending) in enumerate(ordering):
            names = [name for name, _ in ordering[:index]]
            equal = dict(zip(names, values[:index], strict=True))
            lookup = "lt" if descending else "gt"
            condition |= Q(**equal, **{f"{field}__{lookup}": values[index]})
        return condition

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self.get_page_size(request)
        ordering = self.ordering_of(queryset)
        queryset = queryset.order_by(*[f"-{f}" if d else f for f, d in ordering])
        values = self.decode_cursor(request, len(ordering))
        if values is not None:
            try:
                queryset = queryset.filter(self.after(ordering, values))
            except (ValueError, TypeError, DjangoValidationError) as exc:
                raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from exc
        rows = list(queryset[: self.page_size_value + 1])
        self.has_next = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        self.next_values = (
            [_encode_value(getattr(rows[-1], field)) for field, _ in ordering]
            if self.has_next
            else None
        )
        return rows

    def get_next_link(self) -> str | None:
        if not self.next_values:
            return None
        cursor = signing.Signer(salt=self.cursor_salt(self.request)).sign_object(self.next_values)
        return replace_query_param(self.this_page_url(), self.cursor_query_param, cursor)

    def this_page_url(self) -> str:
        # On SITE_URL, not the request's Host: answers are cached and shared by everyone
        # (sitecache.site_url). The query holds only the parameters the view reads
        # (api.views.HttpCachingMixin), so nothing a caller adds is echoed to others.
        return absolute_url(self.request.get_full_path())

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` link.",
                "schema": {"type": "string", "minLength": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
