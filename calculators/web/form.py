"""Form fields described once: rendered to HTML, parsed from the browser's strings."""

from dataclasses import dataclass
from typing import Any

from .. import inputs
from ..errors import InputError
from . import markup


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # the engine parameter it feeds (also the HTML name)
    label: str
    kind: str = "number"  # number | select | textarea | text
    default: str = ""
    unit: str = ""
    percent: bool = False  # entered in percent, divided by 100 on the way to the engine
    max_percent: float = 100.0  # a percent field's upper bound, excluded (volatility may exceed 100 %)
    options: tuple = ()  # (value, label) pairs for selects
    help: str = ""
    optional: bool = False
    group: str = "main"


def defaults(fields) -> dict[str, str]:
    """Each field's default value, as the browser would send it untouched."""
    return {f.name: f.default for f in fields}


def render_fields(prefix: str, fields, values: dict, groups: dict[str, str]) -> str:
    """Fields grouped in fieldsets; `groups` maps a group key to its legend (order kept).
    A legend starting with '+' is rendered inside a collapsed <details> ("More inputs")."""
    parts = []
    for key, legend in groups.items():
        members = [f for f in fields if f.group == key]
        if not members:
            continue
        body = "".join(_field(prefix, f, values.get(f.name, f.default)) for f in members)
        if legend.startswith("+"):
            parts.append(
                f'<details class="more-inputs"><summary>{markup.escape(legend[1:])}</summary>'
                f'<fieldset><legend class="visually-hidden">{markup.escape(legend[1:])}</legend>'
                f"{body}</fieldset></details>"
            )
        else:
            parts.append(f"<fieldset><legend>{markup.escape(legend)}</legend>{body}</fieldset>")
    return "".join(parts)


def _field(prefix: str, f: Field, value) -> str:
    fid = f"{prefix}-{f.name}"
    value = "" if value is None else str(value)
    unit = f' <span class="unit">({markup.escape(f.unit)})</span>' if f.unit else ""
    optional = ' <span class="optional">optional</span>' if f.optional else ""
    described = f"{fid}-error" + (f" {fid}-help" if f.help else "")
    common = f'id="{fid}" name="{f.name}" aria-describedby="{described}"'
    if f.percent:
        common += ' data-unit="percent"'
    if f.kind == "select":
        options = "".join(
            f'<option value="{markup.escape(v)}"{" selected" if v == value else ""}>{markup.escape(label)}</option>'
            for v, label in f.options
        )
        control = f"<select {common}>{options}</select>"
    elif f.kind == "textarea":
        control = f'<textarea {common} rows="2" maxlength="500">{markup.escape(value)}</textarea>'
    else:
        mode = ' inputmode="decimal"' if f.kind == "number" else ""
        control = (
            f'<input {common} type="text"{mode} autocomplete="off" spellcheck="false" value="{markup.escape(value)}">'
        )
    help_text = f'<p class="field-help" id="{fid}-help">{markup.escape(f.help)}</p>' if f.help else ""
    return (
        f'<div class="field field-{f.kind}" data-field="{f.name}">'
        f'<label for="{fid}">{markup.escape(f.label)}{unit}{optional}</label>'
        f"{control}{help_text}"
        f'<p class="field-error" id="{fid}-error" data-error-for="{f.name}" aria-live="polite"></p></div>'
    )


def clean(values) -> dict[str, str]:
    """Only strings, trimmed and capped: whatever the browser or a shared link sent."""
    if not isinstance(values, dict):
        return {}
    out = {}
    for key, value in values.items():
        if isinstance(key, str) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            out[key[:64]] = str(value)[:2000]
    return out


def parse(fields, values: dict) -> tuple[dict[str, Any], dict[str, str]]:
    """(engine keyword arguments, {field: message}) from raw strings. Empty optional fields are
    left out so the engine applies its own defaults."""
    # Any, not str | float: each value's type follows its field's kind (a float for a number field,
    # a str otherwise), which one dict type cannot say per key; the widgets do arithmetic on the
    # number fields they know, and the engine checks every value again.
    kwargs: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = values.get(f.name, f.default)
        raw = "" if raw is None else str(raw).strip()
        if raw == "":
            if not f.optional and f.kind != "textarea":
                errors[f.name] = f"{f.label} is empty: enter a value."
            continue
        if f.kind == "select":
            allowed = [v for v, _ in f.options]
            if raw not in allowed:
                errors[f.name] = f"Choose one of the listed options for {f.label.lower()}."
                continue
            kwargs[f.name] = raw
        elif f.kind == "number":
            try:
                number = inputs.number(f.name, raw.replace(",", "") if _grouped(raw) else raw)
            except InputError as error:
                errors[f.name] = error.message
                continue
            if f.percent:
                if not 0 <= number < f.max_percent:
                    errors[f.name] = (
                        f"{f.label} is in percent: enter a value from 0 up to (not including) {f.max_percent:g}."
                    )
                    continue
                number = number / 100
            kwargs[f.name] = number
        else:
            kwargs[f.name] = raw
    return kwargs, errors


def _grouped(text: str) -> bool:
    """'60,000' or '1,234.5': thousands separators a trader may type; '1,5' is not accepted."""
    head, _, _ = text.partition(".")
    groups = head.lstrip("+-").split(",")
    return len(groups) > 1 and groups[0].isdigit() and all(len(g) == 3 and g.isdigit() for g in groups[1:])


def all_errors(compute_once, fields, values: dict):
    """Run `compute_once(values) -> (answer, errors)` until every faulty field has spoken.

    The engine stops at its first complaint, so a shared link with three bad values would show
    one error at a time. Each round puts the fields already reported back to their defaults and
    asks again; the visitor sees every field error together.
    """
    initial = defaults(fields)
    trial = dict(values)
    errors: dict[str, str] = {}
    for _ in range(len(fields) + 1):
        answer, new = compute_once(trial)
        if not new:
            return (answer, {}) if not errors else (None, errors)
        fresh = {k: v for k, v in new.items() if k not in errors}
        errors.update(fresh)
        retry = [k for k in fresh if k in initial and trial.get(k) != initial[k]]
        if not retry:
            break
        for name in retry:
            trial[name] = initial[name]
    return None, errors
