"""catalog.pairs.compare_url: the pair page's path, in its one order, exactly as
reverse() writes it (it asks reverse() once per script prefix and puts the slugs in)."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.urls.base import clear_script_prefix

from catalog.pairs import compare_url, path_of


def reversed_path(a: str, b: str) -> str:
    return reverse("comparisons:detail", kwargs={"pair": f"{a}-vs-{b}"})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gpt-4o", "claude-3-5-sonnet"),
        ("claude-3-5-sonnet", "gpt-4o"),
        ("alpha-vs-omega", "beta"),
        ("model_1", "Model-2"),
        ("a.b", "c d"),  # not plain slugs: reverse() itself (it quotes the space)
        ("é", "z"),
    ],
)
def test_the_path_is_what_reverse_gives_in_canonical_order(a, b):
    first, second = sorted([a, b])
    assert compare_url(a, b) == reversed_path(first, second)


def test_a_script_prefix_is_kept():
    set_script_prefix("/mirror/")
    try:
        assert compare_url("b", "a") == "/mirror/compare/a-vs-b/"
    finally:
        clear_script_prefix()
    assert compare_url("b", "a") == "/compare/a-vs-b/"


@pytest.mark.parametrize("slug", ["openrouter", "google-ai-studio", "a_b", "Mixed-9"])
def test_path_of_gives_what_reverse_gives_for_a_one_argument_url(slug):
    for name in ("catalog:provider-detail", "catalog:model-detail"):
        assert path_of(name, "slug", slug) == reverse(name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["é", "a b", "a/b"])
def test_path_of_refuses_what_the_pattern_refuses_as_reverse_does(slug):
    with pytest.raises(NoReverseMatch):
        path_of("catalog:provider-detail", "slug", slug)
