"""The HTTP API under /api/v1/ (JSON, personal bearer tokens), described by the OpenAPI 3.1
document at /api/openapi.json that is generated from the same route registry."""
