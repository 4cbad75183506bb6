"""Forms of the comparisons pages (the workload form lives in calculator.py)."""

from django import forms


class PairPickerForm(forms.Form):
    a = forms.ChoiceField(label="First model")
    b = forms.ChoiceField(label="Second model")

    def __init__(self, *args, choices, **kwargs):
        """`choices`: the models grouped by maker, [(maker, [(slug, name), ...]), ...]."""
        super().__init__(*args, **kwargs)
        self.groups = choices
        options = [("", "Choose a model"), *choices]
        self.fields["a"].choices = options
        self.fields["b"].choices = options

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise forms.ValidationError("Pick two different models: a model equals itself.")
        return cleaned
