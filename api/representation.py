"""A serializer's output from its declared fields, without DRF's field-by-field machinery.

DRF writes a record by asking each field for its attribute and then for its value, with
checks at every step; on a list of models with ten offerings each that cost about 2 ms
per model. `represent` writes the same dict from a plan made once per serializer class:
one step per readable field, in declared order, each a key, a getter (from the field's
`source`: an attribute path, "*", or the list an API selector prefetched) and a
converter (chosen by the field's class: money_text for money, date_text and
datetime_text in the request's time zone, int, bool and str, a nested serializer's own
plan). The steps are then written out as one dict display and compiled, so a record
costs what a hand-written dict did. A field the planner has no exact equivalent for (a
custom field, a SerializerMethodField, a field with its own format, a source naming a
method) keeps its own get_attribute or to_representation: a plan never guesses.

The equivalents assume what the database holds: a model's text column holds text, its
integer column an int, its boolean column a bool, its DecimalField fits its digits; a
serializer without a model reads plain objects (an attribute, not a method) or mappings.
tests/api/test_representations.py holds every planned serializer to what DRF writes from
the same fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import tzinfo
from decimal import Decimal
from functools import cache, partial
from inspect import isfunction, ismethod
from keyword import iskeyword
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.utils import timezone
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from api.selectors import PREFETCHED_LISTS
from catalog.formatting import iso_timestamp
from catalog.models import MONEY_QUANTUM

ISO_8601 = "iso-8601"


# Values as DRF's fields write them.
def money_text(value) -> str | None:
    """DecimalField(**MONEY): fixed point with six decimal places, "2.500000"."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value).strip())
    return f"{value.quantize(MONEY_QUANTUM):f}"


def decimal_text(places: int) -> Callable[[Any], str]:
    """A DecimalField's text at `places` decimal places (money_text at six)."""
    quantum = Decimal(1).scaleb(-places)
    if quantum == MONEY_QUANTUM:
        return money_text

    def text(value) -> str:
        if not isinstance(value, Decimal):
            value = Decimal(str(value).strip())
        return f"{value.quantize(quantum):f}"

    return text


def date_text(value) -> str | None:
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


def datetime_text(value, tz: tzinfo) -> str | None:
    """In `tz`, the current time zone; UTC is written "Z"."""
    if not value:
        return None
    if isinstance(value, str):
        return value
    return iso_timestamp(value.astimezone(tz))


def current_tz(tz: tzinfo | None) -> tzinfo:
    # Looked up once per record and handed down: the lookup costs more than the
    # formatting it serves, and a page of models has some 1,500 timestamps.
    return tz or timezone.get_current_timezone()


def prefetched(instance, to_attr: str, related_name: str) -> list:
    """The rows an API selector prefetched into `to_attr`, else the related manager's."""
    rows = getattr(instance, to_attr, None)
    return rows if rows is not None else list(getattr(instance, related_name).all())


# A step's converter takes the value (PLAIN), the value and the time zone (WITH_TZ), or
# is not called: the value is written as it is (AS_IS).
AS_IS, PLAIN, WITH_TZ = 0, 1, 2

# (key, path, getter, converter, kind): `path` is the source when it is an attribute
# path or "*", which the plan reads inline; None where the getter reads it.
Step = tuple[str, str | None, Callable[[Any], Any], Callable | None, int]

# Converters that write None for None themselves: called without a check before.
TAKE_NONE = (date_text, datetime_text, money_text)


