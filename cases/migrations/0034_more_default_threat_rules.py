"""More default threat rules, for the phrasings the first ones missed on the held-out texts:
social networks and forums named as where the buyer will post or warn others, a legal team or
law firm, a report to a marketplace, a payment provider or the buyer's bank, and a review taken
down or changed for money. Every shop gets them as defaults (rules without a shop).

What a shop (or an admin) already has is kept: a default of the same kind and pattern is left as
it is (not added twice, not switched back on), and a shop's own rules are not touched, so a shop
that already wrote one of these patterns keeps its own (rules_for lets it win over the default).
The reverse removes these defaults, and nothing else: the shops' own rules of the same pattern
stay (they were the shop's before, or the shop's edit after). A default of one of these exact
patterns that an admin had typed in by hand before this migration cannot be told apart from the
one added here, so going back removes it too; the patterns are long enough that none is expected.
"""

from django.db import migrations

# Chinese patterns match anywhere; English ones (letters and signs only) whole words, any case.
# A social network alone is not a threat ("I saw your ad on Facebook", 在小红书上看到的): the rules
# need the buyer posting, warning or telling others there.
MONEY_ZH = r"(赔|补偿|返现|退钱|退款|红包|[0-9一二两三四五六七八九十百千]+(块|元))"
# The buyer promising, after the money: "…，我把差评删了", "…我就追加好评" (not "让我改好评", the seller's
# offer told by the buyer).
BUYER_PROMISES_ZH = "[^。！？!?]{0,10}(?<![让要叫])(我就?|就)"
NETWORKS_EN = r"(facebook|fb|instagram|insta|tiktok|twitter|reddit|youtube|snapchat|trustpilot)"
REPORTED_EN = (r"report(s|ed|ing)?( it| this| them| the (item|listing|order|product|seller|shop"
               r"|store))? to ")
# What a buyer posts: this, the photos, the whole chat (not "a question", "the link").
POSTED_EN = (r"(post|shar|put|writ|upload|expos)[a-z]* (it|this|them|about|([a-z]+ )?([a-z]+ )?"
             r"(photo|pic|video|screen|chat|story|review)[a-z]*)[^.!?]{0,30}(on|to|in) ([a-z]+ )?")
CARD_EN = r"(my|the) (bank|(credit |debit )?card( company| issuer| provider)?)"

ADDED = {
    "platform_complaint": [
        REPORTED_EN + "(etsy|amazon|ebay|aliexpress|shopify|walmart|temu|shein)",
        REPORTED_EN + "(paypal|klarna|visa|mastercard|amex|" + CARD_EN + ")",
        r"(complain(ed|ing)?|escalat(e|ed|ing)( it| this)?) to (paypal|klarna|" + CARD_EN + ")",
        r"disput(e|es|ed|ing)[^.!?]{0,30} (with|through|via) (paypal|klarna|visa|mastercard|amex|"
        + CARD_EN + ")",
        r"(paypal|amazon|ebay|etsy|aliexpress|klarna) (dispute|claim)s?",
        "charge-backs?",
        "(申请|发起|办理|要求银行|找银行)拒付", "信用卡[^，。！？]{0,6}(拒付|争议|申诉)",
        "(向|跟|找|给)(平台|淘宝|天猫|京东|拼多多|抖店|抖音|闲鱼|官方|小二)(反映|反馈|申诉|讨说法|要说法|评理)",
        "(我要|我会|我去|我已经|已经|去|要)申诉",
    ],
    "legal": [
        r"legal (team|department|counsel|adviser|advisor|representative|advice|letter)",
        "law (firm|office)", "legal aid",
        "letter before action", "cease and desist", "demand letter", "tribunal",
        r"press(ing)? charges",
        "法务", "法律顾问", "追究[^，。！？,.!?]{0,8}责任", "走法律", "司法(途径|程序|鉴定)", "传票",
    ],
    "exposure": [
        POSTED_EN + "(facebook|fb|x|twitter)", POSTED_EN + "(insta[a-z]*|tiktok|snapchat)",
        POSTED_EN + "(reddit|youtube|trustpilot)",
        r"(make sure|let|tell[a-z]*|warn[a-z]*) (every(one|body)|people|(all )?my [a-z]+"
        r"|other buyers)[^.!?]{0,20}(on|in) " + NETWORKS_EN,
        "(?<!转)(发|挂|晒|贴|传)(?!现)(到|在|上)?[^，。！？,.!?]{0,4}(快手|视频号|豆瓣|头条|公众号|微信群|什么值得买"
        "|推特|脸书|油管)",
        "(微博|抖音|小红书|朋友圈|知乎|快手|视频号|豆瓣|B站|贴吧|论坛|网上)(上)?[^，。！？]{0,6}(发帖|发视频|发文|吐槽"
        "|避雷|揭露|挂你们|曝光)",
        "让(姐妹们|网友|其他买家|更多人)(都)?(知道|看看|避雷)", "让(大家|所有人|全网)(都)?避雷",
        "(发|写|出)(个|一个|一篇|条)?避雷",
    ],
    "review_extortion": [
        r"(pay|send|give|refund|compensate|reimburse)[a-z]*[^.!?]{0,25}(and|then|,) "
        r"(i'll|i will|i'd) (remove|delete|change|update|edit|raise|take down) (my|the) "
        r"([a-z-]+ )?([a-z-]+ )?(review|rating|feedback)",
        r"(remove|delete|change|update|edit|raise|take down) (my|the) [^.!?]{0,15}(review|rating"
        r"|feedback)[^.!?]{0,30}(if|when|once|after) (you (pay|refund|send|compensate)|i get "
        r"(a refund|my money|paid))",
        r"in (exchange|return) for (removing|deleting|changing|updating|taking down) (my|the)",
        MONEY_ZH + BUYER_PROMISES_ZH + "(把|将)?(差评|一星|中评|负评)(给你们?)?(删|撤|改)(?!不)",
        MONEY_ZH + "[^。！？!?]{0,10}(差评|一星)(我就?|就)[^。！？!?不]{0,2}(删|撤|改)(?!不)",
        MONEY_ZH + BUYER_PROMISES_ZH + "[^。！？!?]{0,4}(改|换|追加|补)(成|为)?(好评|五星|5星)",
        "(删|撤|改)掉?(差评|一星|中评)[^。！？!?]{0,4}(?<!不)(可以|没问题|行)[^。！？!?]{0,4}(赔|补偿|返现|退钱|给钱)",
    ],
}


def add_defaults(apps, schema_editor):
    """Each rule as a default, unless a default of that kind and pattern is there already."""
    ThreatRule = apps.get_model("cases", "ThreatRule")
    have = set(ThreatRule.objects.filter(shop=None).values_list("code", "pattern"))
    ThreatRule.objects.bulk_create(
        [ThreatRule(shop=None, code=code, pattern=pattern)
         for code, patterns in ADDED.items() for pattern in patterns
         if (code, pattern) not in have],
        ignore_conflicts=True)


def remove_defaults(apps, schema_editor):
    """These defaults, not the shops' own rules of the same pattern."""
    ThreatRule = apps.get_model("cases", "ThreatRule")
    for code, patterns in ADDED.items():
        ThreatRule.objects.filter(shop=None, code=code, pattern__in=patterns).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0033_scorecard_message_index'),
    ]

    operations = [
        migrations.RunPython(add_defaults, remove_defaults),
    ]
