"""Performance evaluation (绩效评估): filled in by its chapter issue."""
