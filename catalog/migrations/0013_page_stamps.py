from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery

BUYABLE = ("preview", "ga")  # catalog.models.BUYABLE_LIFECYCLES when this was written


def store_cheapest_inputs(apps, schema_editor):
    """catalog.page_stamps.refresh_cheapest_inputs, as of this migration."""
    LanguageModel = apps.get_model("catalog", "LanguageModel")
    Offering = apps.get_model("catalog", "Offering")
    cheapest = Subquery(
        Offering.objects.filter(
            lifecycle__in=BUYABLE, model=OuterRef("pk"), current_price__isnull=False
        )
        .order_by()
        .values("model")
        .annotate(cheapest=Min("current_price__input"))
        .values("cheapest"),
        output_field=models.DecimalField(max_digits=12, decimal_places=6),
    )
    LanguageModel.objects.update(cheapest_input_stored=cheapest)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_import_jobs")]

    operations = [
        migrations.AddField(
            model_name="languagemodel",
            name="cheapest_input_stored",
            field=models.DecimalField(
                db_index=True, decimal_places=6, editable=False, max_digits=12, null=True
            ),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="scores_changed_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(store_cheapest_inputs, migrations.RunPython.noop),
    ]
