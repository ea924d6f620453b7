"""Training (渠道培训): filled in by its chapter issue."""
