"""The two demo tenants' training catalogues, in their own language (data, not UI text)."""

from __future__ import annotations

from dataclasses import dataclass

from channelhub.partners.models import PartnerType


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    kind: str
    delivery: str
    hours: str
    description: str


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    options: tuple[str, ...]
    correct: tuple[int, ...]  # 1-based


@dataclass(frozen=True)
class TrainingTexts:
    courses: tuple[CourseSpec, ...]
    certification: tuple[str, str, str]  # code, name, description
    external: tuple[tuple[str, str], ...]  # external qualifications: (code, name)
    path_name: str
    path_courses: tuple[str, ...]
    quiz_course: str
    quiz_title: str
    pre_title: str
    questions: tuple[QuestionSpec, ...]
    requirements: tuple[tuple[str, str, int, str], ...]  # partner type, certification code, min staff, purpose
    staff_plan: tuple[str, str]  # name, goals (the 3-month plan for channel staff)
    staff_on_site: tuple[str, ...]
    staff_online: tuple[str, ...]
    partner_plan: tuple[str, str, tuple[str, ...]]  # name, goals, partner types
    place: str
    online_url: str
    feedback: tuple[str, ...]
    flagships: tuple[str, ...]  # flagship partner legal names whose staff train
    need_notes: str
    need_assessment: str = ""  # the channel manager's assessment of the first flagship's survey
    # (course, required course): the catalogue's order (前置课程)
    prerequisites: tuple[tuple[str, str], ...] = (("CA-301", "MT-101"),)


HUAXIN = TrainingTexts(
    courses=(
        CourseSpec("ORI-100", "合作伙伴入驻培训", "orientation", "online", "2.0",
                   "华信电子的合作政策、门户使用、订货与返利流程。"),
        CourseSpec("PK-101", "华信智能终端产品知识", "product_knowledge", "classroom", "6.0",
                   "智能手机、平板与可穿戴设备的产品线、卖点与竞品对比。"),
        CourseSpec("SS-201", "顾问式销售技巧", "sales_skills", "role_play", "6.0",
                   "需求挖掘、方案呈现、异议处理与成交，以角色扮演演练。"),
        CourseSpec("AS-301", "售后服务规范", "after_sales", "classroom", "4.0", "保修政策、维修流程与客户投诉处理。"),
        CourseSpec("MT-101", "渠道管理理论知识", "management_theory", "classroom", "16.0",
                   "渠道发展趋势、渠道结构与布局、渠道管理的基本原则。"),
        CourseSpec("CS-201", "渠道策略规划", "channel_strategy", "classroom", "16.0",
                   "结合市场情况与公司战略制定渠道发展策略，案例分析与实战练习。"),
        CourseSpec("MK-201", "渠道市场营销与推广", "marketing", "online", "1.5",
                   "市场细分、渠道激励政策与促销策略。"),
        CourseSpec("CO-201", "渠道合作与沟通", "cooperation", "role_play", "1.5",
                   "通过角色扮演与沟通训练建立良好的合作关系。"),
        CourseSpec("CA-301", "渠道管理案例分析", "case_analysis", "field_visit", "16.0",
                   "实地考察优秀经销商，分析渠道管理中的问题与解决方法。"),
    ),
    certification=("HX-SELLER", "华信认证销售顾问", "通过产品知识与销售技巧考核的合作伙伴销售人员。"),
    external=(),
    path_name="华信认证销售顾问路径",
    path_courses=("PK-101", "SS-201"),
    quiz_course="PK-101",
    quiz_title="产品知识结业考核",
    pre_title="产品知识培训前测",
    questions=(
        QuestionSpec("single", "华信 X9 智能手机的标准保修期是多长？", ("6个月", "1年", "2年", "3年"), (2,)),
        QuestionSpec("multiple", "以下哪些是 X9 的主要卖点？",
                     ("长续航电池", "卫星通话", "影像系统", "可折叠屏"), (1, 3)),
        QuestionSpec("true_false", "经销商可以在未报备的情况下跨区域销售。", ("正确", "错误"), (2,)),
        QuestionSpec("single", "客户提出价格异议时，第一步应该做什么？", ("立即降价", "了解异议背后的原因", "结束谈话",
                                                                   "请经理出面"), (2,)),
        QuestionSpec("single", "平板 T5 面向的主要客户群是？",
                     ("学生与教育机构", "工业现场", "专业摄影", "游戏玩家"), (1,)),
    ),
    requirements=((PartnerType.DISTRIBUTOR, "HX-SELLER", 2, "general"), (PartnerType.RESELLER, "HX-SELLER", 1,
                                                                         "deal_registration")),
    staff_plan=("渠道管理培训工作计划（三个月）",
                "提高渠道管理人员的专业能力和管理水平，更好地发挥渠道作用，提升销售业绩和市场份额。"),
    staff_on_site=("MT-101", "CS-201", "CA-301"),
    staff_online=("MK-201", "CO-201"),
    partner_plan=("经销商与分销商产品及销售技能提升计划", "让合作伙伴的销售团队掌握新品知识与顾问式销售技巧。",
                  (PartnerType.DISTRIBUTOR, PartnerType.RESELLER)),
    place="上海市浦东新区华信培训中心3楼",
    online_url="https://meeting.huaxin.example/channel-academy",
    feedback=("案例很实用，希望多一些实操。", "讲师讲解清楚。", "时间有点紧。", "角色扮演环节很有帮助。"),
    flagships=("上海鼎盛电子科技有限公司", "南京恒通数码科技有限公司", "深圳宏达通讯连锁有限公司"),
    need_notes="新员工较多，希望增加新品知识与售后服务培训。",
    need_assessment="门店销售对新品卖点掌握不足；建议先安排产品知识课程，再进行顾问式销售演练。",
    prerequisites=(("CA-301", "MT-101"), ("SS-201", "PK-101")),
)

