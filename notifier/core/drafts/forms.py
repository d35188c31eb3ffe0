"""The published forms as data. Each entry: (label, what the text asks, citation, audiences).

The Model Documentation Form: its sections, items and audience crosses (AIO = AI Office, NCAs =
national competent authorities, DPs = downstream providers) as the Form's official DOCX has them
(Transparency chapter, 10.7.2025). Where an item has two rows with different audiences (e.g. an
exact figure for the AI Office, a range for the others), both rows are kept.

The Template for the Public Summary of Training Content: the Annex of C(2025) 8311 final, its
sections 1.1-3.3 and their fields.
"""

from __future__ import annotations

AIO, NCA, DP = "AI Office", "national competent authorities", "downstream providers"
ALL = (AIO, NCA, DP)

FormItem = tuple[str, str, tuple[str, ...]]
FormSection = tuple[str, tuple[FormItem, ...]]

MDF_CITE = "Model Documentation Form, Transparency chapter, Measure 1.1"
MDF_SECTIONS: tuple[FormSection, ...] = (
    (
        "General information",
        (
            ("Legal name for the model provider", "the provider's legal name", ALL),
            (
                "Model name",
                "the unique identifier for the model, incl. the identifier for the "
                "collection of models where applicable, and the names of the publicly available "
                "versions covered",
                ALL,
            ),
            (
                "Model authenticity",
                "evidence of the model's provenance and authenticity (e.g. a "
                "secure hash if binaries are distributed, or the URL endpoint of a service), where "
                "available",
                (AIO, NCA),
            ),
            (
                "Release date",
                "date when the model was first released through any distribution channel",
                ALL,
            ),
            (
                "Union market release date",
                "date when the model was placed on the Union market",
                ALL,
            ),
            (
                "Model dependencies",
                "if the model results from a modification or fine-tuning of "
                "general-purpose AI models placed on the market, their names (and versions); "
                "otherwise 'N/A'",
                ALL,
            ),
        ),
    ),
    (
        "Model properties",
        (
            (
                "Model architecture",
                "a general description of the model architecture [recommended 20 words]",
                ALL,
            ),
            (
                "Design specifications of the model",
                "the key design specifications, incl. "
                "rationale and assumptions [recommended 100 words]",
                (AIO, NCA),
            ),
            (
                "Input modalities",
                "text, images, audio, video, other; and per modality the "
                "maximum input size or 'N/A'",
                ALL,
            ),
            (
                "Output modalities",
                "text, images, audio, video, other; and per modality the "
                "maximum output size or 'N/A'",
                ALL,
            ),
            (
                "Total model size (exact)",
                "the total number of parameters, with at least two significant figures",
                (AIO,),
            ),
            (
                "Total model size (range)",
                "the range of the number of parameters (1-500M ... >1T)",
                (NCA, DP),
            ),
        ),
    ),
    (
        "Methods of distribution and licenses",
        (
            (
                "Distribution channels (Union market)",
                "the methods of distribution in the Union "
                "market, with a link to access information and the level of model access",
                (AIO, NCA),
            ),
            (
                "Distribution channels (downstream)",
                "the methods through which the model can be made available to downstream providers",
                (DP,),
            ),
            ("License (link)", "a link to the model license(s), or that none exists", (AIO, NCA)),
            (
                "License (type)",
                "the type or category of licence(s) for downstream providers; "
                "without a license, how access is provided (e.g. terms of service)",
                (DP,),
            ),
            (
                "Additional assets",
                "assets made available with the model (training data, code, "
                "...), how each is accessed and under which license",
                (AIO, DP),
            ),
        ),
    ),
    (
        "Use",
        (
            (
                "Acceptable Use Policy",
                "a link to (or copy of) the acceptable use policy, or that none exists",
                ALL,
            ),
            (
                "Intended uses",
                "the intended uses, or the restricted and/or prohibited uses "
                "[recommended 200 words]",
                ALL,
            ),
            (
                "Type and nature of AI systems",
                "the AI systems the model can (or should not) be "
                "integrated into [recommended up to 300 words]",
                ALL,
            ),
            (
                "Technical means for model integration",
                "instructions for use, infrastructure, tools [recommended 100 words]",
                (DP,),
            ),
            (
                "Required hardware",
                "hardware (with version) required to use the model, or 'N/A'",
                (DP,),
            ),
            (
                "Required software",
                "software (with version) required to use the model, or 'N/A'",
                (DP,),
            ),
        ),
    ),
    (
        "Training process",
        (
            (
                "Design specifications of the training process",
                "the main steps or stages of "
                "training, methodologies, key design choices, assumptions, what the model "
                "optimises for [recommended 400 words]",
                (AIO, NCA),
            ),
            (
                "Decision rationale",
                "how and why key design choices were made [recommended 200 words]",
                (AIO, NCA),
            ),
        ),
    ),
    (
        "Information on the data used for training, testing, and validation",
        (
            ("Data type/modality", "text, images, audio, video, other", ALL),
            (
                "Data provenance",
                "web crawling, private third-party datasets, user data, publicly "
                "available datasets, data collected through other means, synthetic data (as the "
                "Public Summary Template defines them)",
                ALL,
            ),
            (
                "How data was obtained and selected",
                "methods to obtain, select and annotate data, "
                "and to generate synthetic data; how rights to third-party data were obtained "
                "[recommended 300 words]",
                (AIO, NCA),
            ),
            (
                "Number of data points (order)",
                "size of training, testing and validation data "
                "with its unit, at least one significant figure",
                (NCA,),
            ),
            (
                "Number of data points (exact)",
                "the same with at least two significant figures",
                (AIO,),
            ),
            (
                "Scope and main characteristics",
                "domain, geography, language, modality coverage [recommended 200 words]",
                (AIO, NCA),
            ),
            (
                "Data curation methodologies",
                "cleaning, normalisation, augmentation [recommended 300 words]",
                ALL,
            ),
            (
                "Measures to detect unsuitability of data sources",
                "incl. illegal content, CSAM, "
                "NCII, personal data unlawfully processed [recommended 400 words]",
                (AIO, NCA),
            ),
            ("Measures to detect identifiable biases", "[recommended 200 words]", (AIO, NCA)),
        ),
    ),
    (
        "Computational resources (during training)",
        (
            (
                "Training time (range)",
                "the period measured and its range (<1 month, 1-3, 3-6, >6 months)",
                (NCA,),
            ),
            (
                "Training time (exact)",
                "the period measured, in wall-clock days and hardware "
                "days, at least one significant figure",
                (AIO,),
            ),
            (
                "Amount of computation used for training (order)",
                "in floating point operations, to its order of magnitude",
                (NCA,),
            ),
            (
                "Amount of computation used for training (exact)",
                "in operations, at least two significant figures",
                (AIO,),
            ),
            (
                "Measurement methodology (computation)",
                "how the amount was measured or estimated (no delegated act under Art 53(5) yet)",
                (AIO, NCA),
            ),
        ),
    ),
    (
        "Energy consumption (during training and inference)",
        (
            (
                "Amount of energy used for training",
                "in MWh, at least two significant figures, "
                "or 'N/A' when a compute or hardware provider's information is lacking",
                (AIO, NCA),
            ),
            (
                "Measurement methodology (energy)",
                "how it was measured or estimated; what "
                "information is lacking [recommended 100 words]",
                (AIO, NCA),
            ),
            (
                "Benchmarked amount of computation used for inference",
                "in floating point operations, at least two significant figures",
                (AIO, NCA),
            ),
            (
                "Measurement methodology (inference)",
                "the computational task and hardware used",
                (AIO, NCA),
            ),
        ),
    ),
)

