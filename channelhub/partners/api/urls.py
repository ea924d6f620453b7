from rest_framework.routers import SimpleRouter

from . import views

app_name = "partners-api"

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("contacts", views.PartnerContactViewSet, basename="contact")
router.register("regions", views.RegionViewSet, basename="region")
router.register("products", views.ProductViewSet, basename="product")

urlpatterns = router.urls
