"""The demo's hand-written tables: geography, names, catalogues, users and their credentials.

Everything here is data, not UI text: company and product names, titles and audit reasons
are stored in the database as they are and are not translated. The two tenants:

* ``huaxin`` — 华信电子 Huaxin Electronics, a consumer-electronics manufacturer selling
  through distributors, resellers, retailers and after-sales service providers.
  Default language Simplified Chinese (``zh-hans``); its data (titles, categories,
  reasons) is Chinese.
* ``anhe`` — 安和保险 Anhe Insurance, an insurer selling through insurance agencies (and
  car dealers as part-time agents), brokers and loss adjusters. Default language English
  (``en``), so the demo shows both languages; its titles, categories and reasons are
  English, while partners keep their Chinese legal names beside an English name.

Region codes: sales areas and provinces use short letter codes (ISO 3166-2:CN for
provinces), cities and the districts of the four municipalities use their six-digit
administrative division code (行政区划代码), which is also the division part of the
partners' unified social credit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from channelhub.partners.models import PartnerType
from channelhub.tenancy.roles import Role

# One password for every demo account, the platform superuser included.
DEMO_PASSWORD = "demo-Pass-2026"
# The random seed: every run builds exactly the same data from it.
SEED = 2026
DEFAULT_PARTNERS_PER_TENANT = 200
ADMIN_USERNAME = "admin"
EMAIL_DOMAIN = "demo.channelhub.example"


# --- Geography: sales areas → provinces → cities (or districts of a municipality) --------


@dataclass(frozen=True)
class City:
    code: str  # administrative division code
    name: str
    name_en: str
    weight: int  # how many partners it attracts, relative to other cities
    # A municipality's children are districts; a company there is still named after the city.
    is_district: bool = False


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    name_en: str
    short: str  # the name companies carry: 江苏 → "南京…" uses the city, 上海 → "上海…"
    short_en: str
    cities: tuple[City, ...]
    is_municipality: bool = False


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    name_en: str
    provinces: tuple[Province, ...]


def _municipality(code, name, name_en, short_en, districts) -> Province:
    return Province(
        code, name, name_en, name.removesuffix("市"), short_en,
        tuple(City(c, n, e, w, is_district=True) for c, n, e, w in districts),
        is_municipality=True,
    )


def _province(code, name, name_en, cities) -> Province:
    return Province(code, name, name_en, "", "", tuple(City(*city) for city in cities))


REGIONS: tuple[Area, ...] = (
    Area("EAST", "华东", "East China", (
        _municipality("SH", "上海市", "Shanghai", "Shanghai", (
            ("310101", "黄浦区", "Huangpu District", 4), ("310104", "徐汇区", "Xuhui District", 4),
            ("310112", "闵行区", "Minhang District", 4), ("310115", "浦东新区", "Pudong New Area", 7),
        )),
        _province("JS", "江苏省", "Jiangsu", (
            ("320100", "南京市", "Nanjing", 7), ("320200", "无锡市", "Wuxi", 4),
            ("320300", "徐州市", "Xuzhou", 3), ("320500", "苏州市", "Suzhou", 7),
            ("320600", "南通市", "Nantong", 3),
        )),
        _province("ZJ", "浙江省", "Zhejiang", (
            ("330100", "杭州市", "Hangzhou", 8), ("330200", "宁波市", "Ningbo", 5),
            ("330300", "温州市", "Wenzhou", 4), ("330700", "金华市", "Jinhua", 3),
        )),
        _province("AH", "安徽省", "Anhui", (
            ("340100", "合肥市", "Hefei", 5), ("340200", "芜湖市", "Wuhu", 2),
        )),
        _province("FJ", "福建省", "Fujian", (
            ("350100", "福州市", "Fuzhou", 4), ("350200", "厦门市", "Xiamen", 4),
            ("350500", "泉州市", "Quanzhou", 3),
        )),
        _province("JX", "江西省", "Jiangxi", (("360100", "南昌市", "Nanchang", 4),)),
        _province("SD", "山东省", "Shandong", (
            ("370100", "济南市", "Jinan", 5), ("370200", "青岛市", "Qingdao", 5),
            ("370600", "烟台市", "Yantai", 3), ("370700", "潍坊市", "Weifang", 3),
        )),
    )),
    Area("NORTH", "华北", "North China", (
        _municipality("BJ", "北京市", "Beijing", "Beijing", (
            ("110101", "东城区", "Dongcheng District", 4), ("110105", "朝阳区", "Chaoyang District", 7),
            ("110108", "海淀区", "Haidian District", 7),
        )),
        _municipality("TJ", "天津市", "Tianjin", "Tianjin", (
            ("120101", "和平区", "Heping District", 3), ("120116", "滨海新区", "Binhai New Area", 4),
        )),
        _province("HE", "河北省", "Hebei", (
            ("130100", "石家庄市", "Shijiazhuang", 4), ("130200", "唐山市", "Tangshan", 3),
            ("130600", "保定市", "Baoding", 3),
        )),
        _province("SX", "山西省", "Shanxi", (("140100", "太原市", "Taiyuan", 4),)),
        _province("NM", "内蒙古自治区", "Inner Mongolia", (
            ("150100", "呼和浩特市", "Hohhot", 2), ("150200", "包头市", "Baotou", 2),
        )),
    )),
    Area("CENTRAL", "华中", "Central China", (
        _province("HA", "河南省", "Henan", (
            ("410100", "郑州市", "Zhengzhou", 6), ("410300", "洛阳市", "Luoyang", 3),
        )),
        _province("HB", "湖北省", "Hubei", (
            ("420100", "武汉市", "Wuhan", 7), ("420500", "宜昌市", "Yichang", 2),
            ("420600", "襄阳市", "Xiangyang", 2),
        )),
        _province("HN", "湖南省", "Hunan", (
            ("430100", "长沙市", "Changsha", 6), ("430200", "株洲市", "Zhuzhou", 2),
        )),
    )),
    Area("SOUTH", "华南", "South China", (
        _province("GD", "广东省", "Guangdong", (
            ("440100", "广州市", "Guangzhou", 9), ("440300", "深圳市", "Shenzhen", 9),
            ("440400", "珠海市", "Zhuhai", 3), ("440600", "佛山市", "Foshan", 5),
            ("441900", "东莞市", "Dongguan", 5),
        )),
        _province("GX", "广西壮族自治区", "Guangxi", (
            ("450100", "南宁市", "Nanning", 3), ("450200", "柳州市", "Liuzhou", 2),
        )),
        _province("HI", "海南省", "Hainan", (
            ("460100", "海口市", "Haikou", 2), ("460200", "三亚市", "Sanya", 2),
        )),
    )),
    Area("SOUTHWEST", "西南", "Southwest China", (
        _municipality("CQ", "重庆市", "Chongqing", "Chongqing", (
            ("500103", "渝中区", "Yuzhong District", 4), ("500105", "江北区", "Jiangbei District", 3),
        )),
        _province("SC", "四川省", "Sichuan", (
            ("510100", "成都市", "Chengdu", 8), ("510700", "绵阳市", "Mianyang", 2),
        )),
        _province("GZ", "贵州省", "Guizhou", (("520100", "贵阳市", "Guiyang", 3),)),
        _province("YN", "云南省", "Yunnan", (("530100", "昆明市", "Kunming", 4),)),
    )),
    Area("NORTHWEST", "西北", "Northwest China", (
        _province("SN", "陕西省", "Shaanxi", (("610100", "西安市", "Xi'an", 6),)),
        _province("GS", "甘肃省", "Gansu", (("620100", "兰州市", "Lanzhou", 2),)),
        _province("NX", "宁夏回族自治区", "Ningxia", (("640100", "银川市", "Yinchuan", 2),)),
        _province("XJ", "新疆维吾尔自治区", "Xinjiang", (("650100", "乌鲁木齐市", "Urumqi", 2),)),
    )),
    Area("NORTHEAST", "东北", "Northeast China", (
        _province("LN", "辽宁省", "Liaoning", (
            ("210100", "沈阳市", "Shenyang", 5), ("210200", "大连市", "Dalian", 5),
        )),
        _province("JL", "吉林省", "Jilin", (("220100", "长春市", "Changchun", 3),)),
        _province("HL", "黑龙江省", "Heilongjiang", (("230100", "哈尔滨市", "Harbin", 4),)),
    )),
)


# --- Names -----------------------------------------------------------------------------

# 字号 (trade names) with their pinyin: the distinctive middle of a Chinese company name.
TRADE_NAMES: tuple[tuple[str, str], ...] = (
    ("鼎盛", "Dingsheng"), ("恒通", "Hengtong"), ("宏达", "Hongda"), ("瑞丰", "Ruifeng"),
    ("金鹏", "Jinpeng"), ("盛世", "Shengshi"), ("兴隆", "Xinglong"), ("华腾", "Huateng"),
    ("博远", "Boyuan"), ("天成", "Tiancheng"), ("嘉禾", "Jiahe"), ("永信", "Yongxin"),
    ("新锐", "Xinrui"), ("创联", "Chuanglian"), ("联拓", "Liantuo"), ("卓越", "Zhuoyue"),
    ("致远", "Zhiyuan"), ("信达", "Xinda"), ("众诚", "Zhongcheng"), ("凯旋", "Kaixuan"),
    ("锦程", "Jincheng"), ("安泰", "Antai"), ("宏图", "Hongtu"), ("伟业", "Weiye"),
    ("远大", "Yuanda"), ("明辉", "Minghui"), ("海纳", "Haina"), ("汇通", "Huitong"),
    ("聚鑫", "Juxin"), ("德隆", "Delong"), ("正阳", "Zhengyang"), ("万和", "Wanhe"),
    ("和信", "Hexin"), ("同创", "Tongchuang"), ("荣达", "Rongda"), ("晨光", "Chenguang"),
    ("星辰", "Xingchen"), ("启航", "Qihang"), ("银河", "Yinhe"), ("华盛", "Huasheng"),
    ("润泽", "Runze"), ("泰和", "Taihe"), ("广源", "Guangyuan"), ("佳诚", "Jiacheng"),
    ("优联", "Youlian"), ("鸿运", "Hongyun"), ("顺达", "Shunda"), ("智诚", "Zhicheng"),
    ("易达", "Yida"), ("百川", "Baichuan"), ("中邦", "Zhongbang"), ("恒信", "Hengxin"),
    ("鑫源", "Xinyuan"), ("利民", "Limin"), ("福瑞", "Furui"), ("耀华", "Yaohua"),
    ("瀚海", "Hanhai"), ("科宇", "Keyu"), ("思源", "Siyuan"), ("融通", "Rongtong"),
    ("金桥", "Jinqiao"), ("云帆", "Yunfan"), ("蓝海", "Lanhai"), ("天润", "Tianrun"),
    ("腾跃", "Tengyue"), ("英华", "Yinghua"), ("国信", "Guoxin"), ("亿联", "Yilian"),
    ("昌盛", "Changsheng"), ("源丰", "Yuanfeng"), ("广厦", "Guangsha"), ("通达", "Tongda"),
    ("明泰", "Mingtai"), ("华宇", "Huayu"), ("旭日", "Xuri"), ("腾飞", "Tengfei"),
    ("凯盛", "Kaisheng"), ("新创", "Xinchuang"), ("协力", "Xieli"), ("丰汇", "Fenghui"),
    ("中和", "Zhonghe"), ("宝隆", "Baolong"), ("伟达", "Weida"), ("东升", "Dongsheng"),
)

# Common surnames (most frequent first; the builder favours the head of the list).
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan"),
    ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
    ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"),
    ("任", "ren"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"),
    ("钟", "zhong"), ("谭", "tan"), ("陆", "lu"), ("汪", "wang"), ("范", "fan"), ("金", "jin"),
    ("石", "shi"), ("廖", "liao"), ("贾", "jia"), ("夏", "xia"), ("韦", "wei"), ("方", "fang"),
    ("邹", "zou"), ("熊", "xiong"), ("白", "bai"), ("孟", "meng"), ("秦", "qin"), ("邱", "qiu"),
    ("侯", "hou"), ("江", "jiang"), ("尹", "yin"), ("薛", "xue"), ("段", "duan"), ("雷", "lei"),
    ("龙", "long"), ("史", "shi"), ("陶", "tao"), ("贺", "he"), ("毛", "mao"), ("郝", "hao"),
    ("顾", "gu"), ("龚", "gong"), ("邵", "shao"), ("钱", "qian"), ("戴", "dai"), ("严", "yan"),
)

# Given names people actually carry (one or two characters), with their pinyin.
GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("敏", "min"), ("静", "jing"), ("磊", "lei"), ("军", "jun"),
    ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"),
    ("超", "chao"), ("霞", "xia"), ("刚", "gang"), ("辉", "hui"), ("鹏", "peng"), ("浩", "hao"),
    ("婷", "ting"), ("琳", "lin"), ("峰", "feng"), ("斌", "bin"), ("颖", "ying"), ("倩", "qian"),
    ("凯", "kai"), ("鑫", "xin"), ("蕾", "lei"), ("建华", "jianhua"), ("建国", "jianguo"),
    ("建军", "jianjun"), ("建平", "jianping"), ("志强", "zhiqiang"), ("志刚", "zhigang"),
    ("志明", "zhiming"), ("志伟", "zhiwei"), ("国强", "guoqiang"), ("国华", "guohua"),
    ("文静", "wenjing"), ("文博", "wenbo"), ("晓燕", "xiaoyan"), ("晓丽", "xiaoli"),
    ("晓明", "xiaoming"), ("晓东", "xiaodong"), ("晓峰", "xiaofeng"), ("晓红", "xiaohong"),
    ("海涛", "haitao"), ("海峰", "haifeng"), ("海燕", "haiyan"), ("海霞", "haixia"),
    ("春华", "chunhua"), ("春梅", "chunmei"), ("红梅", "hongmei"), ("丽华", "lihua"),
    ("丽娟", "lijuan"), ("丽萍", "liping"), ("秀英", "xiuying"), ("秀兰", "xiulan"),
    ("桂英", "guiying"), ("玉兰", "yulan"), ("雪梅", "xuemei"), ("慧敏", "huimin"),
    ("美玲", "meiling"), ("金凤", "jinfeng"), ("振华", "zhenhua"), ("永强", "yongqiang"),
    ("立新", "lixin"), ("德明", "deming"), ("少华", "shaohua"), ("俊杰", "junjie"),
    ("俊峰", "junfeng"), ("子轩", "zixuan"), ("子豪", "zihao"), ("家豪", "jiahao"),
    ("浩然", "haoran"), ("天宇", "tianyu"), ("宇航", "yuhang"), ("一鸣", "yiming"),
    ("博文", "bowen"), ("欣怡", "xinyi"), ("佳怡", "jiayi"), ("嘉欣", "jiaxin"),
    ("思雨", "siyu"), ("雨涵", "yuhan"), ("梓涵", "zihan"), ("诗涵", "shihan"),
    ("婷婷", "tingting"), ("丹丹", "dandan"), ("晶晶", "jingjing"), ("佳琪", "jiaqi"),
    ("雅琴", "yaqin"), ("淑珍", "shuzhen"), ("明辉", "minghui"), ("永刚", "yonggang"),
)

# Streets found in most Chinese cities, and office buildings on them.
STREETS: tuple[str, ...] = (
    "人民路", "中山路", "解放路", "建设路", "长江路", "和平路", "新华路", "文化路", "胜利路",
    "光明路", "青年路", "黄河路", "科技路", "学府路", "金融街", "滨江大道", "世纪大道", "南京路",
)
BUILDINGS: tuple[str, ...] = (
    "国际大厦", "商务中心", "科技园", "金融中心", "时代广场", "财富中心", "创业大厦", "环球中心",
)
MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "177", "180", "181", "183", "185", "186", "187", "188", "189",
    "199",
)
FREE_MAIL_DOMAINS: tuple[str, ...] = ("163.com", "126.com", "qq.com", "sina.com")


# --- Partner kinds: how each tenant's partners look -----------------------------------


@dataclass(frozen=True)
class Industry:
    """The end of a company name: ``{city}{trade name}{zh}`` / ``{City} {Trade Name} {en}``."""

    zh: str
    en: str
    short: str  # appended to the trade name for the short name: 鼎盛 + 电子


@dataclass(frozen=True)
class PartnerKind:
    partner_type: str
    weight: int
    industries: tuple[Industry, ...]
    capital: tuple[int, int]  # registered capital range, CNY 10k (万元)
    staff: tuple[int, int]
    founded: tuple[int, int]
    website_share: float  # how many of them have a website (small shops often do not)
    city_prefix_share: float = 1.0  # share named after their city (national firms are not)


@dataclass(frozen=True)
class ContactSpec:
    name: str
    pinyin: str
    title: str
    phone: str


@dataclass(frozen=True)
class FlagshipPartner:
    """A hand-written partner whose staff get portal logins, so its name is known in advance."""

    key: str
    legal_name: str
    english_name: str
    short_name: str
    partner_type: str
    city_code: str
    founding_year: int
    registered_capital: int
    staff_count: int
    website: str
    address: str
    contacts: tuple[ContactSpec, ...]


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str  # the full name, family name first, kept whole in ``first_name``
    role: str
    partner: str = ""  # FlagshipPartner.key, for partner roles
    areas: tuple[str, ...] = ()  # sales areas a channel manager owns


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    name_en: str
    category: str
    list_price: str
    description: str = ""


@dataclass(frozen=True)
class TenantSpec:
    slug: str
    name: str
    default_language: str
    users: tuple[DemoUser, ...]
    flagships: tuple[FlagshipPartner, ...]
    kinds: tuple[PartnerKind, ...]
    products: tuple[ProductSpec, ...]
    primary_titles: tuple[str, ...]
    other_titles: tuple[str, ...]
    # Audit reasons for each lifecycle move, in the tenant's language.
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)


# --- 华信电子 Huaxin Electronics -------------------------------------------------------

_ELECTRONICS_KINDS = (
    PartnerKind(
        PartnerType.DISTRIBUTOR, 20,
        (
            Industry("电子科技有限公司", "Electronic Technology Co., Ltd.", "电子"),
            Industry("通讯器材有限公司", "Communication Equipment Co., Ltd.", "通讯"),
            Industry("供应链管理有限公司", "Supply Chain Management Co., Ltd.", "供应链"),
            Industry("电子商贸有限公司", "Electronics Trading Co., Ltd.", "商贸"),
            Industry("数码科技股份有限公司", "Digital Technology Co., Ltd.", "数码"),
        ),
        capital=(1000, 20000), staff=(60, 900), founded=(1996, 2016), website_share=1.0,
    ),
    PartnerKind(
        PartnerType.RESELLER, 35,
        (
            Industry("数码科技有限公司", "Digital Technology Co., Ltd.", "数码"),
            Industry("信息技术有限公司", "Information Technology Co., Ltd.", "信息"),
            Industry("网络科技有限公司", "Network Technology Co., Ltd.", "网络"),
            Industry("电子产品销售有限公司", "Electronic Products Sales Co., Ltd.", "电子"),
            Industry("系统集成有限公司", "Systems Integration Co., Ltd.", "系统"),
        ),
        capital=(100, 3000), staff=(12, 180), founded=(2003, 2022), website_share=0.85,
    ),
    PartnerKind(
        PartnerType.RETAILER, 35,
        (
            Industry("数码广场有限公司", "Digital Plaza Co., Ltd.", "数码广场"),
            Industry("电器连锁有限公司", "Appliance Retail Chain Co., Ltd.", "电器"),
            Industry("商贸有限公司", "Trading Co., Ltd.", "商贸"),
            Industry("通讯连锁有限公司", "Mobile Retail Chain Co., Ltd.", "通讯"),
            Industry("百货有限公司", "Department Store Co., Ltd.", "百货"),
        ),
        capital=(50, 1500), staff=(6, 260), founded=(1998, 2023), website_share=0.6,
    ),
    PartnerKind(
        PartnerType.SERVICE_PROVIDER, 10,
        (
            Industry("电子设备维修服务有限公司", "Electronic Equipment Repair Services Co., Ltd.", "维修"),
            Industry("技术服务有限公司", "Technical Services Co., Ltd.", "技术服务"),
            Industry("售后服务有限公司", "After-sales Services Co., Ltd.", "售后"),
        ),
        capital=(50, 800), staff=(5, 90), founded=(2008, 2023), website_share=0.7,
    ),
)

_ELECTRONICS_PRODUCTS = (
    ProductSpec("HX-PH-X60P-512", "华信 X60 Pro 5G 手机 16GB+512GB", "Huaxin X60 Pro 5G phone 16GB+512GB",
                "手机", "6999.00", "旗舰影像手机，6.8英寸 LTPO 屏幕，5000mAh 电池"),
    ProductSpec("HX-PH-X60P-256", "华信 X60 Pro 5G 手机 12GB+256GB", "Huaxin X60 Pro 5G phone 12GB+256GB",
                "手机", "5999.00", "旗舰影像手机，6.8英寸 LTPO 屏幕，5000mAh 电池"),
    ProductSpec("HX-PH-X60-256", "华信 X60 5G 手机 8GB+256GB", "Huaxin X60 5G phone 8GB+256GB",
                "手机", "3999.00", "6.6英寸 OLED 屏幕，5000万像素主摄"),
    ProductSpec("HX-PH-N12-128", "华信 畅享 N12 手机 8GB+128GB", "Huaxin Changxiang N12 phone 8GB+128GB",
                "手机", "1499.00", "长续航入门机型，6000mAh 电池"),
    ProductSpec("HX-PH-F3-512", "华信 折叠屏 F3 手机 12GB+512GB", "Huaxin F3 foldable phone 12GB+512GB",
                "手机", "8999.00", "7.9英寸内屏折叠旗舰"),
    ProductSpec("HX-NB-QT14-I5", "华信 擎天 14 笔记本 i5/16GB/512GB", "Huaxin Qingtian 14 laptop i5/16GB/512GB",
                "笔记本电脑", "4999.00", "14英寸 2.8K 屏，轻薄办公本"),
    ProductSpec("HX-NB-QT14-I7", "华信 擎天 14 笔记本 i7/32GB/1TB", "Huaxin Qingtian 14 laptop i7/32GB/1TB",
                "笔记本电脑", "6999.00", "14英寸 2.8K 屏，轻薄办公本"),
    ProductSpec("HX-NB-QT16-R7", "华信 擎天 16 笔记本 R7/16GB/1TB", "Huaxin Qingtian 16 laptop R7/16GB/1TB",
                "笔记本电脑", "5799.00", "16英寸 2.5K 120Hz 大屏"),
    ProductSpec("HX-NB-QY13-AIR", "华信 青云 Air 13 笔记本", "Huaxin Qingyun Air 13 laptop",
                "笔记本电脑", "3999.00", "13.3英寸，980克超轻机身"),
    ProductSpec("HX-TB-M11-256", "华信 平板 M11 8GB+256GB", "Huaxin Tablet M11 8GB+256GB",
                "平板电脑", "2299.00", "11英寸 2.5K 护眼屏"),
    ProductSpec("HX-TB-M13P-512", "华信 平板 M13 Pro 12GB+512GB", "Huaxin Tablet M13 Pro 12GB+512GB",
                "平板电脑", "3999.00", "13.2英寸 OLED，支持手写笔"),
    ProductSpec("HX-TV-55U7", "华信 智慧屏 U7 55英寸 4K", "Huaxin Smart Screen U7 55\" 4K",
                "电视", "3299.00", "4K 120Hz，远场语音"),
    ProductSpec("HX-TV-65U7", "华信 智慧屏 U7 65英寸 4K", "Huaxin Smart Screen U7 65\" 4K",
                "电视", "4599.00", "4K 120Hz，远场语音"),
    ProductSpec("HX-TV-75U7", "华信 智慧屏 U7 75英寸 4K", "Huaxin Smart Screen U7 75\" 4K",
                "电视", "6299.00", "4K 120Hz，远场语音"),
    ProductSpec("HX-TV-85M9", "华信 智慧屏 M9 85英寸 Mini LED", "Huaxin Smart Screen M9 85\" Mini LED",
                "电视", "12999.00", "2000分区 Mini LED，峰值亮度 3000nits"),
    ProductSpec("HX-WR-BAND6", "华信 灵动手环 6", "Huaxin Lingdong Band 6",
                "智能穿戴", "249.00", "1.47英寸 AMOLED，14天续航"),
    ProductSpec("HX-WR-WATCH3-46", "华信 远航手表 3 46mm", "Huaxin Yuanhang Watch 3 46mm",
                "智能穿戴", "1488.00", "双频 GPS，血氧与心率监测"),
    ProductSpec("HX-WR-WATCH3-42", "华信 远航手表 3 42mm", "Huaxin Yuanhang Watch 3 42mm",
                "智能穿戴", "1388.00", "双频 GPS，血氧与心率监测"),
    ProductSpec("HX-WR-KIDS5", "华信 儿童手表 5 Pro", "Huaxin Kids Watch 5 Pro",
                "智能穿戴", "899.00", "4G 视频通话，九重定位"),
    ProductSpec("HX-AU-SYPRO2", "华信 声悦 Pro 2 无线降噪耳机", "Huaxin Shengyue Pro 2 ANC earbuds",
                "智能穿戴", "899.00", "主动降噪，LDAC 高清音质"),
    ProductSpec("HX-AC-CHG100", "华信 100W 氮化镓充电器", "Huaxin 100W GaN charger",
                "配件", "199.00", "三口快充"),
    ProductSpec("HX-AC-PB20K", "华信 20000mAh 快充移动电源", "Huaxin 20000mAh fast-charge power bank",
                "配件", "169.00", ""),
    ProductSpec("HX-SV-CARE1Y", "华信 碎屏意外保障服务（一年）", "Huaxin screen-damage care (1 year)",
                "服务", "299.00", "一年内一次屏幕免费更换"),
    ProductSpec("HX-SV-EXT2Y", "华信 延长保修服务（两年）", "Huaxin extended warranty (2 years)",
                "服务", "399.00", "整机保修延长两年"),
)

HUAXIN = TenantSpec(
    slug="huaxin",
    name="华信电子 Huaxin Electronics",
    default_language="zh-hans",
    users=(
        DemoUser("huaxin-owner", "陈建国", Role.OWNER),
        DemoUser("huaxin-manager", "李晓峰", Role.CHANNEL_MANAGER, areas=("EAST", "CENTRAL")),
        DemoUser("huaxin-manager2", "王静", Role.CHANNEL_MANAGER, areas=("NORTH", "NORTHEAST", "NORTHWEST")),
        DemoUser("huaxin-manager3", "张伟", Role.CHANNEL_MANAGER, areas=("SOUTH", "SOUTHWEST")),
        DemoUser("huaxin-trainer", "刘芳", Role.TRAINER),
        DemoUser("huaxin-legal", "赵敏", Role.LEGAL),
        DemoUser("huaxin-finance", "孙丽", Role.FINANCE),
        DemoUser("huaxin-partner-admin", "周强", Role.PARTNER_ADMIN, partner="dingsheng"),
        DemoUser("huaxin-partner-user", "吴婷", Role.PARTNER_USER, partner="dingsheng"),
        DemoUser("huaxin-partner2-admin", "徐磊", Role.PARTNER_ADMIN, partner="hengtong"),
        DemoUser("huaxin-partner2-user", "马欣", Role.PARTNER_USER, partner="hengtong"),
        DemoUser("huaxin-partner3-admin", "黄俊", Role.PARTNER_ADMIN, partner="hongda"),
        DemoUser("huaxin-partner3-user", "林雪", Role.PARTNER_USER, partner="hongda"),
    ),
    flagships=(
        FlagshipPartner(
            "dingsheng", "上海鼎盛电子科技有限公司", "Shanghai Dingsheng Electronic Technology Co., Ltd.",
            "鼎盛电子", PartnerType.DISTRIBUTOR, "310115", 2006, 5000, 320,
            "https://www.dingsheng-sh.com.cn", "上海市浦东新区世纪大道1568号中建大厦18层",
            (
                ContactSpec("周强", "zhouqiang", "总经理", "13901762258"),
                ContactSpec("吴婷", "wuting", "渠道销售经理", "13816630417"),
                ContactSpec("钱立", "qianli", "财务经理", "13764025531"),
            ),
        ),
        FlagshipPartner(
            "hengtong", "南京恒通数码科技有限公司", "Nanjing Hengtong Digital Technology Co., Ltd.",
            "恒通数码", PartnerType.RESELLER, "320100", 2012, 800, 64,
            "https://www.hengtong-nj.com.cn", "南京市鼓楼区中山北路88号金陵商务中心9层",
            (
                ContactSpec("徐磊", "xulei", "总经理", "13951680342"),
                ContactSpec("马欣", "maxin", "销售主管", "18751923306"),
            ),
        ),
        FlagshipPartner(
            "hongda", "深圳宏达通讯连锁有限公司", "Shenzhen Hongda Mobile Retail Chain Co., Ltd.",
            "宏达通讯", PartnerType.RETAILER, "440300", 2009, 1200, 210,
            "https://www.hongda-sz.com", "深圳市福田区深南大道6008号特区报业大厦21层",
            (
                ContactSpec("黄俊", "huangjun", "运营总监", "13823145906"),
                ContactSpec("林雪", "linxue", "门店经理", "13590281174"),
            ),
        ),
    ),
    kinds=_ELECTRONICS_KINDS,
    products=_ELECTRONICS_PRODUCTS,
    primary_titles=("总经理", "董事长", "销售总监"),
    other_titles=("采购经理", "市场经理", "财务经理", "售后服务主管", "运营经理", "渠道销售经理", "门店经理"),
    reasons={
        "onboarding": ("资质审核通过，进入入驻流程", "招募评审通过，启动入驻", "经区域评审同意，开始入驻"),
        "active": ("合作协议已签署，入驻清单完成", "完成产品培训与协议签署，正式合作"),
        "suspended": ("连续两季度销售数据逾期未报，暂停合作", "存在跨区窜货，暂停合作待调查"),
        "reinstated": ("整改完成，恢复合作",),
        "terminated_rejected": ("资质不符合招募标准，未予通过", "注册资本与经营规模未达要求"),
        "terminated_ended": ("合作协议到期，双方同意不再续签", "经营异常，终止合作"),
    },
)


# --- 安和保险 Anhe Insurance -----------------------------------------------------------

_INSURANCE_KINDS = (
    PartnerKind(
        PartnerType.AGENT, 50,
        (
            Industry("保险代理有限公司", "Insurance Agency Co., Ltd.", "保险代理"),
            Industry("保险代理股份有限公司", "Insurance Agency Co., Ltd.", "保险代理"),
        ),
        capital=(2000, 10000), staff=(30, 1200), founded=(2001, 2021), website_share=0.9,
    ),
    # Car dealers (4S shops) sell motor insurance as part-time agents (兼业代理).
    PartnerKind(
        PartnerType.AGENT, 15,
        (Industry("汽车销售服务有限公司", "Automobile Sales & Service Co., Ltd.", "汽车"),),
        capital=(500, 5000), staff=(40, 260), founded=(2000, 2020), website_share=0.7,
    ),
    PartnerKind(
        PartnerType.BROKER, 28,
        (Industry("保险经纪有限公司", "Insurance Brokers Co., Ltd.", "保险经纪"),),
        capital=(1000, 10000), staff=(20, 600), founded=(2000, 2021), website_share=1.0,
        city_prefix_share=0.5,
    ),
    PartnerKind(
        PartnerType.SERVICE_PROVIDER, 7,
        (Industry("保险公估有限公司", "Insurance Loss Adjusters Co., Ltd.", "保险公估"),),
        capital=(200, 2000), staff=(10, 150), founded=(2004, 2021), website_share=0.8,
    ),
)

_INSURANCE_PRODUCTS = (
    ProductSpec("AH-LIFE-TERM20", "安和定期寿险（20年期）", "Anhe Term Life (20 years)",
                "Life", "1200.00", "Sum assured CNY 1,000,000; indicative annual premium, age 30."),
    ProductSpec("AH-LIFE-WHOLE", "安和鑫享终身寿险", "Anhe Xinxiang Whole Life",
                "Life", "20000.00", "Increasing sum assured whole life; 10-year payment."),
    ProductSpec("AH-LIFE-ANNUITY", "安和福寿年金保险", "Anhe Fushou Annuity",
                "Life", "50000.00", "Pension annuity from age 60; 5-year payment."),
    ProductSpec("AH-LIFE-EDU", "安和学子教育年金", "Anhe Scholar Education Annuity",
                "Life", "10000.00", "Pays at ages 18 to 21 for university."),
    ProductSpec("AH-HLTH-MED1M", "安和百万医疗险", "Anhe Million-Yuan Medical",
                "Health", "368.00", "Inpatient medical up to CNY 3,000,000; CNY 10,000 deductible."),
    ProductSpec("AH-HLTH-CI", "安和康宁重大疾病保险", "Anhe Kangning Critical Illness",
                "Health", "6800.00", "110 critical illnesses, sum assured CNY 500,000."),
    ProductSpec("AH-HLTH-CANCER", "安和防癌医疗险", "Anhe Cancer Medical",
                "Health", "299.00", "Cancer treatment incl. proton therapy and targeted drugs."),
    ProductSpec("AH-HLTH-GROUP", "安和团体补充医疗保险", "Anhe Group Supplementary Medical",
                "Health", "800.00", "Per employee per year; outpatient and inpatient top-up."),
    ProductSpec("AH-PROP-HOME", "安和家庭财产保险", "Anhe Home Contents",
                "Property", "200.00", "Fire, burglary and water damage for homes."),
    ProductSpec("AH-PROP-SME", "安和小微企业财产一切险", "Anhe SME Property All Risks",
                "Property", "3500.00", "Premises, stock and equipment for small businesses."),
    ProductSpec("AH-PROP-CARGO", "安和货物运输保险", "Anhe Cargo Transit",
                "Property", "1500.00", "Domestic road, rail and waterway cargo."),
    ProductSpec("AH-AUTO-CTPL", "机动车交通事故责任强制保险", "Compulsory Motor Third-Party Liability (CTPL)",
                "Auto", "950.00", "Statutory cover, private car under 6 seats."),
    ProductSpec("AH-AUTO-COMM", "安和机动车商业保险", "Anhe Motor Commercial Insurance",
                "Auto", "3800.00", "Own damage, third party CNY 2,000,000, driver and passengers."),
    ProductSpec("AH-AUTO-NEV", "安和新能源汽车商业保险", "Anhe New-Energy Vehicle Insurance",
                "Auto", "5200.00", "Covers battery, motor and charging equipment."),
    ProductSpec("AH-ACC-PA", "安和综合意外伤害保险", "Anhe Personal Accident",
                "Accident", "180.00", "Accidental death, disability and medical expenses."),
    ProductSpec("AH-ACC-TRAVEL", "安和境外旅行意外保险", "Anhe Overseas Travel",
                "Accident", "120.00", "Per trip up to 30 days; medical evacuation included."),
)

ANHE = TenantSpec(
    slug="anhe",
    name="安和保险 Anhe Insurance",
    default_language="en",
    users=(
        DemoUser("anhe-owner", "郑国华", Role.OWNER),
        DemoUser("anhe-manager", "杨帆", Role.CHANNEL_MANAGER, areas=("EAST", "NORTHEAST")),
        DemoUser("anhe-manager2", "何佳", Role.CHANNEL_MANAGER, areas=("NORTH", "CENTRAL", "NORTHWEST")),
        DemoUser("anhe-manager3", "高鹏", Role.CHANNEL_MANAGER, areas=("SOUTH", "SOUTHWEST")),
        DemoUser("anhe-trainer", "罗琳", Role.TRAINER),
        DemoUser("anhe-legal", "梁晨", Role.LEGAL),
        DemoUser("anhe-finance", "谢颖", Role.FINANCE),
        DemoUser("anhe-partner-admin", "宋涛", Role.PARTNER_ADMIN, partner="minghui"),
        DemoUser("anhe-partner-user", "唐晓", Role.PARTNER_USER, partner="minghui"),
        DemoUser("anhe-partner2-admin", "韩斌", Role.PARTNER_ADMIN, partner="zhongcheng"),
        DemoUser("anhe-partner2-user", "冯倩", Role.PARTNER_USER, partner="zhongcheng"),
    ),
    flagships=(
        FlagshipPartner(
            "minghui", "上海明辉保险代理有限公司", "Shanghai Minghui Insurance Agency Co., Ltd.",
            "明辉保险代理", PartnerType.AGENT, "310101", 2008, 5000, 460,
            "https://www.minghui-ins.com.cn", "上海市黄浦区南京东路300号恒基名人商业大厦12层",
            (
                ContactSpec("宋涛", "songtao", "General Manager", "13917524460"),
                ContactSpec("唐晓", "tangxiao", "Team Manager", "13621908735"),
                ContactSpec("许文", "xuwen", "Compliance Officer", "13585740192"),
            ),
        ),
        FlagshipPartner(
            "zhongcheng", "北京众诚保险经纪有限公司", "Beijing Zhongcheng Insurance Brokers Co., Ltd.",
            "众诚保险经纪", PartnerType.BROKER, "110105", 2004, 5000, 180,
            "https://www.zhongcheng-broker.com", "北京市朝阳区建国门外大街1号国贸大厦A座26层",
            (
                ContactSpec("韩斌", "hanbin", "Managing Director", "13801163927"),
                ContactSpec("冯倩", "fengqian", "Account Director", "13910457718"),
            ),
        ),
    ),
    kinds=_INSURANCE_KINDS,
    products=_INSURANCE_PRODUCTS,
    primary_titles=("General Manager", "Managing Director", "Head of Business"),
    other_titles=(
        "Business Director", "Compliance Officer", "Team Manager", "Claims Service Manager",
        "Training Manager", "Finance Manager", "Account Director",
    ),
    reasons={
        "onboarding": ("Licence and qualifications verified; onboarding started",
                       "Recruitment review passed; onboarding started"),
        "active": ("Agency agreement signed and orientation training completed",
                   "Onboarding checklist completed; cooperation starts"),
        "suspended": ("Compliance review: sales practices under investigation",
                      "Premium remittance overdue for two months"),
        "reinstated": ("Corrective actions accepted; cooperation resumed",),
        "terminated_rejected": ("Does not meet the capital requirement for intermediaries",
                                "Licence not valid in the requested region"),
        "terminated_ended": ("Agreement expired and was not renewed",
                             "Intermediary licence revoked by the regulator"),
    },
)

TENANTS: tuple[TenantSpec, ...] = (HUAXIN, ANHE)
TENANT_SLUGS: tuple[str, ...] = tuple(spec.slug for spec in TENANTS)


# --- Credentials ------------------------------------------------------------------------


@dataclass(frozen=True)
class Credential:
    tenant: str  # slug, empty for the platform superuser
    role: str
    username: str
    password: str
    partner: str = ""


def _credentials() -> tuple[Credential, ...]:
    rows = [Credential("", "superuser", ADMIN_USERNAME, DEMO_PASSWORD)]
    for spec in TENANTS:
        partners = {flagship.key: flagship.legal_name for flagship in spec.flagships}
        rows.extend(
            Credential(spec.slug, str(user.role), user.username, DEMO_PASSWORD, partners.get(user.partner, ""))
            for user in spec.users
        )
    return tuple(rows)


# Every demo login, in the order the command prints them (copy this into the README).
DEMO_CREDENTIALS: tuple[Credential, ...] = _credentials()
