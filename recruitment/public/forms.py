"""Forms of the public pages: the application form and the applicant's tracking page.

Each form is built inside the tenant's scope (the view enters it), so region choices are
the tenant's own. Uploaded files are checked here, file by file, with the same validator
the service uses (content by magic bytes, size limit), so that every bad file gets its own
message and a form with any error reaches no service: nothing is saved, no file is written.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from channelhub.formfields import ModelMultipleChoiceField, MultipleFileField, MultipleFileInput
from channelhub.partners.models import PartnerType, Region
from channelhub.partners.validators import normalise_credit_code, validate_credit_code

from .. import selectors
from ..models import ApplicationMessage, DocumentKind, MessageSender
from ..validators import max_document_bytes, validate_document_file

MAX_QUALIFICATION_FILES = 10
HONEYPOT_FIELD = "hp_comment"
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")

DOCUMENT_HELP = _("PDF, JPEG or PNG, up to %(limit)s each.")


def document_help() -> str:
    return str(DOCUMENT_HELP) % {"limit": filesizeformat(max_document_bytes())}


def check_files(files) -> None:
    """Validate each upload; raise one message per bad file (``name: reason``)."""
    messages = []
    for file in files:
        try:
            validate_document_file(file)
        except ValidationError as error:
            messages += [f"{file.name}: {message}" for message in error.messages]
    if messages:
        raise ValidationError(messages)


class RegionChoiceField(ModelMultipleChoiceField):
    """The tenant's regions; the template draws them as a tree of checkboxes (area → province → city)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Region) -> str:
        return obj.display_name


class ApplicationForm(forms.Form):
    """The public application form (入驻申请): company, contact, documents, consent.

    Partner types offered: only those the tenant recruits, i.e. the types that have an
    active scorecard template of their own; when the tenant has no type-specific template
    (none at all, or only the default one), all six types. Any other type is refused like an
    unknown choice. (``selectors.recruited_partner_types``; ``partner_types=`` overrides it.)
    """

    # Company
    legal_name = forms.CharField(
        label=_("Company legal name"), max_length=200,
        help_text=_("Exactly as on the business licence."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=30,
        help_text=_("18 characters, on the business licence (统一社会信用代码)."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false", "class": "mono"}),
    )
    registered_capital = forms.DecimalField(
        label=_("Registered capital (CNY 10,000)"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    founding_year = forms.IntegerField(label=_("Founding year"))
    staff_count = forms.IntegerField(
        label=_("Number of employees"), validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200)
    address = forms.CharField(
        label=_("Business address"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    partner_type = forms.ChoiceField(label=_("Partner type you apply for"), choices=())
    regions = RegionChoiceField(
        label=_("Regions you want to cover"), queryset=Region.objects.none(),
        help_text=_("Choose one or more: a whole sales area, provinces or cities."),
        error_messages={"required": _("Choose at least one region you want to cover.")},
    )
    experience = forms.CharField(
        label=_("Experience"), required=False, max_length=4000,
        help_text=_("Years in the trade, channels and customers you serve, sales volume."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    brands_carried = forms.CharField(
        label=_("Brands you carry today"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    references = forms.CharField(
        label=_("References"), required=False, max_length=2000,
        help_text=_("Vendors or customers we may contact about you."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Contact
    contact_name = forms.CharField(
        label=_("Contact name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_title = forms.CharField(
        label=_("Job title"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), max_length=254,
        help_text=_("We send the link to follow your application here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    # Documents
    business_licence = forms.FileField(
        label=_("Business licence"), error_messages={"required": _("Upload a scan or photo of the business licence.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    qualifications = MultipleFileField(
        label=_("Qualification certificates"), required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    consent = forms.BooleanField(
        label=_("I confirm that the information is true and agree that it is used to evaluate this application."),
        error_messages={"required": _("Please confirm to send the application.")},
    )
    # Spam trap: people never see it (hidden by CSS, out of the tab order); bots fill it in.
    hp_comment = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, partner_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.order_by("path")
        if partner_types is None:
            partner_types = selectors.recruited_partner_types()
        self.fields["partner_type"].choices = [("", "---------"), *(partner_types or PartnerType.choices)]
        this_year = datetime.date.today().year
        self.fields["founding_year"].validators += [MinValueValidator(1900), MaxValueValidator(this_year)]
        self.fields["founding_year"].widget.attrs.update({"min": 1900, "max": this_year})
        size_help = document_help()
        self.fields["business_licence"].help_text = size_help
        self.fields["qualifications"].help_text = _(
            "Optional; several files allowed (up to %(count)d). %(size)s"
        ) % {"count": MAX_QUALIFICATION_FILES, "size": size_help}

    @property
    def is_spam(self) -> bool:
        """The trap was filled in: answer as if it worked, save nothing."""
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean_credit_code(self) -> str:
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if not _PHONE.match(phone):
            raise ValidationError(_("Enter a phone number with digits only (and +, spaces or dashes)."))
        return phone

    def clean_business_licence(self):
        file = self.cleaned_data.get("business_licence")
        check_files([file] if file else [])
        return file

    def clean_qualifications(self):
        files = self.cleaned_data.get("qualifications") or []
        if len(files) > MAX_QUALIFICATION_FILES:
            raise ValidationError(
                _("Upload at most %(count)d qualification certificates.") % {"count": MAX_QUALIFICATION_FILES}
            )
        check_files(files)
        return files

    def service_data(self, *, language: str) -> dict:
        """The fields ``application_submit`` takes (``regions`` included)."""
        data = {name: self.cleaned_data[name] for name in (
            "legal_name", "credit_code", "registered_capital", "founding_year", "staff_count", "website", "address",
            "partner_type", "experience", "brands_carried", "references", "contact_name", "contact_title",
            "contact_email", "contact_phone",
        )}
        data["regions"] = list(self.cleaned_data["regions"])
        data["language"] = language
        return data

    def documents(self) -> list[tuple[str, object]]:
        items = [(DocumentKind.BUSINESS_LICENCE, self.cleaned_data["business_licence"])]
        items += [(DocumentKind.QUALIFICATION, file) for file in self.cleaned_data.get("qualifications") or []]
        return items

    def region_tree(self) -> list[dict]:
        """The region checkboxes grouped for the template: each area with its descendants, indented."""
        chosen = {str(value) for value in (self["regions"].value() or [])}
        areas: list[dict] = []
        for region in self.fields["regions"].queryset:
            depth = max(region.path.count("/") - 2, 0)
            item = {"region": region, "depth": depth, "checked": str(region.pk) in chosen}
            if depth == 0 or not areas:
                areas.append({**item, "children": [], "open": item["checked"]})
            else:
                areas[-1]["children"].append(item)
                areas[-1]["open"] = areas[-1]["open"] or item["checked"]
        return areas


class AnswerForm(forms.Form):
    """The applicant answers a reviewer's question."""

    reply_to = forms.ModelChoiceField(queryset=ApplicationMessage.objects.none(), widget=forms.HiddenInput)
    body = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_to"].queryset = ApplicationMessage.objects.filter(
            application=application, sender=MessageSender.REVIEWER
        )


class DocumentForm(forms.Form):
    """The applicant adds a document to an open application."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices,
                             initial=DocumentKind.QUALIFICATION)
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = document_help()

    def clean_file(self):
        file = self.cleaned_data.get("file")
        check_files([file] if file else [])
        return file


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
