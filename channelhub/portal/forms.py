from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from channelhub import ratelimit
from channelhub.tenancy.roles import Role
from channelhub.tenancy.selectors import memberships_of, tenants_of

log = logging.getLogger("channelhub.security")


class PortalAuthenticationForm(AuthenticationForm):
    """Sign-in that refuses accounts with no active access anywhere (e.g. deactivated staff)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_access": _(
            "This account has no active access. Ask your company's administrator or your "
            "channel manager to reactivate it."
        ),
    }

    def __init__(self, request=None, *args, invitation=None, **kwargs):
        # Signing in to accept an invitation: the invited account may have no access yet.
        self.invitation = invitation
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        invited = self.invitation is not None and self.invitation.email_key == (user.email or "").strip().casefold()
        if not user.is_superuser and not invited and not tenants_of(user):
            raise forms.ValidationError(self.error_messages["no_access"], code="no_access")


class PortalPasswordResetForm(PasswordResetForm):
    """Also reaches invited people who never chose a password (their invitation link may have expired).

    Django skips accounts without a usable password; here those are people invited to a tenant,
    so a member of an active tenant gets the link. Service accounts (API keys) have no e-mail.
    """

    def save(self, *args, request=None, **kwargs) -> None:
        """Send the link, unless this address or e-mail asked too often: then send nothing.

        The page that follows is the same either way ("if an account exists, a link is on its
        way"), so the limit tells nobody whether the address has an account.
        """
        email = self.cleaned_data["email"].strip().casefold()
        per_address = ratelimit.hit("password-reset:address", ratelimit.client_address(request),
                                    limit=settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR, window=3600)
        per_email = ratelimit.hit("password-reset:email", email,
                                  limit=settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR, window=3600)
        if not (per_address and per_email):
            log.warning("Password reset refused: too many requests (per address: %s, per e-mail: %s)",
                        not per_address, not per_email)
            return
        super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        wanted = email.casefold()
        for user in get_user_model()._default_manager.filter(email__iexact=email, is_active=True):
            if user.email.casefold() != wanted:
                continue
            if user.has_usable_password() or memberships_of(user).exists():
                yield user


class InviteStaffForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The invitation goes to this address; nothing changes until it is accepted."),
    )
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.PARTNER_USER.value, Role.PARTNER_USER.label),
                 (Role.PARTNER_ADMIN.value, Role.PARTNER_ADMIN.label)],
        initial=Role.PARTNER_USER,
        help_text=_("Partner administrators can also invite and deactivate colleagues."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES,
        help_text=_("Used for the invitation e-mail and the portal."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()


class AcceptInvitationForm(UserCreationForm):
    """A new account for an invited address: the person chooses their user name and password."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "last_name", "first_name")
        labels = {"username": _("User name"), "last_name": _("Family name"), "first_name": _("Given name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class CompanyProfileForm(forms.Form):
    """The company profile as a partner administrator edits it (a plain form: the partner row is not touched).

    The descriptive fields save at once; a change to a field that identifies the company
    (``IDENTITY_FIELDS``) becomes a change request for the channel manager.
    """

    comment = forms.CharField(
        label=_("Note for your channel manager"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why the legal details change (e.g. a new business licence)."),
    )

    def __init__(self, *args, partner, **kwargs):
        from django.forms.models import fields_for_model, model_to_dict

        from channelhub.partners.models import IDENTITY_FIELDS, PORTAL_DIRECT_FIELDS, Partner

        names = [*IDENTITY_FIELDS, *PORTAL_DIRECT_FIELDS]
        # What is on record; FormView passes an empty ``initial`` of its own.
        kwargs["initial"] = {**model_to_dict(partner, fields=names), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        built = fields_for_model(Partner, fields=names)
        comment = self.fields.pop("comment")
        for name in names:
            self.fields[name] = built[name]  # labels: the model's verbose names, capitalised
        self.fields["comment"] = comment
        self.identity_fields = IDENTITY_FIELDS
        self.direct_fields = PORTAL_DIRECT_FIELDS

    def changes(self) -> tuple[dict, dict]:
        """(direct changes, identity changes) among the fields the person changed."""
        changed = set(self.changed_data)
        direct = {n: self.cleaned_data[n] for n in self.direct_fields if n in changed}
        identity = {n: self.cleaned_data[n] for n in self.identity_fields if n in changed}
        return direct, identity


class ContactForm(forms.Form):
    """One of the company's own contacts (the partner is the signed-in person's, never chosen here)."""

    def __init__(self, *args, instance=None, **kwargs):
        from django.forms.models import fields_for_model, model_to_dict

        from channelhub.partners.models import PartnerContact

        names = ["name", "title", "email", "phone", "is_primary"]
        if instance is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=names), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(PartnerContact, fields=names))
