"""What each demo tenant's recruitment says, in its language: criteria, plans, campaigns, notes."""

from __future__ import annotations

from dataclasses import dataclass

from channelhub.partners.models import PartnerType
from channelhub.tenancy.roles import Role


@dataclass(frozen=True)
class CriterionSpec:
    category: str
    name: str
    guidance: str
    weight: str
    scale: int
    knockout: str | None = None


@dataclass(frozen=True)
class PlanSpec:
    name: str
    description: str
    owner: str  # username
    budget: str
    starts_days_ago: int
    runs_days: int
    targets: tuple[tuple[str, str, int], ...]  # (area code, partner type, number)


@dataclass(frozen=True)
class CampaignSpec:
    code: str
    name: str
    source: str
    plan: int  # index into the plans
    cost: str
    starts_days_ago: int
    runs_days: int | None
    status: str  # planned / running / finished
    notes: str = ""
    referrer: str = ""  # flagship key of the referring partner


@dataclass(frozen=True)
class RecruitmentTexts:
    criteria: tuple[CriterionSpec, ...]
    # Per partner type: {criterion index: weight override}
    templates: dict[str, dict[int, str]]
    template_name: str  # "{type}" is replaced by the type's label
    default_template: str
    steps: tuple[tuple[int, str, str], ...]
    checklist: tuple[tuple[str, str, str, bool], ...]  # key, name, description, required
    plans: tuple[PlanSpec, ...]
    campaigns: tuple[CampaignSpec, ...]
    reviewers: tuple[tuple[str, str], ...]  # pairs of usernames scoring together
    deciders: dict[str, str]  # role -> username
    experience: tuple[str, ...]  # "{years}", "{place}", "{industry}"
    brands: tuple[str, ...]
    questions: tuple[str, ...]
    answers: tuple[str, ...]
    score_comments: tuple[str, ...]
    approve_comments: tuple[str, ...]
    reject_low: str
    reject_knockout: str
    reject_screening: str
    reject_legal: str
    return_comment: str
    withdraw_reasons: tuple[str, ...]
    activate_reason: str
    titles: tuple[str, ...]
    applicant_languages: tuple[str, ...]
    new_partner_admin: str  # username given to one converted partner's administrator


