"""OpenAPI generation: every operation documents the JSON errors it can answer, so the
schema (and schemathesis, which checks the API against it) knows their shape."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.serializers import ErrorSerializer

ERROR_RESPONSES = {
    "400": "Invalid, unknown or empty parameter: `errors` names each one and the reason.",
    "401": "Unknown, malformed or revoked API key.",
    "404": "Not found.",
    "429": "Too many requests: retry after the number of seconds in Retry-After.",
}


class ApiAutoSchema(AutoSchema):
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
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
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
