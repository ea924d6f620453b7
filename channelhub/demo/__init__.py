"""Demo data for two realistic tenants, built by ``manage.py seed_demo``.

``data`` holds the hand-written tables (geography, names, catalogues, demo users and their
credentials); ``builder`` turns them into rows through the services, deterministically and
idempotently. Nothing here is imported by the running application.
"""
