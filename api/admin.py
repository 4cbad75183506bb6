"""API keys are a superuser's business: editors (staff in the Editor group) neither see
nor manage them, whatever permissions a group is given."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from api.models import ApiKey
from api.services import issue_api_key


@admin.action(description="Revoke selected keys")
def revoke_keys(modeladmin, request, queryset):
    count = 0
    for api_key in queryset.filter(revoked_at__isnull=True):
        api_key.revoke()  # one save per key, so the history records who revoked it
        count += 1
    noun = "key" if count == 1 else "keys"
    modeladmin.message_user(request, f"Revoked {count} {noun}.", messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "name", "prefix", "created", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["partner", "name", "prefix"]
    readonly_fields = ["prefix", "created", "last_used_at", "revoked_at"]
    fields = ["name", "partner", "prefix", "created", "last_used_at", "revoked_at"]
    actions = [revoke_keys]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: a deleted key leaves no trace of who had access.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        _, raw_key = issue_api_key(name=obj.name, partner=obj.partner, api_key=obj)
        request._issued_api_key = raw_key

    def response_add(self, request, obj, post_url_continue=None):
        # Show the key on this response rather than in a message: messages may be
        # kept in a cookie, and the key must not be stored anywhere.
        raw_key = getattr(request, "_issued_api_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": "API key created",
            "opts": self.opts,
            "api_key": obj,
            "raw_key": raw_key,
        }
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response
