"""The comparison page's pair tables and cost rows, written in one pass
(comparisons.fragments)."""

from django import template

from comparisons import fragments

register = template.Library()
register.simple_tag(fragments.pair_table, name="pair_table")
register.simple_tag(fragments.cost_rows, name="cost_rows")
