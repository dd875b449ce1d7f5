from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from openwarp.hub.api import api
from openwarp.hub.capabilities import capability_modules
from openwarp.hub.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Admins sign in through the hub's own page, which enforces the second factor.
    path("admin/login/", RedirectView.as_view(url="/sign-in/?next=/admin/", query_string=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *(path("", include(f"{name}.urls")) for name, _ in capability_modules("urls")),
]
