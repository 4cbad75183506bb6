"""Forms of the comparisons pages (the workload form lives in calculator.py)."""

from django import forms

MOST_MODELS = 4


class PairPickerForm(forms.Form):
    a = forms.ChoiceField(label="First model")
    b = forms.ChoiceField(label="Second model")
    c = forms.ChoiceField(label="Third model (optional)", required=False)
    d = forms.ChoiceField(label="Fourth model (optional)", required=False)

    def __init__(self, *args, choices, **kwargs):
        """`choices`: the models grouped by maker, [(maker, [(slug, name), ...]), ...]."""
        super().__init__(*args, **kwargs)
        self.groups = choices
        options = [("", "Choose a model"), *choices]
        for name in ("a", "b", "c", "d"):
            self.fields[name].choices = options

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise forms.ValidationError("Pick two different models: a model equals itself.")
        slugs = self.slugs()
        if len(set(slugs)) != len(slugs):
            raise forms.ValidationError("Pick each model only once.")
        return cleaned

    def slugs(self) -> list[str]:
        """The chosen models, first to fourth, without the empty optional ones."""
        return [self.cleaned_data[n] for n in ("a", "b", "c", "d") if self.cleaned_data.get(n)]


class TickedModelsField(forms.MultipleChoiceField):
    """Slugs ticked; the empty value the form always sends (so that a press with nothing
    ticked still reaches the page that says so) is not one."""

    def to_python(self, value) -> list[str]:
        return [slug for slug in super().to_python(value) if slug]


class ModelSelectionForm(forms.Form):
    """The models ticked on the models list: `?m=<slug>&m=<slug>...`, two to four."""

    m = TickedModelsField(error_messages={"required": "Tick two to four models to compare."})

    def __init__(self, *args, choices, **kwargs):
        """`choices`: as `PairPickerForm`'s."""
        super().__init__(*args, **kwargs)
        self.fields["m"].choices = choices

    def clean_m(self) -> list[str]:
        slugs = self.cleaned_data["m"]
        if len(set(slugs)) != len(slugs):
            raise forms.ValidationError("Tick each model only once.")
        if len(slugs) < 2:
            raise forms.ValidationError("Tick at least two models to compare: you ticked one.")
        if len(slugs) > MOST_MODELS:
            raise forms.ValidationError(
                f"Compare at most {MOST_MODELS} models at a time: you ticked {len(slugs)}."
            )
        return slugs
