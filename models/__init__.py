"""Data-only package: the shipped default model and its card (installed as filter.models)."""