ANHE = TrainingTexts(
    courses=(
        CourseSpec("ORI-100", "Agency onboarding", "orientation", "online", "2.0",
                   "Anhe's cooperation rules, the partner portal, policy submission and commission statements."),
        CourseSpec("CMP-101", "Insurance regulation and sales compliance", "compliance", "classroom", "8.0",
                   "Suitability, disclosure, cooling-off periods and anti-money-laundering duties of agents."),
        CourseSpec("PK-201", "Anhe life and health products", "product_knowledge", "online", "4.0",
                   "Critical illness, medical and annuity products: cover, exclusions and who they suit."),
        CourseSpec("SS-101", "Needs-based advising", "sales_skills", "role_play", "6.0",
                   "Fact-finding, needs analysis and recommending cover, practised in role play."),
        CourseSpec("MT-101", "Channel management essentials", "management_theory", "classroom", "16.0",
                   "Channel structures, agency and broker economics, the principles of channel management."),
        CourseSpec("CS-201", "Channel strategy planning", "channel_strategy", "classroom", "16.0",
                   "Building the bancassurance, agency and broker channel plan."),
        CourseSpec("MK-201", "Channel marketing and promotion", "marketing", "online", "1.5",
                   "Segments, incentive schemes and campaigns for agencies and brokers."),
        CourseSpec("CA-301", "Channel management case studies", "case_analysis", "field_visit", "16.0",
                   "Visits to leading agencies; what went wrong and right."),
    ),
    certification=("AH-ADVISOR", "Anhe certified advisor", "Agents and brokers who passed Anhe's product and "
                                                            "compliance assessments."),
    external=(("AGENT-LIC", "Insurance agent licence (保险代理人执业资格)"),
              ("BROKER-LIC", "Insurance broker licence (保险经纪人执业资格)")),
    path_name="Anhe certified advisor path",
    path_courses=("CMP-101", "PK-201"),
    quiz_course="PK-201",
    quiz_title="Product knowledge final assessment",
    pre_title="Product knowledge pre-test",
    questions=(
        QuestionSpec("single", "How long is the cooling-off period of Anhe's critical illness policy?",
                     ("7 days", "15 days", "30 days", "60 days"), (2,)),
        QuestionSpec("multiple", "Which must an agent disclose before the application is signed?",
                     ("Exclusions", "Their commission rate", "The waiting period", "Their home address"), (1, 3)),
        QuestionSpec("true_false", "An agent may sign the application on the customer's behalf.",
                     ("True", "False"), (2,)),
        QuestionSpec("single", "Which product suits a customer planning retirement income?",
                     ("Annuity", "Travel cover", "Medical top-up", "Accident cover"), (1,)),
        QuestionSpec("single", "A customer with a pre-existing condition asks for medical cover. First you…",
                     ("refuse", "record the condition and check underwriting rules", "leave it off the form",
                      "sell accident cover instead"), (2,)),
    ),
    requirements=((PartnerType.AGENT, "AGENT-LIC", 2, "general"), (PartnerType.BROKER, "BROKER-LIC", 1, "general"),
                  (PartnerType.AGENT, "AH-ADVISOR", 1, "payout")),
    staff_plan=("Channel management training programme (3 months)",
                "Raise the channel team's professional and management skills to grow sales and market share."),
    staff_on_site=("MT-101", "CS-201", "CA-301"),
    staff_online=("MK-201",),
    partner_plan=("Agent qualification and compliance programme", "Every agent and broker adviser licensed, "
                  "compliant and certified on Anhe's products.", (PartnerType.AGENT, PartnerType.BROKER)),
    place="Anhe Training Centre, 88 Century Avenue, Shanghai",
    online_url="https://meeting.anhe.example/academy",
    feedback=("The compliance cases were very useful.", "Good trainer.", "Too much in one day.",
              "Role play helped a lot."),
    flagships=("上海明辉保险代理有限公司", "北京众诚保险经纪有限公司"),
    need_notes="New advisers need product and compliance training before they sell.",
    need_assessment="Half the advisers joined this year: compliance first, then product training before the "
                    "autumn campaign.",
)

TEXTS = {"huaxin": HUAXIN, "anhe": ANHE}
