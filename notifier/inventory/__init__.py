"""Bring the inventory you have: models read from Hugging Face model cards and from a CSV
inventory, as the scan's answers. Every imported value is marked with where it came from, and
what a source does not say stays unknown for the user to fill (the scan lists it)."""

from notifier.inventory.csv_inventory import read_csv_inventory
from notifier.inventory.model_cards import read_model_card

__all__ = ["read_csv_inventory", "read_model_card"]
