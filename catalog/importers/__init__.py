"""Price file importers: one pure parser per format, then matching, planning and applying.

parsed = PARSERS["litellm"](path)          # ParsedSource, no database
plan = build_plan(parsed)                  # ImportPlan: what would change (plan.py,
                                           # matching rows by matching.py)
apply_plan(plan, user=request.user)        # one transaction, all or nothing (apply.py)
additions = build_additions(parsed)        # --add-new: drafts (additions.py)
"""

from catalog.importers import csv_format, genai_prices, litellm, models_dev, openrouter

PARSERS = {
    "models-dev": models_dev.parse,
    "openrouter": openrouter.parse,
    "litellm": litellm.parse,
    "csv": csv_format.parse,
    # Reconciliation only (python manage.py reconcile_prices); not in FORMAT_CHOICES.
    "genai-prices": genai_prices.parse,
}
FORMAT_CHOICES = [
    ("csv", "Our price CSV"),
    ("openrouter", "OpenRouter /api/v1/models JSON"),
    ("litellm", "LiteLLM model_prices_and_context_window.json"),
    ("models-dev", "models.dev tree (zip of providers/ and models/)"),
]
