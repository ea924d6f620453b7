"""Recruitment in the partner portal: the partner's onboarding checklist page, its navigation
entry and home panel, and the recruitment panel on the manager's partner page.

``panels`` registers with ``channelhub.portal.registry`` (imported from ``RecruitmentConfig.ready``);
``urls`` is mounted at ``/portal/recruitment/`` in the ``recruitment-portal`` namespace
(``RecruitmentConfig.portal_urls``).
"""
