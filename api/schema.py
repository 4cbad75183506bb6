"""OpenAPI generation: every operation documents the JSON errors it can answer, so the
schema (and schemathesis, which checks the API against it) knows their shape."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.serializers import ErrorSerializer, GoneSerializer

ERROR_RESPONSES = {
    "400": "Invalid parameter: `errors` names each one and the reason.",
    "401": "Unknown, malformed or revoked API key.",
    "404": "Not found.",
    "429": "Too many requests: retry after the number of seconds in Retry-After.",
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
        if getattr(self.view, "change_resource", None) and self.view.action == "retrieve":
            # A record that is gone leaves a tombstone in the change log.
            responses["301"] = {
                "description": "The slug changed: Location is the record's new URL."
            }
            gone = self._get_response_for_code(GoneSerializer, "410")
            gone["description"] = "Deleted or unpublished: the body carries its tombstone."
            responses["410"] = gone
        return responses


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = ["ApiKeyHeader", "ApiKeyAuthorization"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": 'Send "Api-Key <key>" (or "Bearer <key>").',
            },
        ]
