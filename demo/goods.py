"""The demo shop's goods and buyers (`manage.py seed_demo`): products, colours, carriers, cities,
buyers' handles, names and phones, and the agents' chat names. Texts are (Chinese, English) pairs."""

from __future__ import annotations

from dataclasses import dataclass

from demo.texts import Text


@dataclass(frozen=True)
class Product:
    name: Text
    price: tuple[int, int]  # paid amount range in CNY
    defects: tuple[Text, ...]  # what broke: refund requests
    issues: tuple[Text, ...]  # how it differs from the listing: item not as described
    coloured: bool = True  # colour complaints make sense


PRODUCTS: tuple[Product, ...] = (
    Product(("保温杯", "thermos cup"), (39, 169), (
        ("杯身有一道裂痕", "arrived with a crack in the body"),
        ("保温效果很差，热水两个小时就凉了", "barely keeps water warm: cold within two hours"),
        ("盖子拧不紧，一倒就漏水", "has a lid that does not seal and leaks"),
    ), (
        ("实物容量只有350ml，详情页写的是500ml", "holds 350 ml, the listing says 500 ml"),
        ("杯身没有详情页上的激光刻字", "lacks the engraving shown in the listing"),
    )),
    Product(("手机壳", "phone case"), (19, 59), (
        ("用了一天边角就开裂了", "cracked at the corners after one day"),
        ("装上以后侧键按不动", "makes the side buttons impossible to press"),
    ), (
        ("型号不对，装不进iPhone 15", "is the wrong model and does not fit an iPhone 15"),
        ("图案印得很模糊，和图片差很多", "has a blurry print, nothing like the photo"),
    )),
    Product(("羽绒服", "down jacket"), (399, 1299), (
        ("拉链坏了，怎么都拉不上", "has a broken zip"),
        ("一直往外钻毛，穿一次身上全是绒", "keeps shedding down everywhere"),
    ), (
        ("摸起来很薄，含绒量明显不够", "feels thin; the down content is clearly lower than stated"),
        ("吊牌写的是鸭绒，页面写的是白鹅绒",
         "has a tag saying duck down; the listing says goose down"),
    )),
    Product(("茶具套装", "tea set"), (128, 688), (
        ("收到时茶壶的壶嘴碎了", "arrived with the teapot spout broken"),
        ("少了两个品茗杯", "is missing two cups"),
    ), (
        ("釉色发灰，和图片上的天青色不一样", "has a greyish glaze, not the celadon in the photos"),
        ("不是手工的，底部有机器压印", "is not handmade as advertised: machine stamp underneath"),
    )),
    Product(("蓝牙耳机", "Bluetooth earphones"), (99, 899), (
        ("左耳没有声音", "have no sound in the left earbud"),
        ("充电仓充不进电", "come with a charging case that will not charge"),
    ), (
        ("没有降噪功能，页面写的是主动降噪",
         "have no noise cancelling although the listing promises it"),
        ("续航只有两个小时，说好的八小时",
         "last two hours on a charge instead of the promised eight"),
    )),
    Product(("婴儿奶粉", "baby formula"), (198, 468), (
        ("罐子底部凹进去一块，担心漏气",
         "came in a dented tin; the buyer fears the seal is broken"),
        ("离保质期只剩两个月", "expires in only two months"),
    ), (
        ("收到的是2段，下单的是1段", "is stage 2 although stage 1 was ordered"),
        ("包装是港版，页面写的是国行", "comes in HK packaging; the listing says mainland version"),
    ), coloured=False),
    Product(("跑步鞋", "running shoes"), (199, 699), (
        ("穿了一周鞋底就开胶了", "have soles coming unglued after a week"),
        ("两只鞋颜色深浅不一样", "are two different shades"),
    ), (
        ("偏小一码，和尺码表对不上", "run a full size small, unlike the size chart"),
        ("鞋盒里没有防伪标", "came without the authenticity tag"),
    )),
    Product(("护肤套装", "skincare set"), (159, 899), (
        ("乳液瓶漏了一半", "arrived with the lotion bottle half leaked"),
        ("用了以后脸上起红疹", "caused a rash on the buyer's face"),
    ), (
        ("套装里少了精华液小样", "is missing the serum sample listed in the set"),
        ("生产日期是两年前的", "was made two years ago although the listing says fresh stock"),
    ), coloured=False),
    Product(("电热水壶", "electric kettle"), (69, 259), (
        ("烧水时底座有焦味", "smells burnt at the base when boiling"),
        ("水开了不会自动断电", "does not switch off when the water boils"),
    ), (
        ("内胆不是304不锈钢，有塑料味",
         "has an inner pot that is not 304 steel and smells of plastic"),
        ("容量只有1.2L，页面写的是1.8L", "holds 1.2 L; the listing says 1.8 L"),
    )),
    Product(("真丝围巾", "silk scarf"), (89, 399), (
        ("有好几处勾丝和抽线", "has several snags and pulled threads"),
        ("洗了一次就严重掉色", "lost its colour after one wash"),
    ), (
        ("不是真丝，烧了一根线是塑料味", "is not silk: a burnt thread smells of plastic"),
        ("尺寸比描述小了一圈", "is noticeably smaller than described"),
    )),
    Product(("机械键盘", "mechanical keyboard"), (199, 999), (
        ("有几个键按了没反应", "has several keys that do not register"),
        ("背光一半不亮", "has half of its backlight dead"),
    ), (
        ("收到的是红轴，下单的是青轴", "has red switches instead of the blue ones ordered"),
        ("不支持蓝牙，页面写的是三模", "has no Bluetooth although the listing says tri-mode"),
    )),
    Product(("床上四件套", "bedding set"), (159, 599), (
        ("被套上有一块污渍", "came with a stain on the duvet cover"),
        ("洗了一次就起球", "pilled after one wash"),
    ), (
        ("不是纯棉，摸着像涤纶", "is not pure cotton; it feels like polyester"),
        ("发来的是1.5米的，下单的是1.8米", "is the 1.5 m size instead of the 1.8 m ordered"),
    )),
    Product(("坚果礼盒", "nut gift box"), (59, 198), (
        ("核桃有哈喇味", "contains rancid walnuts"),
        ("礼盒压扁了，没法送人", "arrived crushed and cannot be given as a present"),
    ), (
        ("页面写12袋，实际只有10袋", "has 10 bags instead of the 12 listed"),
        ("净含量比标注的少", "weighs less than the label says"),
    ), coloured=False),
    Product(("智能手表", "smart watch"), (399, 1999), (
        ("屏幕上有两个坏点", "has two dead pixels on the screen"),
        ("充电器插上没反应", "will not charge"),
    ), (
        ("没有血氧检测功能，页面上写了有", "has no blood-oxygen sensor although it is advertised"),
        ("表带的颜色和图片不一样", "has a strap colour that differs from the photo"),
    )),
    Product(("电饭煲", "rice cooker"), (199, 899), (
        ("内胆涂层掉了", "has an inner pot whose coating peels"),
        ("煮出来的饭是夹生的", "leaves the rice half-cooked"),
    ), (
        ("不是IH加热，是普通底盘加热",
         "is not IH heating as advertised, just a plain heating plate"),
        ("容量是3L，不是页面写的4L", "holds 3 L, not the 4 L in the listing"),
    )),
    Product(("儿童积木", "building blocks set"), (49, 399), (
        ("少了好几个零件，拼不完整", "is missing several pieces"),
        ("零件有毛刺，担心划伤孩子", "has sharp burrs that could cut a child"),
    ), (
        ("和乐高不兼容，页面写的是兼容", "is not LEGO-compatible as the listing claims"),
        ("盒子里的款式和图片不一样", "is a different model from the picture"),
    )),
)

