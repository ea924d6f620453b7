"""Cooperation (渠道合作): filled in by its chapter issue."""
