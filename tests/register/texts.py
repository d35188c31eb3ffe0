"""Register text shared by the register tests; line numbers in assertions depend on it."""

# 16 lines: an organisation that signed every chapter and one person, 'legal'.
HEAD = """\
[organisation]
name = "Test AI"
established_in = "FR"
timezone = "Europe/Paris"
contacts = ["legal"]

[organisation.code_of_practice]
transparency = "signed"
copyright = "signed"
safety_and_security = "signed"
version_reviewed = 2025-07-10

[[people]]
id = "legal"
name = "Ana Example"
email = "legal@example.com"
"""
