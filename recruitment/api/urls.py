from rest_framework.routers import SimpleRouter

from . import views

app_name = "recruitment-api"

router = SimpleRouter()
router.register("plans", views.RecruitmentPlanViewSet, basename="plan")
router.register("targets", views.RecruitmentTargetViewSet, basename="target")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("scorecard-templates", views.ScorecardTemplateViewSet, basename="scorecard-template")
router.register("approval-steps", views.ApprovalStepViewSet, basename="approval-step")
router.register("onboarding-task-templates", views.OnboardingTaskTemplateViewSet, basename="onboarding-task-template")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("onboarding-tasks", views.OnboardingTaskViewSet, basename="onboarding-task")
router.register("reports", views.RecruitmentReportViewSet, basename="report")

urlpatterns = router.urls