class Plan:
    """A serializer class's fields as steps, and `build(instance, tz)`: the output dict.

    `build` is the steps written out as one dict display, compiled once (as dataclasses
    writes __init__): a loop over the steps cost half as much again as the hand-written
    dicts it replaces. `source` is its text. `fields` are the DRF fields, for records
    that are mappings (read as DRF reads them)."""

    __slots__ = ("build", "fields", "needs_tz", "source", "steps")

    def __init__(self, name: str, steps: list[Step], fields: list, *, model_records: bool):
        self.steps = steps
        self.fields = fields
        # A nested plan's build says whether it uses the time zone it is handed.
        self.needs_tz = any(
            kind == WITH_TZ and getattr(convert, "needs_tz", True) for *_, convert, kind in steps
        )
        self.source, namespace = self._source(steps, check_mapping=not model_records)
        namespace["from_mapping"] = self._from_mapping
        exec(compile(self.source, f"<plan for {name}>", "exec"), namespace)
        self.build = namespace["build"]
        self.build.needs_tz = self.needs_tz

    @staticmethod
    def _source(steps: list[Step], *, check_mapping: bool) -> tuple[str, dict]:
        namespace: dict[str, Any] = {"Mapping": Mapping}
        lines = ["def build(instance, tz):"]
        if check_mapping:
            lines += [
                "    if isinstance(instance, Mapping):",
                "        return from_mapping(instance, tz)",
            ]
        lines.append("    return {")
        for index, (name, path, get, convert, kind) in enumerate(steps):
            if path == "*":
                read = "instance"
            elif path is not None:
                read = f"instance.{path}"
            else:
                read = f"get_{index}(instance)"
                namespace[f"get_{index}"] = get
            tz_arg = ", tz" if kind == WITH_TZ else ""
            if kind == AS_IS:
                written = read
            elif convert in TAKE_NONE or path == "*":  # no None to check for
                written = f"convert_{index}({read}{tz_arg})"
            else:
                written = f"None if (value := {read}) is None else convert_{index}(value{tz_arg})"
            if kind != AS_IS:
                namespace[f"convert_{index}"] = convert
            lines.append(f"        {name!r}: {written},")
        lines.append("    }")
        return "\n".join(lines) + "\n", namespace

    def _from_mapping(self, instance: Mapping, tz: tzinfo | None) -> dict:
        out = {}
        for (name, _, _, convert, kind), field in zip(self.steps, self.fields, strict=True):
            try:
                value = field.get_attribute(instance)
            except SkipField:
                continue
            if value is None or kind == AS_IS:
                out[name] = value
            elif kind == PLAIN:
                out[name] = convert(value)
            else:
                out[name] = convert(value, tz)
        return out


# For a serializer: write its output from its plan (same fields, same output). No
# docstring: drf-spectacular would take it for the description of every serializer
# without one of its own.
class CompiledOutput:
    def to_representation(self, instance):
        return represent(type(self), instance)


def represent(serializer_class, instance, tz: tzinfo | None = None) -> dict:
    """What `serializer_class(instance).data` holds, built from the class's plan; `tz`
    is the current time zone when None."""
    plan = plan_for(serializer_class)
    if tz is None and plan.needs_tz:
        tz = timezone.get_current_timezone()
    return plan.build(instance, tz)


def plans_fields(serializer_class) -> bool:
    """Whether the class writes exactly its declared fields (DRF's own to_representation
    or CompiledOutput's), so a plan can stand for it."""
    method = serializer_class.to_representation
    return method is serializers.Serializer.to_representation or (
        method is CompiledOutput.to_representation
    )


@cache
def plan_for(serializer_class, records=None) -> Plan:
    """The class's plan, made once: its fields do not depend on the request. `records`:
    the model of the records it reads, when the class has no Meta.model to say (a
    serializer nested with source "*" reads its parent's)."""
    assert plans_fields(serializer_class), serializer_class
    serializer = serializer_class()
    model = getattr(getattr(serializer_class, "Meta", None), "model", None) or records
    steps, readable = [], []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        get = getter(field, model)
        path = field.source if isinstance(get, attrgetter) or get is _itself else None
        convert, kind = (None, AS_IS) if _column_as_is(field, model) else converter(field, model)
        steps.append((field.field_name, path, get, convert, kind))
        readable.append(field)
    return Plan(serializer_class.__name__, steps, readable, model_records=model is not None)


# DRF fields that write the value of these model columns unchanged: text stays text (a
# ChoiceField with text choices writes a text as it is, among its choices or not), whole
# numbers and bools stay what they are.
WRITTEN_AS_IS = (
    (fields.CharField.to_representation, (models.CharField, models.TextField)),
    (fields.ChoiceField.to_representation, (models.CharField, models.TextField)),
    (fields.IntegerField.to_representation, (models.IntegerField,)),
    (fields.BooleanField.to_representation, (models.BooleanField,)),
)


def _column_as_is(field, model) -> bool:
    """Whether the field reads a column of the model whose value DRF writes unchanged:
    the plan then writes the value as it is, as the hand-written dicts did."""
    if model is None:
        return False
    try:
        column = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    writes = _writer(field)
    if writes is fields.ChoiceField.to_representation and not all(
        isinstance(key, str) for key in field.choices
    ):
        return False
    return not column.is_relation and any(
        writes is method and isinstance(column, kinds) for method, kinds in WRITTEN_AS_IS
    )


def _itself(instance):
    return instance


def getter(field, model) -> Callable[[Any], Any]:
    """Reads the field's `source` from a record: "*" (the record), an attribute path, or
    for a list of related rows the list an API selector prefetched (PREFETCHED_LISTS).
    A source it cannot show to be plain attributes is read by the field itself."""
    source = field.source
    if source == "*":
        return _itself
    plain = _plain_attributes(model, source)
    if isinstance(field, serializers.ListSerializer | relations.ManyRelatedField):
        return _rows_getter(source, attrgetter(source) if plain else field.get_attribute)
    return attrgetter(source) if plain else field.get_attribute


