"""A JSON Schema of the fact-sheet format, for editors that validate YAML as it is typed.

The schema catches shape errors (unknown fields, unknown metrics, malformed
periods and units); the loader still checks what a schema cannot (sources that
exist, segments that are declared, periods that fit the metric, conflicts).
"""

from __future__ import annotations

import re
from typing import Any

from minimetrics.factsheet import MAX_ALIASES, TEXT_LIMITS
from minimetrics.registry import (
    BASES,
    CURRENCIES,
    CURRENCY_ALIASES,
    DURATION_UNITS,
    FIRST_YEAR,
    INFERENCES,
    LAST_YEAR,
    METRICS,
    OUTLOOKS,
    PERIOD_PATTERN,
    QUALIFIERS,
    SCALES,
    SOURCE_KINDS,
    Family,
)

_DATE = r"\d{4}-\d{2}-\d{2}"
# Text as an editor's YAML 1.2 parser may read it. The loader takes any scalar as text
# (``founded: 2019``, ``note: 2024``, ``title: true`` are text to it), while a YAML 1.2
# parser reads plain 2019 as a number, true as a boolean and null or ~ as null: the schema
# accepts all of them, so an editor never flags a sheet the loader reads.
_TEXT: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}


def _unit_pattern() -> str:
    currencies = "|".join([*CURRENCIES, *CURRENCY_ALIASES])
    scales = "|".join(re.escape(s) for s in SCALES if s)
    money = rf"({currencies})( ({scales}))?( per (month|share|user))?"
    durations = "|".join(DURATION_UNITS)
    return rf"^(percent|%|times|(count|{durations})( ({scales}))?|{money})$"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a company fact sheet."""
    metric_names = "|".join(sorted(METRICS))
    # A slug of digits only (a source id 20260109) is a number to a YAML 1.2 parser.
    slug = {"anyOf": [{"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}, {"type": "integer", "minimum": 0}]}
    date = {"type": "string", "format": "date", "pattern": f"^{_DATE}$"}
    # A report of a figure; a range is ``value: [low, high]`` with ``qualifier: range``, and
    # a list value with any other qualifier (or a range with one value) is refused.
    common = {
        "source": slug,
        "note": _TEXT,
        "outlook": {"enum": list(OUTLOOKS), "description": "a forecast, target, plan or estimate: never a result"},
        "period_inferred": {
            "enum": list(INFERENCES),
            "description": "how the period was inferred where the source does not state it",
        },
    }
    report = {
        "type": "object",
        "additionalProperties": False,
        "required": ["value", "source"],
        "properties": {
            "value": {
                "oneOf": [
                    {"type": "number"},
                    {"const": "not disclosed"},
                    {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                ]
            },
            "unit": {"type": "string", "pattern": _unit_pattern(), "examples": ["USD million", "RMB 億", "percent"]},
            "qualifier": {"enum": list(QUALIFIERS)},
            "basis": {"enum": list(BASES)},
            "crosscheck_note": _TEXT,
            "preferred_because": {
                **_TEXT,
                "description": "a reviewer's reason to show this report where sources of equal rank disagree",
            },
            **common,
        },
        "if": {"properties": {"value": {"type": "array"}}, "required": ["value"]},
        "then": {"required": ["qualifier"], "properties": {"qualifier": {"const": "range"}}},
        "else": {"properties": {"qualifier": {"not": {"const": "range"}}}},
    }
    event_report = {
        "type": "object",
        "additionalProperties": False,
        "required": ["source"],
        "properties": {"preferred_because": _TEXT, **common},
    }
    event_names = "|".join(sorted(m.name for m in METRICS.values() if m.family is Family.NONE))
    segment = {
        "oneOf": [
            _TEXT,
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {"name": _TEXT, "group": slug, "parent": slug},
            },
        ]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "minimetrics fact sheet",
        "type": "object",
        "additionalProperties": False,
        "required": ["company", "sources", "facts"],
        "properties": {
            "company": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "name", "native_name", "currency", "fiscal_year_end"],
                "properties": {
                    "id": slug,
                    "name": _TEXT,
                    "native_name": _TEXT,
                    "legal_name": _TEXT,
                    "aliases": {
                        "type": "array",
                        "items": {**_TEXT, "maxLength": TEXT_LIMITS["alias"]},
                        "maxItems": MAX_ALIASES,
                        "uniqueItems": True,
                        "description": "other names the sources use for the company, to find it by",
                    },
                    "tickers": {  # optional: a company that is not listed has none
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "pattern": r"^[0-9A-Z]{1,6}\.[A-Z]{1,4}$"},
                    },
                    "founded": {  # a bare year is a number to a YAML 1.2 parser
                        "anyOf": [
                            {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                            {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                        ]
                    },
                    "listed": date,
                    "currency": {"enum": [*CURRENCIES, *CURRENCY_ALIASES]},
                    "fiscal_year_end": {"type": "string", "pattern": r"^\d{2}-\d{2}$"},
                    "segments": {"type": "object", "propertyNames": slug, "additionalProperties": segment},
                },
            },
            "sources": {
                "type": "object",
                "propertyNames": slug,
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["outlet", "title", "published", "kind", "rank"],
                    "properties": {
                        "outlet": _TEXT,
                        "title": _TEXT,
                        "published": date,
                        "published_inferred": {
                            "enum": list(INFERENCES),
                            "description": "how the date was inferred where the source does not state it",
                        },
                        "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
                        "kind": {"enum": list(SOURCE_KINDS)},
                        "rank": {"type": "integer", "minimum": 1, "maximum": 9},
                        "file": _TEXT,
                        "note": _TEXT,
                    },
                },
            },
            "facts": {
                "type": "object",
                "propertyNames": {"pattern": rf"^({metric_names})(\[[a-z0-9][a-z0-9_-]*\])?$"},
                "patternProperties": {
                    rf"^({event_names})(\[[a-z0-9][a-z0-9_-]*\])?$": {
                        "type": "object",
                        "propertyNames": {"pattern": PERIOD_PATTERN},
                        "additionalProperties": {
                            "oneOf": [event_report, {"type": "array", "minItems": 1, "items": event_report}]
                        },
                    }
                },
                "additionalProperties": {
                    "type": "object",
                    "propertyNames": {"pattern": PERIOD_PATTERN},
                    "additionalProperties": {"oneOf": [report, {"type": "array", "minItems": 1, "items": report}]},
                },
                "description": "metric or metric[segment] → period → report(s). Metrics: "
                + "; ".join(f"{m.name} ({m.kind.value}, {m.family.value}): {m.definition}" for m in METRICS.values()),
            },
        },
    }
