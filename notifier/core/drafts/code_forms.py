"""What the Act and the Code ask of an Art 52(1) notification and of an alternative-adequate-
means record, as data with citations (see sources.py for where each text was read)."""

from __future__ import annotations

from notifier.core.register import Chapter

# Art 52(1): notify "without delay and in any event within two weeks after that requirement is
# met or it becomes known that it will be met"; the notification "shall include the information
# necessary to demonstrate that the relevant requirement has been met". GL §2.3.2 (via the
# reference, row C4): may be due before training completes; the compute estimate in FLOP with
# two significant figures, with its method.
NOTIFICATION_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("Provider", "the provider notifying, with its contact details", "AI Act Art 52(1)"),
    ("Model", "the general-purpose AI model concerned", "AI Act Art 52(1)"),
    (
        "Condition met",
        "that the model meets the condition of Art 51(1)(a) (high-impact "
        "capabilities), presumed when the cumulative training compute is above 10^25 FLOP",
        "AI Act Art 51(1)(a), 51(2), 52(1)",
    ),
    (
        "When it was met or became known",
        "the day the requirement was met or it became known "
        "that it will be met: the two-week period runs from it",
        "AI Act Art 52(1)",
    ),
    (
        "Training compute",
        "the (estimated) cumulative training compute in FLOP, with two significant figures",
        "Guidelines C(2025) 5045 §2.3.2, Annex A.2 (via reference row C4)",
    ),
    (
        "Estimation method",
        "how the compute was measured or estimated (accuracy within ±30 % for an estimate)",
        "Guidelines C(2025) 5045 Annex A.2 (via reference row C4)",
    ),
    (
        "Information demonstrating it",
        "the information necessary to demonstrate that the requirement has been met",
        "AI Act Art 52(1)",
    ),
)
ARGUMENT_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        "Specific characteristics",
        "the model's specific characteristics because of which, "
        "exceptionally, it does not present systemic risks although it meets the requirement",
        "AI Act Art 52(2)",
    ),
    (
        "Substantiation",
        "the evidence making the arguments sufficiently substantiated (the "
        "Commission rejects arguments that are not)",
        "AI Act Art 52(2), 52(3)",
    ),
    (
        "Duties meanwhile",
        "presenting arguments does not suspend the systemic-risk obligations; "
        "on acceptance they cease when the provider is informed of the decision",
        "Guidelines C(2025) 5045 §2.3.3 (via reference rows C5, K3)",
    ),
)

# Art 53(4), 55(2): without the Code (or a harmonised standard), providers "shall demonstrate
# alternative adequate means of compliance for assessment by the Commission".
ALTERNATIVE: dict[Chapter, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "transparency": (
        (
            "AI Act Art 53(1)(a): technical documentation of the model, at least Annex XI, drawn "
            "up and kept up to date, for the AI Office and national competent authorities on "
            "request",
            "AI Act Art 53(1)(b): information and documentation for downstream providers, at "
            "least Annex XII, kept up to date",
        ),
        (
            "Transparency Measure 1.1: drawing up and keeping up-to-date model documentation "
            "(the Model Documentation Form's information; previous versions kept 10 years)",
            "Transparency Measure 1.2: providing relevant information (to the AI Office, "
            "national competent authorities and downstream providers)",
            "Transparency Measure 1.3: ensuring quality, integrity, and security of information",
        ),
    ),
    "copyright": (
        (
            "AI Act Art 53(1)(c): a policy to comply with Union copyright law, in particular to "
            "identify and comply with rights reservations under Art 4(3) of Directive (EU) "
            "2019/790",
        ),
        (
            "Copyright Measure 1.1: draw up, keep up-to-date and implement a copyright policy",
            "Copyright Measure 1.2: reproduce and extract only lawfully accessible "
            "copyright-protected content",
            "Copyright Measure 1.3: identify and comply with rights reservations when crawling",
            "Copyright Measure 1.4: mitigate the risk of copyright-infringing outputs",
            "Copyright Measure 1.5: designate a point of contact and enable complaints",
        ),
    ),
    "safety_and_security": (
        (
            "AI Act Art 55(1)(a): model evaluation incl. adversarial testing",
            "AI Act Art 55(1)(b): assessment and mitigation of systemic risks at Union level",
            "AI Act Art 55(1)(c): tracking, documenting and reporting serious incidents and "
            "corrective measures without undue delay",
            "AI Act Art 55(1)(d): adequate cybersecurity protection",
        ),
        (
            "Safety and Security Commitment 1: Safety and Security Framework (Measures 1.1-1.4)",
            "Commitments 2-4: systemic risk identification, analysis and acceptance",
            "Commitments 5-6: safety and security mitigations",
            "Commitment 7: Safety and Security Model Reports",
            "Commitment 8: systemic risk responsibility allocation",
            "Commitment 9: serious incident reporting (Measures 9.1-9.4)",
            "Commitment 10: additional documentation and transparency",
        ),
    ),
}