HUAXIN_TEXTS = RecruitmentTexts(
    criteria=(
        CriterionSpec("legal_compliance", "依法经营、证照齐全",
                      "营业执照、税务登记和行业许可是否齐全有效；近三年有无重大违法失信记录。", "3", 5, "3"),
        CriterionSpec("business_strength", "资金实力",
                      "注册资本与实缴情况、近三年营业额、现金流和备货能力。", "2.5", 5, "2"),
        CriterionSpec("capability", "销售与服务能力",
                      "销售团队规模、门店与网点覆盖、售后服务和技术支持能力。", "2", 5),
        CriterionSpec("brand_image", "品牌形象与商誉", "门店形象、客户口碑、行业评价和合作厂商评价。", "1", 5),
        CriterionSpec("experience", "行业经验", "从事消费电子分销或零售的年限，代理过的品牌。", "1.5", 5),
        CriterionSpec("market_influence", "市场影响力", "在目标区域的市场份额、客户资源和下游渠道网络（0–10 分）。",
                      "2", 10),
    ),
    templates={
        PartnerType.DISTRIBUTOR: {1: "3", 5: "2.5"},
        PartnerType.RESELLER: {2: "2.5"},
        PartnerType.RETAILER: {2: "2.5", 3: "1.5"},
        PartnerType.SERVICE_PROVIDER: {2: "3", 4: "2"},
    },
    template_name="{type}评分卡",
    default_template="通用评分卡",
    steps=((1, "渠道经理审核", Role.CHANNEL_MANAGER), (2, "销售总监审批", Role.OWNER), (3, "法务审核", Role.LEGAL)),
    checklist=(
        ("sign_agreement", "签订合作协议", "双方代表签署渠道合作协议（含价格、推广义务、保密和终止条款）。", True),
        ("orientation_course", "完成入门培训课程", "销售负责人完成产品知识和销售政策入门培训。", True),
        ("portal_users", "开通门户用户", "合作伙伴管理员登录门户并邀请销售团队成员。", True),
        ("first_sales_report", "提交首份销售报告", "首个自然月结束后提交销售数据。", False),
    ),
    plans=(
        PlanSpec("{year} 年华东华南渠道拓展计划", "在华东、华南新增经销商、转售商和零售网点，补齐地级市覆盖。",
                 "huaxin-manager", "600000", 180, 365,
                 (("EAST", PartnerType.DISTRIBUTOR, 4), ("EAST", PartnerType.RETAILER, 6),
                  ("SOUTH", PartnerType.RESELLER, 5), ("SOUTH", PartnerType.DISTRIBUTOR, 2))),
        PlanSpec("{year} 年西部与华北拓展计划", "进入西南、西北重点城市，加密华北零售网点。",
                 "huaxin-manager2", "300000", 75, 240,
                 (("SOUTHWEST", PartnerType.RESELLER, 3), ("NORTHWEST", PartnerType.DISTRIBUTOR, 2),
                  ("NORTH", PartnerType.RETAILER, 4))),
    ),
    campaigns=(
        CampaignSpec("EXPO-SZ", "中国电子信息博览会（深圳）招商", "exhibition", 0, "180000", 160, 4, "finished",
                     "展位 A12，现场洽谈 86 家。"),
        CampaignSpec("ADS-Q1", "行业媒体广告投放", "advertising", 0, "60000", 150, 90, "finished"),
        CampaignSpec("WEB-JOIN", "官网合作伙伴招募专页", "website", 0, "8000", 170, None, "running"),
        CampaignSpec("REF-DS", "鼎盛电子推荐计划", "referral", 0, "20000", 120, None, "running",
                     "推荐成功每家奖励 5000 元。", referrer="dingsheng"),
        CampaignSpec("LIVE-WEST", "西部渠道招商直播", "media", 1, "45000", 60, 30, "finished"),
        CampaignSpec("EXPO-CD", "成都电子展（秋季）", "exhibition", 1, "90000", -20, 3, "planned"),
    ),
    reviewers=(("huaxin-manager", "huaxin-manager3"), ("huaxin-manager2", "huaxin-trainer"),
               ("huaxin-manager3", "huaxin-legal"), ("huaxin-manager", "huaxin-trainer")),
    deciders={Role.CHANNEL_MANAGER: "huaxin-manager", Role.OWNER: "huaxin-owner", Role.LEGAL: "huaxin-legal"},
    experience=(
        "从事{industry}业务 {years} 年，在{place}拥有稳定的下游客户和自有仓储。",
        "{years} 年消费电子零售经验，{place}核心商圈门店 6 家，会员 3 万余人。",
        "曾代理国内一线手机和笔记本品牌 {years} 年，覆盖{place}及周边县市 120 余家网点。",
        "{years} 年企业信息化项目经验，服务{place}政企客户 200 余家。",
    ),
    brands=("华为、荣耀", "小米、OPPO", "联想、戴尔", "vivo、realme", "海尔、美的", "—"),
    questions=("请补充近三年的年度销售额和主要客户名单。", "请说明贵公司在目标区域的门店和网点数量。",
               "营业执照上的经营范围是否包含电子产品销售？请上传最新版本。"),
    answers=("已补充：2023 年 4200 万元，2024 年 5100 万元，主要客户名单见附件。",
             "目前自营门店 8 家，加盟网点 35 家，均位于目标区域内。"),
    score_comments=("资质齐全，渠道资源较好。", "资金实力偏弱，建议关注回款。", "团队经验丰富，建议优先推进。",
                    "区域覆盖与计划目标匹配。", ""),
    approve_comments=("同意，符合招募条件。", "同意，请尽快安排合同签署。", "法务审核通过，合同条款无异议。", ""),
    reject_low="综合评分偏低，暂不符合招募条件。",
    reject_knockout="依法经营一项未达标（否决项），不予通过。",
    reject_screening="营业执照已过期，初审不通过。",
    reject_legal="存在未结诉讼，法务审核不通过。",
    return_comment="请补充资金证明后重新评分。",
    withdraw_reasons=("已与其他厂商达成合作。", "公司业务调整，暂不申请。", "申请信息有误，稍后重新提交。"),
    activate_reason="旗舰门店开业在即，先行启用。",
    titles=("总经理", "董事长", "销售总监", "渠道经理", "运营总监"),
    applicant_languages=("zh-hans", "zh-hans", "zh-hans", "en"),
    new_partner_admin="huaxin-new-partner",
)

