"""The published texts the drafts take their structure from, and where each was read (the
project's legal reference, /work/shared/legal/REFERENCE.md, source key)."""

from __future__ import annotations

from notifier.core.drafts.model import Source

AI_ACT = Source(
    "AIA",
    "Regulation (EU) 2024/1689 (AI Act), Articles 51-55, Annexes XI and XII",
    "the consolidated text, as the project's legal reference reads it (source key AIA-cons)",
)
MDF = Source(
    "CoP-T",
    "General-Purpose AI Code of Practice, Transparency chapter (10.7.2025), Measure 1.1 and its "
    "Model Documentation Form",
    "the Form's official DOCX (Model_Documentation_Form_..._118118.docx) and the chapter's text, "
    "repository lawve-ai/awesome-legal-skills, skills/ai-governance-reviewer-carl-ditzler/"
    "references/ (reference source key CoP-T)",
)
TEMPLATE = Source(
    "TPL",
    "Commission Communication C(2025) 8311 final (5.12.2025), Explanatory Notice and Template "
    "for the Public Summary of Training Content, Annex (the Template)",
    "repository gpailedger/gpai-ledger, data/captures/eu-commission__explanatory-notice-and-"
    "template/regulatory-93550183/20260811T110100Z/extracted.txt (reference source key TPL)",
)
SAFETY = Source(
    "CoP-SS",
    "General-Purpose AI Code of Practice, Safety and Security chapter (10.7.2025), Commitment 9 "
    "(Measures 9.2, 9.3, 9.4)",
    "the chapter's text, repository lawve-ai/awesome-legal-skills, skills/ai-governance-reviewer-"
    "carl-ditzler/references/working/ (reference source key CoP-SS)",
)
GUIDELINES = Source(
    "GL",
    "Commission Guidelines on the scope of the obligations for general-purpose AI models, "
    "C(2025) 5045, sections 2.3.2, 2.3.3 and Annex A.2",
    "NOT read for this draft: its points are taken from the project's legal reference (rows C4, "
    "C5, K3), which quotes them",
)
CODE_CHAPTERS = Source(
    "CoP",
    "General-Purpose AI Code of Practice (10.7.2025): Transparency (Measures 1.1-1.3), Copyright "
    "(Measures 1.1-1.5), Safety and Security (Commitments 1-10) chapters",
    "the chapters' text, repository lawve-ai/awesome-legal-skills, skills/ai-governance-reviewer-"
    "carl-ditzler/references/working/ (reference source keys CoP-T, CoP-C, CoP-SS)",
)