COLOURS: tuple[Text, ...] = (
    ("藏青色", "navy"), ("米白色", "off-white"), ("雾霾蓝", "haze blue"), ("樱花粉", "sakura pink"),
    ("墨绿色", "dark green"), ("卡其色", "khaki"), ("酒红色", "burgundy"), ("浅灰色", "light grey"),
)

CARRIERS: tuple[Text, ...] = (
    ("中通快递", "ZTO Express"), ("圆通速递", "YTO Express"), ("韵达快递", "Yunda Express"),
    ("顺丰速运", "SF Express"), ("申通快递", "STO Express"), ("京东物流", "JD Logistics"),
    ("中国邮政EMS", "China Post EMS"),
)

CITIES: tuple[Text, ...] = (
    ("杭州", "Hangzhou"), ("广州", "Guangzhou"), ("成都", "Chengdu"), ("武汉", "Wuhan"),
    ("郑州", "Zhengzhou"), ("西安", "Xi'an"), ("沈阳", "Shenyang"), ("昆明", "Kunming"),
    ("义乌", "Yiwu"), ("苏州", "Suzhou"),
)

# --- buyers ---------------------------------------------------------------------------------------

HANDLES_ZH = (
    "小鱼儿2019", "追风少年", "爱吃鱼的猫", "橘子汽水", "风吹麦浪", "星河滚烫", "喵小姐",
    "一只小柠檬", "奶茶续命", "晴天娃娃88", "大白兔不吃糖", "阳光下的向日葵", "南风知我意",
    "吃货小分队", "旺仔牛奶",
    "糖炒栗子", "小熊软糖", "土豆丝儿", "快乐的小胖", "云淡风轻", "宝妈乐乐", "甜甜圈圈", "木子李",
    "夏天的风1996", "深夜食堂", "不吃香菜", "芒果布丁", "海边的卡夫卡", "蓝色天空", "开心果果",
    "西瓜太郎", "柚子茶", "tb_8823915", "jd_王先生", "安静的美男子", "猫咪老师", "路过的小蜗牛",
)
HANDLES_EN = (
    "emily_sh", "tomlee88", "jess.w", "mike_chen", "sarah2021", "alexwong", "lucy_in_sh",
    "daniel_bj", "kate.z", "hk_buyer_ray",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN_NAMES = (
    "芳", "娜", "伟", "洋", "静", "丽", "强", "磊", "敏", "婷", "杰", "晓燕", "志强", "秀英",
    "雨涵", "子轩", "思琪", "浩然", "佳怡", "俊杰", "梓萱", "一鸣",
)
NAMES_EN = (
    "Emily Zhang", "Tom Lee", "Jessica Wang", "Mike Chen", "Sarah Liu", "Alex Wong", "Lucy Zhao",
    "Daniel Wu", "Kate Zhou", "Ray Ho",
)
PHONE_PREFIXES = (
    "138", "139", "136", "137", "135", "150", "151", "158", "159", "186", "187", "188", "177",
    "176", "199", "133", "189",
)

# The agents as buyers know them (their chat names).
AGENT_NICKS: dict[str, Text] = {"agent1": ("小美", "Mei"), "agent2": ("阿杰", "Jay")}