ANHE_TEXTS = RecruitmentTexts(
    criteria=(
        CriterionSpec("legal_compliance", "Licensed and compliant",
                      "Intermediary licence valid for the region; no regulatory penalties in the last three years.",
                      "3", 5, "3"),
        CriterionSpec("business_strength", "Capital strength",
                      "Registered and paid-in capital against the regulator's minimum; premium volume.",
                      "2.5", 5, "2"),
        CriterionSpec("capability", "Sales force and service capability",
                      "Licensed agents, training system, claims service.", "2", 5),
        CriterionSpec("brand_image", "Brand and reputation",
                      "Customer complaints, media coverage, insurer references.", "1", 5),
        CriterionSpec("experience", "Insurance experience", "Years in insurance distribution, lines of business.",
                      "1.5", 5),
        CriterionSpec("market_influence", "Market influence", "Share of the local intermediary market (0–10).",
                      "2", 10),
    ),
    templates={
        PartnerType.AGENT: {2: "3"},
        PartnerType.BROKER: {1: "3", 4: "2"},
        PartnerType.SERVICE_PROVIDER: {2: "3", 3: "1.5"},
    },
    template_name="{type} scorecard",
    default_template="Standard scorecard",
    steps=((1, "Channel manager review", Role.CHANNEL_MANAGER), (2, "Sales director approval", Role.OWNER),
           (3, "Legal review", Role.LEGAL)),
    checklist=(
        ("sign_agreement", "Sign the agency agreement", "Both parties' representatives sign the agreement.", True),
        ("orientation_course", "Complete the orientation course", "Products, compliance and sales conduct.", True),
        ("portal_users", "Set up portal users", "The partner administrator invites the sales team.", True),
        ("first_sales_report", "Submit the first sales report", "After the first full month.", False),
    ),
    plans=(
        PlanSpec("{year} agency network expansion", "More agencies and part-time agents in the East and South.",
                 "anhe-manager", "450000", 170, 365,
                 (("EAST", PartnerType.AGENT, 6), ("SOUTH", PartnerType.AGENT, 4),
                  ("EAST", PartnerType.SERVICE_PROVIDER, 2))),
        PlanSpec("{year} broker partnerships, North and Central", "Brokers for group and commercial lines.",
                 "anhe-manager2", "250000", 90, 270,
                 (("NORTH", PartnerType.BROKER, 3), ("CENTRAL", PartnerType.BROKER, 2))),
    ),
    campaigns=(
        CampaignSpec("EXPO-INS", "Insurance Intermediary Expo (Shanghai)", "exhibition", 0, "120000", 150, 3,
                     "finished"),
        CampaignSpec("ADS-WECHAT", "WeChat channel advertising", "advertising", 0, "50000", 140, 60, "finished"),
        CampaignSpec("WEB-AGENTS", "Agent recruitment page", "website", 0, "5000", 165, None, "running"),
        CampaignSpec("REF-MH", "Minghui agency referrals", "referral", 0, "15000", 100, None, "running",
                     "CNY 3,000 per referred agency that is activated.", referrer="minghui"),
        CampaignSpec("MEDIA-FIN", "Financial media partnership", "media", 1, "40000", 80, 45, "finished"),
    ),
    reviewers=(("anhe-manager", "anhe-manager2"), ("anhe-manager3", "anhe-legal"),
               ("anhe-manager2", "anhe-trainer"), ("anhe-manager", "anhe-legal")),
    deciders={Role.CHANNEL_MANAGER: "anhe-manager", Role.OWNER: "anhe-owner", Role.LEGAL: "anhe-legal"},
    experience=(
        "{years} years selling {industry} lines in {place}; 40 licensed agents.",
        "{years} years as a car-dealer agency in {place}, motor insurance only.",
        "Group and commercial lines broker for {years} years, clients across {place}.",
        "{years} years of claims and loss adjusting services in {place}.",
    ),
    brands=("Ping An, PICC", "China Life", "CPIC, Taikang", "Sunshine", "—"),
    questions=("Please upload the intermediary licence for each region you applied for.",
               "How many licensed agents does your company employ today?",
               "Please state last year's premium volume by line of business."),
    answers=("Licences uploaded; the Guangdong licence is being renewed.",
             "We employ 46 licensed agents and 8 trainees."),
    score_comments=("Licences in order, strong local network.", "Capital close to the minimum.",
                    "Experienced team, recommend.", "Fits the plan's target region.", ""),
    approve_comments=("Approved: meets our criteria.", "Approved, please prepare the agreement.",
                      "Legal review passed.", ""),
    reject_low="Overall score too low for now.",
    reject_knockout="Fails the knock-out criterion 'Licensed and compliant'.",
    reject_screening="The intermediary licence has expired.",
    reject_legal="Pending regulatory investigation; legal review not passed.",
    return_comment="Please score again after the capital certificate arrives.",
    withdraw_reasons=("Signed with another insurer.", "Business reorganisation.", "Will apply again later."),
    activate_reason="Start of the sales season; activated before the agreement is countersigned.",
    titles=("General Manager", "Managing Director", "Head of Business", "Sales Director"),
    applicant_languages=("en", "zh-hans", "en"),
    new_partner_admin="anhe-new-partner",
)

TEXTS = {"huaxin": HUAXIN_TEXTS, "anhe": ANHE_TEXTS}
