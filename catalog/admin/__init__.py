"""The editors' admin for the catalog, one module per concern; importing them here
registers every model admin when Django autodiscovers `catalog.admin`.

Lists show what an editor scans for (price, status, staleness), every changelist runs a
bounded number of queries, and every save is in the history.

  language_models  the model page: specs, inline offering rows with their price, scores
  offerings        the offering page, its prices and aliases; workbench/import/export URLs
  prices           the price admin and form, the recent price changes page
  organizations    makers and providers
  sources, benchmarks
  review           the review queue ("New from sources": drafts an import proposed)
  workbench        the price workbench: offerings with their prices editable in place
  imports          the import screens (upload, preview, apply) and CSV export
  Building blocks: history (CatalogHistoryAdmin, the base of every catalog admin),
  concurrency (optimistic locking), confirmation (the plausibility hold), staleness
  (review status filter and action), money (price fields), widgets (inline autocompletes).
"""

from catalog.admin import (  # noqa: F401 (registers the admins)
    benchmarks,
    language_models,
    offerings,
    organizations,
    prices,
    review,
    sources,
)
