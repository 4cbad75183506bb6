"""`make admin-bench`: how fast the editors' admin answers on a synthetic catalog.

Builds the synthetic catalog `make bench` uses (catalog.management.commands.
build_synthetic_catalog: --models models on 20 providers, ten offerings a model, a
three-price history each), plus what the editors' pages list beside it: a review queue
of drafts with two sources' evidence each, and price-watch checks and open findings. Then,
in this process, signs in a superuser with Django's test client and requests each admin
page: every registered changelist (with a search where the list has one), the price
workbench, the review queue, the model change form of the model with the most offerings
and scores, the offering change form, the import page and the start page. One warm-up
request, then the median of --runs requests, with the SQL query count of the last one.

    python bench/admin_timings.py --models 500            # SQLite under bench-results/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/llm_adminfast \\
        python bench/admin_timings.py --models 1500       # PostgreSQL (created if absent)

The database is rebuilt unless it already holds a catalog of the asked size (--rebuild
forces it). Times are wall-clock in process: the view, templates and database, without
the network or a server. "CPU ms" is this process's CPU time for the request (on
SQLite the database's work included, on PostgreSQL not): on a busy machine the wall
clock also counts waiting for a CPU, and the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
TARGET_MS = 200

ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "ERROR",
    "PAGE_CACHE_ENABLED": "0",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--offerings", type=int, help="default: ten per model")
    parser.add_argument("--providers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the catalog")
    parser.add_argument("--only", help="time only the pages whose label contains this")
    return parser.parse_args()


def use_database(models: int) -> str:
    """Point Django at the benchmark database: DATABASE_URL (a PostgreSQL database is
    created when missing), or a SQLite file per size under bench-results/."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        create_postgres_database(url)
        return url
    OUT.mkdir(exist_ok=True)
    url = f"sqlite:///{OUT / f'admin-{models}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    return url


