"""The admin frame's strings stay in our catalogue run after run (``make messages``)."""

from django.utils import translation

from channelhub.tenancy.management.commands.collect_vendor_strings import _others_catalogues


def test_the_vendor_check_asks_django_not_our_own_catalogue():
    """An unfold string our catalogue translates must still count as untranslated elsewhere,
    or the next ``collect_vendor_strings`` drops it and makemessages makes it obsolete."""
    others = _others_catalogues("zh-hans")
    assert any(catalogue.gettext("Save") != "Save" for catalogue in others)  # Django's own
    assert all(catalogue.gettext("Reset filters") == "Reset filters" for catalogue in others)
    with translation.override("zh-hans"):
        assert translation.gettext("Reset filters") != "Reset filters"  # ours translates it
