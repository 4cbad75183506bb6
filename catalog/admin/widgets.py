"""Autocomplete widgets for inline rows that render without a query per row.

Django's autocomplete widget looks its selected choice up in the database, once per
widget: on a model page with 20 offerings and 20 scores that is 40 queries. Each row's
own object already holds the related record (the inline's queryset selects it), so the
widget renders the choice from it; a submitted value that differs is looked up as usual.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.forms.utils import flatatt
from django.utils.html import format_html


class RowAutocompleteSelect(AutocompleteSelect):
    row_object = None  # the related record the row already holds, set by the form

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        row = self.row_object
        if row is None or selected != [str(row.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(row)
        options.append(self.create_option(name, row.pk, label, set(selected), len(options)))
        return [(None, options, 0)]


class RowAutocompleteForm:
    """Form mixin: each RowAutocompleteSelect shows the row's related record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # the admin's wrapper
            if not isinstance(widget, RowAutocompleteSelect):
                continue
            if getattr(self.instance, self.instance._meta.get_field(name).attname, None):
                widget.row_object = getattr(self.instance, name)


class RowAutocompleteInline:
    """InlineModelAdmin mixin: autocomplete fields use RowAutocompleteSelect (the form
    must mix in RowAutocompleteForm and the queryset select the related records), without
    the add/change/view icons beside each row's choice (the rows stay narrow; the related
    record is a click away in its own list)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(getattr(formfield, "widget", None), RelatedFieldWidgetWrapper):
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_view_related = widget.can_delete_related = False
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TemplateFreeInput:
    """Input widget mixin: the markup of Django's input template, built in Python. The
    workbench shows 250 of these cells (prices and dates), a list 100 row checkboxes,
    and rendering two templates per input was a third of those pages' time
    (bench/admin_timings.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', shown) if shown is not None else "",
            flatatt(widget["attrs"]),
        )


class TemplateFreeCheckbox(TemplateFreeInput, forms.CheckboxInput):
    pass