def create_postgres_database(url: str) -> None:
    import psycopg  # noqa: PLC0415 (only for PostgreSQL runs)

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def build(*, models: int, offerings: int, providers: int, rebuild: bool) -> str:
    """Migrate, and fill the database unless it already holds this catalog."""
    from django.core.management import call_command  # noqa: PLC0415 (after django.setup)

    from catalog.management.commands.build_synthetic_catalog import (  # noqa: PLC0415
        build_synthetic_catalog,
    )
    from catalog.models import LanguageModel, Offering  # noqa: PLC0415

    call_command("migrate", "--noinput", verbosity=0)
    published = LanguageModel.objects.filter(status=LanguageModel.Status.PUBLISHED)
    if (
        not rebuild
        and published.count() == models
        and Offering.objects.filter(model__in=published).count() == offerings
    ):
        if LanguageModel.objects.filter(status=LanguageModel.Status.DRAFT).exists():
            return "reused"
        add_editor_work(drafts=max(models // 10, 1))  # a catalog bench/run.py built
        return "reused, with the review queue's drafts added"
    call_command("flush", "--noinput", verbosity=0)
    started = time.perf_counter()
    build_synthetic_catalog(models=models, providers=providers, offerings=offerings)
    add_editor_work(drafts=max(models // 10, 1))
    return f"built in {time.perf_counter() - started:.0f} s"


def add_editor_work(*, drafts: int) -> None:
    """What the review queue and the price-watch pages list: drafts proposed by two
    sources with an offering each, one reconciliation per offering, and an open finding
    on one offering in ten."""
    import random  # noqa: PLC0415
    from datetime import timedelta  # noqa: PLC0415
    from decimal import Decimal  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    from catalog.models import (  # noqa: PLC0415
        LanguageModel,
        ModelEvidence,
        Offering,
        Organization,
        Price,
        Provider,
    )
    from pricewatch.models import Finding, OfferingCheck  # noqa: PLC0415

    rng = random.Random(11)
    today = timezone.localdate()
    now = timezone.now()
    orgs = list(Organization.objects.order_by("pk"))
    providers = list(Provider.objects.order_by("pk"))
    proposed = LanguageModel.objects.bulk_create(
        LanguageModel(
            name=f"Proposed Model {i}",
            slug=f"proposed-model-{i:04d}",
            organization=orgs[i % len(orgs)],
            status=LanguageModel.Status.DRAFT,
            release_date=today - timedelta(days=rng.randint(0, 90)),
            context_window=rng.choice([32_000, 128_000, 1_000_000]),
            max_output_tokens=8_192,
        )
        for i in range(drafts)
    )
    ModelEvidence.objects.bulk_create(
        ModelEvidence(
            model=model,
            source=source,
            source_ref=f"{source}:{model.slug}",
            as_of=today,
            facts={"name": model.name, "context_window": model.context_window},
        )
        for model in proposed
        for source in ("openrouter", "models-dev")
    )
    draft_offers = Offering.objects.bulk_create(
        Offering(
            model=model,
            provider=providers[i % len(providers)],
            provider_model_id=f"proposed/{model.slug}",
        )
        for i, model in enumerate(proposed)
    )
    prices = Price.objects.bulk_create(
        Price(offering=offering, effective_date=today, input=Decimal("1"), output=Decimal("4"))
        for offering in draft_offers
    )
    for offering, price in zip(draft_offers, prices, strict=True):
        offering.current_price = price
    Offering.objects.bulk_update(draft_offers, ["current_price"])

    offers = list(
        Offering.objects.exclude(pk__in=[o.pk for o in draft_offers])
        .select_related("current_price")
        .order_by("pk")
    )
    OfferingCheck.objects.bulk_create(
        OfferingCheck(offering=o, source="openrouter", agrees=i % 10 != 0, checked_on=today)
        for i, o in enumerate(offers)
    )
    Finding.objects.bulk_create(
        Finding(
            source="openrouter",
            offering=o,
            provider_id=o.provider_id,
            model_id=o.model_id,
            provider_model_id=o.provider_model_id,
            field="input",
            our_value=o.current_price.input,
            their_value=o.current_price.input * 2,
            relative_difference=Decimal(1),
            first_seen=now,
            last_seen=now,
        )
        for i, o in enumerate(offers)
        if i % 10 == 0
    )


def pages() -> list[tuple[str, str]]:
    """(label, URL) for every page timed."""
    from django.contrib import admin  # noqa: PLC0415
    from django.db.models import Count  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from catalog.models import LanguageModel  # noqa: PLC0415

    # An editor's search: part of a model's name, matched anywhere (icontains), across
    # the joins each list searches.
    search = "model 42"
    busiest = (
        LanguageModel.objects.filter(status=LanguageModel.Status.PUBLISHED)
        .annotate(n=Count("offerings", distinct=True), s=Count("scores", distinct=True))
        .order_by("-n", "-s", "pk")
        .first()
    )
    offering = busiest.offerings.order_by("pk").first()
    result = [("start page (admin index)", reverse("admin:index"))]
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        label = f"{opts.verbose_name_plural} list"
        result.append((label, url))
        if model_admin.search_fields:
            result.append((f"{label}, search", f"{url}?{urlencode({'q': search})}"))
    workbench = reverse("admin:catalog_offering_workbench")
    result += [
        ("models list, filtered by provider", model_list_by_provider()),
        ("price workbench", workbench),
        ("price workbench, search", f"{workbench}?{urlencode({'q': search})}"),
        ("price workbench, one model", f"{workbench}?model__id__exact={busiest.pk}"),
        ("price workbench, open findings", f"{workbench}?finding=open"),
        ("price workbench, stale", f"{workbench}?stale=yes"),
        (
            f"model change form ({busiest.n} offerings, {busiest.s} scores)",
            reverse("admin:catalog_languagemodel_change", args=[busiest.pk]),
        ),
        (
            "offering change form",
            reverse("admin:catalog_offering_change", args=[offering.pk]),
        ),
        ("offering history", reverse("admin:catalog_offering_history", args=[offering.pk])),
        ("recent price changes", reverse("admin:catalog_price_recent_changes")),
        ("import page", reverse("admin:catalog_offering_import")),
    ]
    return result


def model_list_by_provider() -> str:
    from django.urls import reverse  # noqa: PLC0415

    from catalog.models import Provider  # noqa: PLC0415

    provider = Provider.objects.order_by("pk").first()
    url = reverse("admin:catalog_languagemodel_changelist")
    return f"{url}?{urlencode({'offered_by': provider.pk})}"


def time_pages(selected: list[tuple[str, str]], *, runs: int) -> list[dict]:
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    user, _ = get_user_model().objects.get_or_create(
        username="admin-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(raise_request_exception=True)
    client.force_login(user)
    rows = []
    for label, url in selected:
        client.get(url)  # warm-up: template loading, first queries
        times, cpu = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
        rows.append(
            {
                "label": label,
                "url": url,
                "status": response.status_code,
                "queries": len(queries.captured_queries),
                "median": statistics.median(times),
                "cpu": statistics.median(cpu),
                "max": max(times),
                "bytes": len(response.content),
            }
        )
        print(f"  {label}: {rows[-1]['median']:.1f} ms", file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        f"| page | HTTP | queries | median ms | max ms | CPU ms | under {TARGET_MS} ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        ok = "yes" if row["median"] < TARGET_MS and row["status"] == 200 else "**no**"
        lines.append(
            f"| {row['label']} | {row['status']} | {row['queries']} | {row['median']:.1f} "
            f"| {row['max']:.1f} | {row['cpu']:.1f} | {ok} |"
        )
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    offerings = args.offerings or args.models * 10
    for name, value in ENV.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(ROOT))
    url = use_database(args.models)
    import django  # noqa: PLC0415 (the environment above configures it)

    django.setup()
    from django.db import connection  # noqa: PLC0415

    how = build(
        models=args.models, offerings=offerings, providers=args.providers, rebuild=args.rebuild
    )
    selected = [p for p in pages() if not args.only or args.only in p[0]]
    load_before = os.getloadavg()
    rows = time_pages(selected, runs=args.runs)
    load_after = os.getloadavg()
    print(
        f"Admin, {args.models} models / {offerings} offerings / {args.providers} providers "
        f"(catalog {how}); {connection.vendor} ({urlsplit(url).scheme}); median of "
        f"{args.runs} after a warm-up, in process; load average (1, 5, 15 min) "
        f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.2f}' for x in load_after)} after; {os.cpu_count()} CPUs."
    )
    print()
    print(table(rows))
    slow = [row["label"] for row in rows if row["median"] >= TARGET_MS or row["status"] != 200]
    if slow:
        print(f"\nOver {TARGET_MS} ms or not 200: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
