from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import company, views
from .forms import PortalPasswordResetForm

app_name = "portal"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("company/", company.ProfileView.as_view(), name="profile"),
    path("company/edit/", company.ProfileEditView.as_view(), name="profile_edit"),
    path("contacts/", company.ContactListView.as_view(), name="contacts"),
    path("contacts/add/", company.ContactFormView.as_view(), name="contact_add"),
    path("contacts/<int:pk>/", company.ContactFormView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/delete/", company.ContactDeleteView.as_view(), name="contact_delete"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/invite/", views.StaffInviteView.as_view(), name="staff_invite"),
    path("staff/<int:pk>/deactivate/", views.StaffDeactivateView.as_view(), name="staff_deactivate"),
    path("staff/<int:pk>/toggle/", views.StaffToggleView.as_view(), name="staff_toggle"),
    path("staff/invitations/<int:pk>/revoke/", views.StaffInvitationActionView.as_view(action="revoke"),
         name="staff_invitation_revoke"),
    path("staff/invitations/<int:pk>/resend/", views.StaffInvitationActionView.as_view(action="resend"),
         name="staff_invitation_resend"),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PortalPasswordResetForm,
            template_name="portal/password_reset_form.html",
            email_template_name="portal/email/password_reset.txt",
            subject_template_name="portal/email/password_reset_subject.txt",
            success_url=reverse_lazy("portal:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="portal/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="portal/password_reset_confirm.html",
            success_url=reverse_lazy("portal:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="portal/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
