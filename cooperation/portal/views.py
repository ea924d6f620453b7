"""Cooperation pages of the partner portal: thin views over the cooperation selectors and services.

Partner staff see their own partner's agreements (from the moment legal sent them), the
announcements, events and library material addressed to their partner, and their partner's
threads. Only the partner's administrator signs.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, View

from channelhub.portal.mixins import PortalMixin
from channelhub.ratelimit import client_address
from channelhub.tenancy.policy import request_may
from channelhub.writes import add_service_errors

from .. import documents, selectors, services
from ..admin._common import REFUSALS, refusal_text
from ..models import Agreement, AgreementState, Announcement, Event, LibraryItem, Message, RsvpResponse, Thread
from ..permissions import AGREEMENT_SIGN
from ..storage import private_download

# What a partner sees of its agreements: from the moment legal approved and sent them.
VISIBLE_STATES = [s for s in AgreementState.values if s not in (AgreementState.DRAFT, AgreementState.LEGAL_REVIEW)]


class SignForm(forms.Form):
    signer_name = forms.CharField(label=_("your name"), max_length=100)
    signer_title = forms.CharField(label=_("your title"), max_length=100)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(label=_("I have read the whole text and sign it for my company."))


class AgreementListView(PortalMixin, ListView):
    model = Agreement
    template_name = "cooperation/portal/agreements.html"
    context_object_name = "agreements"
    open_before_first_agreement = True

    def get_queryset(self):
        return selectors.agreement_list(partner_id=self.partner.pk).filter(state__in=VISIBLE_STATES)


class AgreementDetailView(PortalMixin, DetailView):
    """The full text, its SHA-256 and, for the partner's administrator while it waits, the signature form."""

    model = Agreement
    template_name = "cooperation/portal/agreement.html"
    context_object_name = "agreement"
    open_before_first_agreement = True

    def get_queryset(self):
        return selectors.agreement_list(partner_id=self.partner.pk).filter(state__in=VISIBLE_STATES)

    def may_sign(self, agreement) -> bool:
        return agreement.state == AgreementState.SENT and request_may(self.request, AGREEMENT_SIGN.code,
                                                                      partner=self.partner)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context["may_sign"] = self.may_sign(agreement)
        context["signatures"] = selectors.valid_signatures(agreement)
        context.setdefault("form", SignForm(initial={"content_hash": agreement.content_hash,
                                                     "signer_name": self.request.user.get_full_name()}))
        return context

    def post(self, request, *args, **kwargs):
        self.object = agreement = self.get_object()
        if not self.may_sign(agreement):
            raise PermissionDenied
        form = SignForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
            try:
                services.agreement_sign(agreement=agreement, actor=request.user, ip_address=client_address(request),
                                        **data)
            except REFUSALS as error:
                if hasattr(error, "error_dict") or hasattr(error, "error_list"):
                    add_service_errors(form, error)
                else:
                    form.add_error(None, refusal_text(error))
            else:
                messages.success(request, gettext("Signed. Your channel manager countersigns next."))
                return redirect("cooperation-portal:agreement", pk=agreement.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AgreementPdfView(PortalMixin, DetailView):
    model = Agreement
    open_before_first_agreement = True

    def get_queryset(self):
        return selectors.agreement_list(partner_id=self.partner.pk).filter(state__in=VISIBLE_STATES)

    def get(self, request, *args, **kwargs):
        agreement = self.get_object()
        return documents.agreement_pdf_response(agreement, selectors.valid_signatures(agreement))


class AnnouncementListView(PortalMixin, ListView):
    model = Announcement
    template_name = "cooperation/portal/announcements.html"
    context_object_name = "announcements"

    def get_queryset(self):
        return selectors.announcements_for(self.partner, user=self.request.user)


class AnnouncementDetailView(PortalMixin, DetailView):
    """Opening an announcement records the read receipt; POST acknowledges it."""

    model = Announcement
    template_name = "cooperation/portal/announcement.html"
    context_object_name = "announcement"

    def get_queryset(self):
        return selectors.announcements_for(self.partner, user=self.request.user)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.announcement_read(announcement=self.object, actor=request.user)
        return response

    def post(self, request, *args, **kwargs):
        announcement = self.get_object()
        services.announcement_read(announcement=announcement, actor=request.user, acknowledge=True)
        messages.success(request, gettext("Acknowledged."))
        return redirect("cooperation-portal:announcement", pk=announcement.pk)


class ThreadListView(PortalMixin, ListView):
    model = Thread
    template_name = "cooperation/portal/threads.html"
    context_object_name = "threads"

    def get_queryset(self):
        return selectors.thread_list(partner_id=self.partner.pk).order_by("-last_message_at", "-pk")


class MessageForm(forms.Form):
    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    attachment = forms.FileField(label=_("attachment (PDF, JPEG or PNG)"), required=False)


class ThreadStartForm(MessageForm):
    subject = forms.CharField(label=_("subject"), max_length=200)
    field_order = ["subject", "body", "attachment"]


class ThreadStartView(PortalMixin, FormView):
    form_class = ThreadStartForm
    template_name = "cooperation/portal/thread_new.html"

    def form_valid(self, form):
        try:
            thread = services.thread_start(tenant=self.request.tenant, actor=self.request.user, partner=self.partner,
                                           **form.cleaned_data)
        except REFUSALS as error:
            add_service_errors(form, error) if hasattr(error, "message_dict") else form.add_error(
                None, refusal_text(error))
            return self.form_invalid(form)
        return redirect("cooperation-portal:thread", pk=thread.pk)


class ThreadDetailView(PortalMixin, DetailView):
    model = Thread
    template_name = "cooperation/portal/thread.html"
    context_object_name = "thread"

    def get_queryset(self):
        return selectors.thread_list(partner_id=self.partner.pk)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.thread_mark_read(thread=self.object, actor=request.user)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["thread_messages"] = selectors.thread_messages(self.object)
        context.setdefault("form", MessageForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = thread = self.get_object()
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_send(thread=thread, actor=request.user, **form.cleaned_data)
            except REFUSALS as error:
                add_service_errors(form, error) if hasattr(error, "message_dict") else form.add_error(
                    None, refusal_text(error))
            else:
                return redirect("cooperation-portal:thread", pk=thread.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AttachmentView(PortalMixin, DetailView):
    """A message's attachment, for the partner's own staff only."""

    model = Message

    def get_queryset(self):
        return Message.objects.filter(thread__partner_id=self.partner.pk).exclude(attachment="")

    def get(self, request, *args, **kwargs):
        message = self.get_object()
        return private_download(message.attachment, filename=message.attachment_name,
                                content_type=message.attachment_type)


class EventListView(PortalMixin, ListView):
    model = Event
    template_name = "cooperation/portal/events.html"
    context_object_name = "events"

    def get_queryset(self):
        return selectors.events_for(self.partner)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["my_rsvps"] = selectors.my_rsvps(self.partner, self.request.user)
        return context


class RsvpForm(forms.Form):
    response = forms.ChoiceField(label=_("your answer"), choices=RsvpResponse.choices, widget=forms.RadioSelect)
    attendee_name = forms.CharField(label=_("name on the badge"), max_length=100, required=False)


class EventDetailView(PortalMixin, DetailView):
    """The event with its agenda; each of the partner's staff answers for themselves."""

    model = Event
    template_name = "cooperation/portal/event.html"
    context_object_name = "event"

    def get_queryset(self):
        return selectors.events_for(self.partner)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine = selectors.my_rsvps(self.partner, self.request.user).get(self.object.pk)
        context["my_rsvp"] = mine
        context.setdefault("form", RsvpForm(initial={"response": mine.response if mine else RsvpResponse.YES,
                                                     "attendee_name": self.request.user.get_full_name()}))
        return context

    def post(self, request, *args, **kwargs):
        self.object = event = self.get_object()
        form = RsvpForm(request.POST)
        if form.is_valid():
            try:
                services.event_rsvp(event=event, actor=request.user, **form.cleaned_data)
            except REFUSALS as error:
                add_service_errors(form, error) if hasattr(error, "message_dict") else form.add_error(
                    None, refusal_text(error))
            else:
                messages.success(request, gettext("Your answer is recorded."))
                return redirect("cooperation-portal:event", pk=event.pk)
        return self.render_to_response(self.get_context_data(form=form))


class LibraryListView(PortalMixin, ListView):
    model = LibraryItem
    template_name = "cooperation/portal/library.html"
    context_object_name = "items"

    def get_queryset(self):
        return selectors.library_for(self.partner)


class LibraryDownloadView(PortalMixin, View):
    """The newest version of an item addressed to the partner (expired ones are gone); counted."""

    model = LibraryItem

    def get(self, request, pk: int):
        item = get_object_or_404(selectors.library_for(self.partner), pk=pk)
        from ..models import LibraryFile

        row = LibraryFile.objects.filter(item=item).order_by("-version").first()
        if row is None or not row.file:
            raise Http404
        services.library_download_record(item=item, file=row, actor=request.user)
        return private_download(row.file, filename=row.original_name, content_type=row.content_type)
