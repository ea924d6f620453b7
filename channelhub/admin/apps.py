from django.contrib.admin.apps import AdminConfig


class ChannelHubAdminConfig(AdminConfig):
    default_site = "channelhub.admin.site.ChannelHubAdminSite"
