"""Recruitment (渠道招募): filled in by its chapter issue."""
