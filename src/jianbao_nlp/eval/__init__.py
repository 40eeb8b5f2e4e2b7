"""Evaluation helpers shared by the per-task evaluators."""
