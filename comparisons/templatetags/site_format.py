"""Template filters over catalog.formatting, so templates say numbers the site's way."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from catalog import formatting
from catalog.markup import sourced_html
from sitecache.site_url import absolute_url

register = template.Library()

register.filter("usd", formatting.format_usd)
register.filter("per_million", formatting.format_price_per_million)
register.filter("tokens", formatting.format_tokens)
register.filter("parameters", formatting.format_parameters)
register.filter("long_date", formatting.format_date)
register.filter("month", formatting.format_month)


@register.filter
def yes_no(value):
    if value is None:
        return formatting.NOT_DISCLOSED
    return "Yes" if value else "No"


@register.simple_tag
def absolute(path):
    """The canonical absolute URL of a site path (on SITE_URL)."""
    return absolute_url(path)


# The escapes of django.utils.html.json_script: no "</script>" can end the block early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def ld_json(data):
    """A schema.org JSON-LD block, escaped as json_script escapes."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def cross_check(offering):
    """The price-watch sentence for an offering annotated by
    catalog.selectors.with_cross_checks."""
    return formatting.cross_check_sentence(
        offering.checks_total, offering.checks_agreeing, offering.checks_on
    )


@register.simple_tag
def provider_limits(offering):
    """An offering's own context window and max output next to its model's ("128K
    context window on this provider (model: 1M)"), or "Same as the model"."""
    model = offering.model
    note = formatting.provider_limits_note(
        own_context_window=offering.own_context_window,
        own_max_output_tokens=offering.own_max_output_tokens,
        model_context_window=model.context_window,
        model_max_output_tokens=model.max_output_tokens,
    )
    return note or formatting.SAME_LIMITS_AS_MODEL


@register.simple_tag
def sourced(text, url, on=None, verb="checked"):
    """A figure linked to the source it was read from, the link titled with the date
    ("Source, checked 7 May 2026"); the bare figure when no source is recorded."""
    return mark_safe(sourced_html(text, url, on, verb))  # escaped by sourced_html


# (template, script prefix, URLconf) -> its HTML: see shared_partial.
_shared: dict[tuple[str, str, str], SafeString] = {}


@register.simple_tag
def shared_partial(template_name: str) -> SafeString:
    """A partial that reads nothing of the page (the site header, the head's stylesheet
    and script links), rendered once per URLconf and script prefix and then reused: its
    eight {% url %} and three {% static %} tags were about 0.9 ms of every page
    (docs/benchmarks.md, "The model page"). Rendered afresh under DEBUG, so template
    edits show at once, and forgotten when a setting changes (tests)."""
    key = (template_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    html = _shared.get(key)
    if html is None:
        html = mark_safe(render_to_string(template_name))  # rendered with autoescaping
        if not settings.DEBUG:
            _shared[key] = html
    return html


def _forget_shared(**_kwargs) -> None:
    _shared.clear()


setting_changed.connect(_forget_shared, dispatch_uid="site_format.forget_shared")
