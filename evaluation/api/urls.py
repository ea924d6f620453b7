from rest_framework.routers import SimpleRouter

from . import economics, trends, views

app_name = "evaluation-api"

router = SimpleRouter()
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("scorecard-lines", views.ScorecardLineViewSet, basename="scorecard-line")
router.register("tiers", views.TierViewSet, basename="tier")
router.register("cycles", views.ReviewCycleViewSet, basename="cycle")
router.register("results", views.PartnerScoreViewSet, basename="result")
router.register("statements", views.IncentiveStatementViewSet, basename="statement")
router.register("economics", economics.ChannelEconomicsViewSet, basename="economics")
router.register("coverage-gaps", economics.CoverageGapViewSet, basename="coverage-gap")
router.register("kpi-trends", trends.KpiTrendViewSet, basename="kpi-trend")

urlpatterns = router.urls
