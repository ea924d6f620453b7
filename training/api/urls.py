from rest_framework.routers import SimpleRouter

from . import views

app_name = "training-api"

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("plans", views.TrainingPlanViewSet, basename="plan")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("attempts", views.AttemptViewSet, basename="attempt")

urlpatterns = router.urls
