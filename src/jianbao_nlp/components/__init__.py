"""Trainable and rule-based components: themes, summary, ner."""
