"""Optimistic locking for admin forms: no editor silently overwrites another's save.

Each change form (and each existing inline row) carries a hidden version: a fingerprint
of what the editor was shown (every field's initial value, plus `updated_at` where the
model has it). On save the fingerprint is computed again from the database; if it
differs, someone saved in between and the form refuses with a message, saving nothing.
Fingerprinting what the form shows (rather than only `updated_at`) also covers values
that live on related rows, such as the current price shown on an offering row, and
models without `updated_at` (Price). No schema change is needed.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils.formats import localize

from catalog.formatting import format_date

VERSION_FIELD = "version_seen"

CONFLICT_MESSAGE = (
    "Someone else saved this %(what)s after you opened it%(by_whom)s. Nothing you entered "
    "here was saved, so their change is not overwritten. Reload the page to see the current "
    "version, then make your change again."
)


def _plain(value):
    """A JSON-able, stable form of an initial value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def form_fingerprint(form: forms.ModelForm) -> str:
    """The version of the record as this form presents it, from its initial values."""
    shown = {
        name: _plain(form.get_initial_for_field(field, name))
        for name, field in form.fields.items()
        if name != VERSION_FIELD
    }
    shown["__updated_at"] = _plain(getattr(form.instance, "updated_at", None))
    payload = json.dumps(shown, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _last_change_by(instance: models.Model) -> str:
    history = getattr(instance, "history", None)
    if history is None:
        return ""
    record = history.select_related("history_user").order_by("-history_date").first()
    if record is None:
        return ""
    who = record.history_user.get_username() if record.history_user else "an import"
    when = f"{format_date(record.history_date.date())} {localize(record.history_date.time())}"
    return f" ({who}, {when} UTC)"


class VersionedFormMixin:
    """Adds the hidden version and refuses a save based on a stale one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Computed from the database as it is now: at render time this is what the
            # editor sees; on submit it is what the submitted version must match.
            self.current_version = self.database_fingerprint()
            self.fields[VERSION_FIELD].initial = self.current_version

    def database_fingerprint(self) -> str:
        return form_fingerprint(self)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        seen = (self.data.get(self.add_prefix(VERSION_FIELD)) or "").strip()
        if seen != self.current_version:
            raise forms.ValidationError(
                CONFLICT_MESSAGE,
                code="edit_conflict",
                params={
                    "what": self.instance._meta.verbose_name,
                    "by_whom": _last_change_by(self.instance),
                },
            )
        return cleaned


@cache
def versioned_form(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`form_class` with a hidden version field and the stale-save check."""
    return type(
        f"Versioned{form_class.__name__}",
        (VersionedFormMixin, form_class),
        {VERSION_FIELD: forms.CharField(required=False, widget=forms.HiddenInput)},
    )


class RevertFormMixin:
    """For django-simple-history's revert page, whose form is built on an old version of
    the record: the version to match is the record as it is in the database now, so a
    save made after the editor opened the old version refuses the revert."""

    def __init__(self, *args, shows_database=False, **kwargs):
        self.shows_database = shows_database
        super().__init__(*args, **kwargs)

    def database_fingerprint(self) -> str:
        if self.shows_database:
            return form_fingerprint(self)
        current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if current is None:  # restoring a deleted record: refused if it reappears meanwhile
            return "deleted"
        return type(self)(instance=current, shows_database=True).current_version


@cache
def revert_form(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    return type(f"Revert{form_class.__name__}", (RevertFormMixin, versioned_form(form_class)), {})


def _without_version_field(fieldsets):
    return [
        (name, {**options, "fields": _drop_version(options.get("fields", []))})
        for name, options in fieldsets
    ]


def _drop_version(fields):
    kept = []
    for field in fields:
        if isinstance(field, list | tuple):
            field = type(field)(f for f in field if f != VERSION_FIELD)
            if field:
                kept.append(field)
        elif field != VERSION_FIELD:
            kept.append(field)
    return kept


def _with_version_field(fieldsets, *, can_change: bool = True):
    if not can_change:  # a read-only page would print the version as a field
        return _without_version_field(fieldsets)
    if VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    fieldsets = list(fieldsets) or [(None, {"fields": []})]
    name, options = fieldsets[0]
    fieldsets[0] = (name, {**options, "fields": [*options.get("fields", []), VERSION_FIELD]})
    return fieldsets


class OptimisticLockingAdmin:
    """ModelAdmin mixin (list it first): stale change forms are refused, nothing saved."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        wrap = revert_form if getattr(request, "_reverting_history", False) else versioned_form
        kwargs["form"] = wrap(kwargs.get("form", self.form))
        return super().get_form(request, obj, change=change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._reverting_history = True
        # The same row lock as a change form's save, for the same reason.
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST":
                self.get_object(request, object_id)
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_fieldsets(self, request, obj=None):
        can_change = obj is None or self.has_change_permission(request, obj)
        return _with_version_field(super().get_fieldsets(request, obj), can_change=can_change)

    def get_object(self, request, object_id, from_field=None):
        # On save, lock the row first (PostgreSQL) so the version compared in clean()
        # cannot change before this transaction commits.
        connection = transaction.get_connection(router.db_for_write(self.model))
        if request.method == "POST" and from_field is None and connection.in_atomic_block:
            # A malformed id locks nothing; the admin then answers "not found".
            with suppress(ValueError, TypeError, ValidationError):
                list(
                    self.model._default_manager.select_for_update()
                    .filter(pk=object_id)
                    .values_list("pk", flat=True)
                )
        return super().get_object(request, object_id, from_field)


class OptimisticLockingInline:
    """InlineModelAdmin mixin (list it first): each existing row carries its version."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = versioned_form(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        can_change = obj is None or self.has_change_permission(request, obj)
        return _with_version_field(super().get_fieldsets(request, obj), can_change=can_change)
