"""Site-wide answers that belong to no app."""

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

FAVICON = "img/favicon.svg"


@require_safe
def favicon(request):
    """`/favicon.ico`, which browsers and crawlers ask for whatever the pages link: the
    site's SVG icon, served here (a redirect would cost a round trip)."""
    path = finders.find(FAVICON)
    if path is None:
        raise Http404("No favicon.")
    with open(path, "rb") as icon:
        response = HttpResponse(icon.read(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
