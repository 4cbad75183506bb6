"""Build the POST an editor's browser would send from an admin change page."""


def _field_value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        value = _field_value(bound)
        widget_name = bound.html_name
        if hasattr(bound.field.widget, "widgets"):  # MultiWidget (split datetime)
            continue
        if value == "" and getattr(bound.field.widget, "input_type", None) == "checkbox":
            continue
        data[widget_name] = value
    return data


def change_form_data(response) -> dict:
    """Every field of the main form and its inlines, as currently rendered."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", ()):  # none on a revert page
        formset = inline.formset
        management = formset.management_form
        for bound in management:
            data[bound.html_name] = _field_value(bound)
        for form in formset.forms:
            data.update(_form_data(form))
    return {k: v for k, v in data.items() if v is not None}
