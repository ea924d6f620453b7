"""In-app notifications with e-mail for the important ones: one ``notify()`` for every chapter.

See docs/notifications.md. Chapters declare their kinds with
``channelhub.notifications.registry.notification_kind`` and call
``channelhub.notifications.services.notify``.
"""
