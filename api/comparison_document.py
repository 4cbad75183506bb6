"""The body of `/api/v1/comparisons/<a>-vs-<b>/`.

PLACEHOLDER, to be replaced by the integrator: `comparison_payload` must return the same
sections as the comparison page, built by the shared text generator
(comparisons/narrative, another branch). Until then it returns the two models' specs and
prices straight from the model serializer. Replace the body of this one function (and
ComparisonSerializer in api/serializers.py, which documents it in the schema); the view,
the pair resolution and the redirects do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from api.serializers import LanguageModelSerializer
from catalog.models import LanguageModel


@dataclass(frozen=True)
class Blend:
    """How input and output prices are weighted into one blended price."""

    input_weight: int
    output_weight: int

    @property
    def input_share(self) -> Decimal:
        return Decimal(self.input_weight) / Decimal(self.input_weight + self.output_weight)

    @property
    def output_share(self) -> Decimal:
        return 1 - self.input_share

    @property
    def ratio(self) -> str:
        return f"{self.input_weight}:{self.output_weight}"


DEFAULT_BLEND = Blend(70, 30)


def parse_blend(raw: str | None) -> Blend:
    """ "70:30" or "3:1" -> Blend; raises ValueError with a reason."""
    if raw is None or raw == "":
        return DEFAULT_BLEND
    left, sep, right = raw.partition(":")
    if not sep or not left.isdigit() or not right.isdigit():
        raise ValueError('Give input:output weights as whole numbers, e.g. "70:30" or "3:1".')
    if len(left) > 6 or len(right) > 6 or int(left) + int(right) == 0:
        raise ValueError("Weights must be whole numbers up to 999999, not both zero.")
    return Blend(int(left), int(right))


def comparison_payload(model_a: LanguageModel, model_b: LanguageModel, blend: Blend) -> dict:
    """The comparison document for a canonical pair (model_a's slug sorts first).

    PLACEHOLDER: specs and prices straight from the serializer; see the module docstring.
    `model_a` and `model_b` come from api.selectors.api_models(), so their offerings,
    prices and sources are already fetched. Returns plain JSON data (strings for
    decimals), documented by api.serializers.ComparisonSerializer.
    """
    quantum = Decimal("0.0001")
    return {
        "pair": f"{model_a.slug}-vs-{model_b.slug}",
        "blend": {
            "input_share": str(blend.input_share.quantize(quantum, rounding=ROUND_HALF_UP)),
            "output_share": str(blend.output_share.quantize(quantum, rounding=ROUND_HALF_UP)),
            "ratio": blend.ratio,
        },
        "models": LanguageModelSerializer([model_a, model_b], many=True).data,
    }
