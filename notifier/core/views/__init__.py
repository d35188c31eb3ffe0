"""Renderings of a timeline for people and programs: the terminal text and the JSON contract."""
