"""What a register value may plausibly be, whatever its field: dates in the service's window,
numbers finite and within reason, text bounded and not blank, countries as ISO 3166-1 assigns
them. A value outside is a typo, and a typo must not become a deadline. Pure."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from notifier.core.days import date_problem

# ISO 3166-1 alpha-2, the officially assigned codes (249).
ISO_3166_1 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - a table of codes, kept readable
)
# Codes people write for a country whose ISO code differs (the EU's own codes, old habits).
ISO_HINTS = {"EL": ("GR", "the EU's code for Greece"), "UK": ("GB", "the United Kingdom")}

# Upper bounds of the numbers a register holds: far above any real value, far below overflow.
NUMBER_LIMITS = {
    "annual_turnover_eur": 1e13,  # EUR 10 trillion: above any company's turnover
    "training_compute_flop": 1e32,
    "base_compute_flop": 1e32,
    "modification_compute_flop": 1e32,
}
ID_FIELDS = frozenset({"id", "owners", "contacts", "admins", "version_of"})
MAX_ID_LENGTH = 64  # item ids, file names and URLs are built from ids
MAX_TEXT_LENGTH = 300


def value_problem(field: str, value: Any) -> str | None:
    """Why `value` cannot be right for `field`, or None. Type errors are pydantic's business."""
    if isinstance(value, date):
        problem = date_problem(value)
        return f"{problem}; check the year" if problem else None
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _number_problem(field, float(value))
    if isinstance(value, str):
        return _text_problem(field, value)
    if isinstance(value, list | tuple) and field in ID_FIELDS:
        found = (_text_problem(field, item) for item in value if isinstance(item, str))
        return next((problem for problem in found if problem), None)
    return None


def _number_problem(field: str, value: float) -> str | None:
    if not math.isfinite(value):
        return "must be a finite number"
    limit = NUMBER_LIMITS.get(field)
    if limit is not None and value > limit:
        return f"{value:g} is implausibly large (at most {limit:g}); check the exponent"
    return None


def _text_problem(field: str, value: str) -> str | None:
    if field == "established_in":
        return country_problem(value)
    if value and not value.strip():
        return "must not be blank"
    limit = MAX_ID_LENGTH if field in ID_FIELDS else MAX_TEXT_LENGTH
    if len(value) > limit:
        return f"is {len(value)} characters long; at most {limit}"
    return None


def country_problem(code: str) -> str | None:
    if code in ISO_3166_1:
        return None
    if code in ISO_HINTS:
        iso, what = ISO_HINTS[code]
        return f'found "{code}" ({what}), expected its ISO 3166-1 alpha-2 code "{iso}"'
    return f'found "{code}", expected an ISO 3166-1 alpha-2 code such as "FR"'