TPL_CITE = "Template for the Public Summary of Training Content, C(2025) 8311 final, Annex"
TemplateItem = tuple[str, str]
TEMPLATE_SECTIONS: tuple[tuple[str, tuple[TemplateItem, ...]], ...] = (
    (
        "Version and last update",
        (
            ("Version of the Summary", "version, with links to previous versions where applicable"),
            ("Last update", "DD/MM/YY"),
        ),
    ),
    (
        "1.1 Provider identification",
        (
            ("Provider name and contact details", ""),
            (
                "Authorised representative name and contact details",
                "only if the provider is established outside the Union (Art 54 AI Act)",
            ),
        ),
    ),
    (
        "1.2 Model identification",
        (
            (
                "Versioned model name(s)",
                "the unique identifier(s) of the model(s) or versions "
                "covered (point 30 of the Explanatory Notice)",
            ),
            ("Model dependencies", "models modified or fine-tuned, with links to their Summaries"),
            ("Date of placement of the model on the Union market", ""),
        ),
    ),
    (
        "1.3 Modalities, overall training data size and other characteristics",
        (
            (
                "Modalities, training data size and types of content",
                "per modality (text, image, "
                "audio, video, other): the size range and a general description of the content",
            ),
            (
                "Latest date of data acquisition/collection for model training",
                "MM/YYYY; whether the model is continuously trained on new data after it",
            ),
            (
                "Linguistic characteristics of the overall training data",
                "languages, in particular EU official languages",
            ),
            (
                "Other relevant characteristics of the overall training data",
                "e.g. national, regional or demographic specificities",
            ),
        ),
    ),
    (
        "2.1 Publicly available datasets",
        (
            ("Publicly available datasets used (yes/no) and modalities", ""),
            (
                "List of large publicly available datasets",
                "each over 3 % of the size of all public "
                "datasets for a modality: name and link, or description",
            ),
            ("General description of other publicly available datasets", ""),
        ),
    ),
    (
        "2.2 Private non-publicly available datasets obtained from third parties",
        (
            ("2.2.1 Datasets commercially licensed by rightsholders (yes/no) and modalities", ""),
            (
                "2.2.2 Private datasets from other third parties (yes/no), modalities, list if "
                "publicly known, general description",
                "",
            ),
        ),
    ),
    (
        "2.3 Data crawled and scraped from online sources",
        (
            (
                "Crawlers used (yes/no), names, purposes and behaviour",
                "incl. robots.txt and other protocols, captchas, paywalls",
            ),
            ("Period of data collection", "from MM/YYYY to MM/YYYY"),
            ("Comprehensive description of the content and online sources crawled", ""),
            (
                "Summary of the most relevant domain names crawled",
                "top 10 % of domain names by "
                "size (SMEs: top 5 % or 1,000 domains, whichever is lower)",
            ),
        ),
    ),
    (
        "2.4 User data",
        (
            ("User interactions with the model used for training (yes/no)", ""),
            (
                "User data from the provider's other services or products (yes/no), which "
                "services, modalities",
                "",
            ),
        ),
    ),
    (
        "2.5 Synthetic data",
        (
            ("Synthetic AI-generated data created to train the model (yes/no), modalities", ""),
            (
                "Models used to generate it (on the market, with their Summaries; or other models)",
                "",
            ),
        ),
    ),
    (
        "2.6 Other sources of data",
        (("Other data sources (yes/no) and a narrative description", ""),),
    ),
    (
        "3.1 Respect of reservation of rights from the text and data mining exception",
        (
            ("Signatory to the Code of Practice with commitments on TDM reservations (yes/no)", ""),
            (
                "Measures to respect reservations of rights before and during data collection",
                "incl. the opt-out protocols honoured",
            ),
        ),
    ),
    (
        "3.2 Removal of illegal content",
        (
            (
                "General description of measures taken",
                "e.g. blacklists, keywords, model-based classifiers",
            ),
        ),
    ),
    (
        "3.3 Other information (optional)",
        (("Other relevant information about data processing", "optional"),),
    ),
)

