"""OpenAPI generation: every operation documents the JSON errors it can answer, so the
schema (and schemathesis, which checks the API against it) knows their shape."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from api.serializers import ErrorSerializer, GoneSerializer

ERROR_RESPONSES = {
    "400": "Invalid, unknown or empty parameter: `errors` names each one and the reason.",
    "401": "Unknown, malformed or revoked API key.",
    "404": "Not found.",
    "429": "Too many requests: retry after the number of seconds in Retry-After.",
}


def response_header(
    name: str, description: str, codes=True, kind=OpenApiTypes.INT
) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.HEADER, description=description, response=codes
    )


# Headers of every answer (api.middleware, api.caching). Not required: the rate-limit
# headers are absent when throttling is off.
RESPONSE_HEADERS = [
    response_header("RateLimit-Limit", "Requests allowed per window (IETF draft header)."),
    response_header("RateLimit-Remaining", "Requests left in the current window."),
    response_header(
        "RateLimit-Reset", "Seconds until the oldest counted request leaves the window."
    ),
    response_header("Retry-After", "Seconds to wait before retrying.", codes=[429]),
    response_header(
        "ETag",
        "Weak validator of the body; send it back as If-None-Match for a 304.",
        codes=[200, 304],
        kind=OpenApiTypes.STR,
    ),
    response_header(
        "Last-Modified",
        "When the public catalog last changed (HTTP date).",
        codes=[200, 304],
        kind=OpenApiTypes.STR,
    ),
]


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        # First, so a view's own description of one of them (later) wins.
        return [*RESPONSE_HEADERS, *super().get_override_parameters()]

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            # An empty value is refused (api.views.KnownParametersMixin): say so.
            if parameter["in"] == "query" and schema.get("type") == "string":
                schema.setdefault("minLength", 1)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if self.method == "GET" and "304" not in responses:
            responses["304"] = {
                "description": "Not modified: the If-None-Match or If-Modified-Since validator "
                "still matches.",
                "headers": self._get_response_headers_for_code("304"),
            }
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
