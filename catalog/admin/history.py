"""The admin base for catalog models: django-simple-history's admin, made to answer 404
rather than 500 to malformed ids in the URL, to ignore malformed prefill values
("?provider=%ff" on an add page), which the autocomplete widgets would otherwise look up,
and to let only those who may change a record revert it.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def _is_valid_key(field, value) -> bool:
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class CatalogHistoryAdmin(SimpleHistoryAdmin):
    def _require_valid_key(self, field, value) -> None:
        if not _is_valid_key(field, value):
            raise Http404(f"No {self.model._meta.verbose_name} with that id.")

    def history_view(self, request, object_id, extra_context=None):
        self._require_valid_key(self.model._meta.pk, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_valid_key(self.model._meta.pk, unquote(object_id))
        self._require_valid_key(self.model.history.model._meta.pk, version_id)
        # django-simple-history saves a posted revert for anyone who may view the
        # history; writing it takes the right to change the record.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation or field.target_field is None:
                continue
            values = value if isinstance(value, list) else [value]
            if not all(_is_valid_key(field.target_field, v) for v in values):
                del initial[name]
        return initial