INCIDENT_CITE = "Code of Practice, Safety and Security chapter, Measure 9.2"
# Measure 9.2 points (1)-(9); the initial report gives (1)-(7) (Measure 9.3).
INCIDENT_POINTS: tuple[tuple[str, str], ...] = (
    (
        "(1) Start and end dates",
        "the start and end dates of the serious incident, or best "
        "approximations if the precise dates are unclear",
    ),
    ("(2) Harm and affected", "the resulting harm and the victim or affected group"),
    ("(3) Chain of events", "the chain of events that (directly or indirectly) led to it"),
    ("(4) Model involved", "the model involved in the serious incident"),
    (
        "(5) Material on the model's involvement",
        "a description of material available setting out the model's involvement",
    ),
    ("(6) Response", "what, if anything, the Signatory intends to do or has done in response"),
    (
        "(7) Recommendations to the authorities",
        "what, if anything, the Signatory recommends the "
        "AI Office and, as applicable, national competent authorities to do",
    ),
    (
        "(8) Root cause analysis",
        "the model's outputs that led to it and the factors that "
        "contributed to their generation, incl. inputs and failures or circumventions of "
        "mitigations",
    ),
    (
        "(9) Related patterns",
        "patterns detected in post-market monitoring (Measure 3.5) that can "
        "reasonably be assumed connected, e.g. data on near misses",
    ),
)
