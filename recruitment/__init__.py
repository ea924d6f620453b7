"""Recruitment (渠道招募): plans, campaigns, applications, scored evaluation, approval chain, onboarding.

Start reading at ``models.py`` (data), ``workflow.py`` (transition tables), ``services.py``
(every write), ``selectors.py`` and ``scoring.py`` (reads and the scorecard arithmetic).
"""