def _plain_attributes(model, source: str) -> bool:
    """Whether reading `source` attribute by attribute is what DRF does: no step is a
    method (DRF calls it) or a reverse one-to-one (DRF turns a missing row into None).
    Known only for the records' model and what its forward relations lead to; a record
    of a serializer without a model is read as a plain object, one attribute deep."""
    parts = source.split(".")
    if not all(part.isidentifier() and not iskeyword(part) for part in parts):
        return False
    if model is None:
        return len(parts) == 1
    for index, part in enumerate(parts):
        attribute = getattr(model, part, None)  # None: an annotation or a to_attr list
        if isfunction(attribute) or ismethod(attribute) or isinstance(attribute, partial):
            return False
        if isinstance(attribute, ReverseOneToOneDescriptor):
            return False
        if index < len(parts) - 1:
            if not isinstance(attribute, ForwardManyToOneDescriptor):
                return False
            model = attribute.field.related_model
    return True


def _rows_getter(source: str, related: Callable[[Any], Any]) -> Callable[[Any], Any]:
    to_attr = PREFETCHED_LISTS.get(source)

    def rows(instance):
        if to_attr is not None:
            listed = getattr(instance, to_attr, None)
            if listed is not None:
                return listed
        value = related(instance)
        if type(value) is list:  # the common case, without hasattr's exception
            return value
        return value.all() if hasattr(value, "all") else value

    return rows


def converter(field, model=None) -> tuple[Callable | None, int]:
    """The field's value writer and how to call it: a nested serializer's plan, a cheap
    equivalent of a standard field's to_representation, else the field's own. `model`:
    the records' model, if known."""
    if isinstance(field, serializers.ListSerializer):
        if not plans_fields(type(field.child)):
            return field.to_representation, PLAIN
        child = plan_for(type(field.child)).build

        def each_row(rows, tz):
            return [child(row, tz) for row in rows]

        each_row.needs_tz = child.needs_tz
        return each_row, WITH_TZ
    if isinstance(field, serializers.BaseSerializer):
        if not plans_fields(type(field)):
            return field.to_representation, PLAIN
        return plan_for(type(field), model if field.source == "*" else None).build, WITH_TZ
    if isinstance(field, relations.ManyRelatedField):
        each, kind = converter(field.child_relation)
        if kind == PLAIN:
            return (lambda rows: [each(row) for row in rows]), PLAIN
        return field.to_representation, PLAIN
    writes = _writer(field)
    if writes is fields.CharField.to_representation:
        return str, PLAIN
    if writes is fields.IntegerField.to_representation:
        return int, PLAIN
    if writes is fields.BooleanField.to_representation:
        return bool, PLAIN
    if writes is fields.ReadOnlyField.to_representation:
        return None, AS_IS
    if writes is fields.ChoiceField.to_representation:
        choices = field.choice_strings_to_values
        return (lambda value: value if value == "" else choices.get(str(value), value)), PLAIN
    if writes is fields.DecimalField.to_representation and _plain_decimal(field):
        return decimal_text(field.decimal_places), PLAIN
    if writes is fields.DateField.to_representation and _iso(field, api_settings.DATE_FORMAT):
        return date_text, PLAIN
    if (
        writes is fields.DateTimeField.to_representation
        and _iso(field, api_settings.DATETIME_FORMAT)
        and not hasattr(field, "timezone")
    ):
        return datetime_text, WITH_TZ
    if writes is fields.ListField.to_representation:
        each, kind = converter(field.child)
        if kind == PLAIN:
            return (lambda items: [None if x is None else each(x) for x in items]), PLAIN
    if writes is relations.SlugRelatedField.to_representation:
        return attrgetter(field.slug_field.replace("__", ".")), PLAIN
    return field.to_representation, PLAIN


def _writer(field) -> Callable:
    """The field class's to_representation; a BigIntegerField that writes numbers
    (COERCE_BIGINT_TO_STRING off) writes them as an IntegerField does."""
    writes = type(field).to_representation
    if writes is fields.BigIntegerField.to_representation:
        coerce = getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
        return (
            fields.CharField.to_representation if coerce else fields.IntegerField.to_representation
        )
    return writes


def _plain_decimal(field) -> bool:
    return (
        getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and field.decimal_places is not None
        and not field.localize
        and not field.normalize_output
        and field.rounding is None
    )


def _iso(field, default_format) -> bool:
    output_format = getattr(field, "format", default_format)
    return output_format is not None and output_format.lower() == ISO_8601
