from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "openwarp.hub.members"
    label = "members"
    verbose_name = "Members"
