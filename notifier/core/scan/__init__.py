"""The exposure scan: what an organisation is under the Act for each of its models (not a GPAI
model, provider, provider with systemic risk, modifier who becomes the provider, downstream
provider, deployer), with reasons and citations, and its first register. Pure."""

from notifier.core.scan.answers import Answers, ModelAnswers, OrganisationAnswers, parse_answers
from notifier.core.scan.decide import ROLES, Outcome, Reason, Role, decide, scan
from notifier.core.scan.rules import ScanRules, load_scan_rules, parse_scan_rules
from notifier.core.scan.views import scan_json, scan_table

__all__ = [
    "ROLES",
    "Answers",
    "ModelAnswers",
    "OrganisationAnswers",
    "Outcome",
    "Reason",
    "Role",
    "ScanRules",
    "decide",
    "load_scan_rules",
    "parse_answers",
    "parse_scan_rules",
    "scan",
    "scan_json",
    "scan_table",
]
