"""Recruitment (渠道招募): plans, campaigns, applications, scored evaluation, approval chain, onboarding.

Start reading at ``models.py`` (data), ``workflow.py`` (transition tables), ``services.py``
(every write), ``selectors.py`` and ``scoring.py`` (reads and the scorecard arithmetic).
Applicants use ``public/`` (the form at ``/apply/<tenant>/`` and the tracking page, no login);
signed-in users download documents through ``views.py``; ``reports.py`` builds the funnel,
time-to-decision and reviewer-workload tables for the admin page and the API.

New tenants start with no criteria, templates or approval chain on purpose: those are the
tenant's own rules (names, weights, knock-outs, who signs off), and a default set written in
one language would be wrong for many. The services say clearly what is missing when it is
needed ("configure the approval chain", "set up the criteria"); the onboarding checklist falls
back to a default; ``services.*_ensure_default`` give a starting set (the demo uses them).
"""
