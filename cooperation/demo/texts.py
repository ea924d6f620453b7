"""The demo's agreement templates: Huaxin's distribution agreement in Chinese, Anhe's agency agreement in English."""

from __future__ import annotations

from cooperation.models import ClauseKind as K

HUAXIN_TEMPLATE = {
    "code": "huaxin-distribution", "name": "华信电子渠道分销合作协议", "language": "zh-hans",
    "dispute_method": "arbitration",
    "dispute_venue": "上海国际经济贸易仲裁委员会（上海国际仲裁中心）",
    "term_months": 12,
    "clauses": [
        (K.OBJECTIVES, "合作目标", "{{tenant.name}}（以下简称“甲方”）与{{partner.legal_name}}（统一社会信用代码："
         "{{partner.credit_code}}，以下简称“乙方”）本着平等互利的原则，就甲方产品在{{territory}}的分销达成合作。"
         "双方共同目标：协议期内乙方完成甲方下达的年度销售目标，提升甲方产品在区域内的市场覆盖率和品牌影响力。"),
        (K.RIGHTS, "权益与义务", "甲方负责按时供货、提供产品培训和技术支持；乙方负责区域内的销售、配送、"
         "售后服务响应，并按月报送销售数据和市场反馈。"),
        (K.PRICING, "产品定价与折扣", "乙方按甲方公布的渠道价格表采购，"
         "在此基础上享受{{deal.discount}}%的折扣。"
         "乙方不得低于甲方建议零售价的九折对外销售。"),
        (K.PROMOTION, "销售和推广责任", "乙方每季度至少举办一次门店推广活动，推广物料由甲方资源库提供；"
         "市场发展基金按季度申请、按实际结算。"),
        (K.TERRITORY, "销售区域", "乙方的授权销售区域为：{{territory}}。乙方不得跨区域窜货。"),
        (K.TERM, "合作期限", "本协议自{{agreement.start_date}}起至{{agreement.end_date}}止，"
         "共{{agreement.term_months}}个月。期满前三十日双方协商续签事宜。"),
        (K.TERMINATION, "停止条件和程序", "一方严重违约且在书面通知后三十日内未纠正的，"
         "另一方可提前终止本协议；"
         "终止须书面通知并说明理由，双方在终止后三十日内完成库存和账款结算。"),
        (K.CONFIDENTIALITY, "保密条款", "双方对合作中获知的商业秘密、价格政策和客户信息负有保密责任，"
         "保密义务在协议终止后三年内继续有效。"),
        (K.DISPUTES, "纠纷解决", "因本协议引起的争议，双方应友好协商；协商不成的，提交{{dispute.venue}}"
         "以{{dispute.method}}方式解决。"),
    ],
}

ANHE_TEMPLATE = {
    "code": "anhe-agency", "name": "Anhe Insurance Agency Agreement", "language": "en",
    "dispute_method": "litigation", "dispute_venue": "the People's Court of Huangpu District, Shanghai",
    "term_months": 12,
    "clauses": [
        (K.OBJECTIVES, "Objectives", "{{tenant.name}} (the Insurer) appoints {{partner.english_name}} "
         "(unified social credit code {{partner.credit_code}}, the Agent) to distribute its insurance products, "
         "aiming at the annual premium target agreed in the joint sales plan."),
        (K.RIGHTS, "Rights and obligations", "The Insurer provides products, training and underwriting support; "
         "the Agent sells in compliance with the insurance regulations and reports monthly."),
        (K.PRICING, "Commission", "The Agent earns the commission of the product schedule plus an additional "
         "{{deal.discount}}% for policies kept in force for thirteen months."),
        (K.PROMOTION, "Sales and promotion", "The Agent runs at least one customer event per quarter using the "
         "Insurer's approved material only."),
        (K.TERRITORY, "Territory", "The Agent may sell in: {{territory}}."),
        (K.TERM, "Term", "This agreement runs from {{agreement.start_date}} to {{agreement.end_date}}."),
        (K.TERMINATION, "Termination", "Either party may terminate for a material breach not remedied within "
         "30 days of written notice; the Agent's licence being withdrawn ends the agreement at once."),
        (K.CONFIDENTIALITY, "Confidentiality", "Policyholder data and the Insurer's pricing are confidential "
         "during the term and for five years after it."),
        (K.DISPUTES, "Disputes", "Disputes are settled by {{dispute.method}} before {{dispute.venue}}."),
    ],
}

TEMPLATES = {"huaxin": HUAXIN_TEMPLATE, "anhe": ANHE_TEMPLATE}

ANNOUNCEMENTS = {
    "huaxin": [
        ("2027年春季渠道价格调整通知",
         "自下月1日起，手机及平板产品渠道价格平均下调3%，详见资源库最新价格表。", True, {}),
        ("华东区分销商季度会议安排", "华东区分销商季度会议将于本月下旬在上海召开，请各分销商准备季度销售回顾。", False,
         {"partner_types": ["distributor"]}),
        ("新品上市推广物料已发布", "X20 系列新品推广套件已上传至资源库，请门店及时布置。", False, {}),
    ],
    "anhe": [
        ("New critical-illness product from next month", "The CI-2027 product launches next month; "
         "training sessions are open for registration.", True, {}),
        ("Broker commission statement schedule", "Commission statements are issued on the 5th of every month.",
         False, {"partner_types": ["broker"]}),
    ],
}

THREADS = {
    "huaxin": [("Q2 备货计划", "我们计划二季度备货 2000 台 X20，请确认供货时间。",
                "收到，4月10日前可发出首批 800 台。"),
               ("门店物料补充", "需要补充 30 套门店海报和展架。", "已安排，下周一发货。")],
    "anhe": [("Renewal of the agency agreement", "Our agreement ends soon; can we discuss the renewal terms?",
              "Yes, the renewal draft is being prepared; we will send it this week.")],
}

EVENTS = {
    "huaxin": ("2027 华信电子全国合作伙伴大会", "杭州国际博览中心",
               "09:00 签到\n09:30 开幕致辞\n10:00 2027 产品路线图\n"
               "14:00 渠道政策发布\n16:00 优秀合作伙伴颁奖"),
    "anhe": ("Anhe Partner Summit 2027", "Shanghai, The Bund Center", "09:00 Registration\n09:30 Keynote\n"
             "11:00 New products\n14:00 Compliance workshop\n16:00 Awards"),
}

LIBRARY = {
    "huaxin": [("2027 春季渠道价格表", "price_list", "pdf"), ("X20 产品手册", "product_sheet", "pdf"),
               ("华信电子标志", "logo", "png"), ("鼎盛电子成功案例", "case_study", "pdf")],
    "anhe": [("Agency commission schedule 2027", "price_list", "pdf"), ("Anhe logo", "logo", "png"),
             ("Case study: broker growth", "case_study", "pdf")],
}
