"""Texts for the demo's negative-review cases (中差评): reviews, findings, requests and replies.

Every text is a (Chinese, English) pair, like demo/texts.py; the products, carriers and
buyers come from there. Public replies and revision requests are read by other buyers or sent to
the buyer: they never use the phrases the shop's reply check refuses (但是, 不行, 不可以, 不对,
我不能, "but", "I can't", "no way", "not my job", ...); tests/cases/test_seed_demo.py checks them.
Placeholders: {product}, {defect}, {issue}, {carrier}, {days}, {agent}, {amount}.
"""

from __future__ import annotations

from demo.texts import Text

# The marketplace's category of each product (the review's `category`), by the product's zh name.
CATEGORIES: dict[str, Text] = {
    "保温杯": ("家居日用", "Home"), "手机壳": ("手机配件", "Phone accessories"),
    "羽绒服": ("女装/男装", "Clothing"), "茶具套装": ("茶具", "Tea ware"),
    "蓝牙耳机": ("数码", "Electronics"), "婴儿奶粉": ("母婴", "Baby"),
    "跑步鞋": ("运动鞋", "Sports shoes"), "护肤套装": ("美妆护肤", "Beauty"),
    "电热水壶": ("厨房电器", "Kitchen appliances"), "真丝围巾": ("服饰配件", "Accessories"),
    "机械键盘": ("电脑外设", "Computer accessories"), "床上四件套": ("家纺", "Bedding"),
    "坚果礼盒": ("零食", "Snacks"), "智能手表": ("智能设备", "Wearables"),
    "电饭煲": ("厨房电器", "Kitchen appliances"), "儿童积木": ("玩具", "Toys"),
}

# How often each cause is behind a low rating.
CAUSE_WEIGHTS: dict[str, int] = {"quality": 5, "logistics": 3, "description_mismatch": 3,
                                 "service_attitude": 2, "price": 1, "other": 1}

# The review the buyer posted, by cause.
REVIEWS: dict[str, tuple[Text, ...]] = {
    "quality": (
        ("{product}质量太差了，{defect}。用了没几天就这样，失望。",
         "Poor quality. The {product} {defect}. Only a few days of use. Disappointed."),
        ("收到货就发现{defect}，这个价位不应该是这种品控，给个差评提醒大家。",
         "Found that it {defect} as soon as it arrived. Not the quality you expect at this price."),
        ("一般般吧，{defect}，凑合用，不会回购了。",
         "Meh. It {defect}. Usable, I guess, but I won't buy again."),
        ("第二次买了，这次的{product}{defect}，上次明明挺好的，品控不稳定。",
         "Second purchase. This time the {product} {defect}; the first one was fine."),
    ),
    "logistics": (
        ("物流太慢了，{carrier}走了{days}天才到，外包装都压扁了。",
         "Shipping took {days} days with {carrier} and the box arrived crushed."),
        ("东西还行，就是发货太慢，催了好几次才发，等得我都不想要了。",
         "The item is OK, shipping was painfully slow; I had to chase them several times."),
        ("快递直接放驿站也不打电话，{product}在外面放了好几天，包装都湿了。",
         "The courier left it at a pickup point without calling; the {product} sat there for days "
         "and the box got wet."),
    ),
    "description_mismatch": (
        ("和描述不符，{issue}，感觉被骗了。",
         "Not as described: {issue}. Feels misleading."),
        ("图片仅供参考吧，实物{issue}，中评。",
         "The photos are 'for reference only', I suppose. In reality it {issue}."),
        ("买之前问了客服，说和图片一样，收到{issue}，不太满意。",
         "Asked before buying and was told it matches the photos. It {issue}. Not happy."),
    ),
    "service_attitude": (
        ("客服态度很差，问了三遍才回一句，还很不耐烦。东西本身还可以。",
         "Rude customer service: three questions before one curt answer. The item itself is fine."),
        ("售后推来推去，申请换货拖了一个星期没人管，{product}还在我手里。",
         "After-sales kept passing me around; my exchange request sat for a week."),
        ("客服回复全是机器人模板，问题一个都没解决。",
         "Every answer from support was a canned bot reply; nothing got solved."),
    ),
    "price": (
        ("刚买完第二天就降价了，差了不少钱，找客服也没给说法。",
         "The price dropped the day after I bought it, by quite a bit, and support shrugged."),
        ("活动价还没有平时便宜，套路太多，{product}本身中规中矩。",
         "The 'sale' price was higher than the normal one. Too many tricks; the {product} is "
         "average."),
    ),
    "other": (
        ("发票申请了一周还没开出来，东西还行。",
         "Asked for an invoice a week ago and still nothing. The item is OK."),
        ("少发了赠品，页面写着送收纳袋，收到没有。",
         "The free gift from the listing (a storage bag) was missing."),
    ),
}

# What the agent finds behind the review: the core problem and the remedy that meets it.
CORE_PROBLEMS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "quality": (
        ("买家其实还想用这件{product}，希望换一个没有问题的。",
         "The buyer still wants the {product} and would like a replacement that works.",
         "exchange"),
        ("买家不想再寄来寄去，东西还能用，希望补偿一部分差价。",
         "The buyer does not want to post it back; it is usable, a partial refund would be fair.",
         "partial_refund"),
        ("买家最在意的是被当成了试验品，想要一个重新发出的好货。",
         "The buyer mostly feels they got a reject and wants a good one shipped.", "reship"),
    ),
    "logistics": (
        ("买家生气的不是商品，是等太久又没人告知进度。",
         "What upset the buyer is not the item but the long wait without any update.", "coupon"),
        ("外包装压坏，里面的{product}有轻微磕碰，买家希望补偿一点。",
         "The crushed box dented the {product} slightly; the buyer would like some compensation.",
         "partial_refund"),
        ("买家只是想要一个道歉和以后发货更快的承诺。",
         "The buyer mainly wants an apology and faster shipping next time.", "apology_only"),
    ),
    "description_mismatch": (
        ("详情页信息确实有误导，买家希望换成和描述一致的款。",
         "The listing was misleading; the buyer wants the version that matches it.", "exchange"),
        ("买家觉得落差大，愿意留下商品，但希望退一部分钱。",
         "Big letdown; the buyer keeps the item and would like part of the money back.",
         "partial_refund"),
    ),
    "service_attitude": (
        ("买家在意的是被冷落的感觉，需要一个真诚的道歉。",
         "The buyer felt ignored and needs a sincere apology.", "apology_only"),
        ("换货申请被拖延，买家要的是马上处理好并有人负责到底。",
         "The exchange was left lying; the buyer wants it done now, by one person who owns it.",
         "exchange"),
    ),
    "price": (
        ("买家要的是价保：补上降价的差额。",
         "The buyer wants price protection: the difference refunded.", "partial_refund"),
        ("买家觉得吃亏了，送一张下次用的优惠券就能接受。",
         "The buyer feels short-changed; a coupon for next time would do.", "coupon"),
    ),
    "other": (
        ("发票流程卡住了，买家要尽快拿到电子发票。",
         "The invoice got stuck; the buyer needs the e-invoice soon.", "apology_only"),
        ("赠品漏发，买家希望补寄赠品。", "The free gift was left out; the buyer wants it sent.",
         "reship"),
    ),
}

# Calling the buyer about the review.
REACHED_CALLS: tuple[Text, ...] = (
    ("电话联系上买家，先为评价里说的问题道歉，买家愿意聊一聊。",
     "Reached the buyer by phone, apologised for what the review describes; they were willing to "
     "talk."),
    ("旺旺联系后买家回电，语气有些冲，耐心听完。",
     "The buyer called back after our chat message, a bit sharp; listened patiently."),
    ("打通买家电话，说明是看到评价专门来了解情况的。",
     "Got through and explained we saw the review and want to understand what happened."),
)
NO_ANSWER_CALLS: tuple[Text, ...] = (
    ("看到差评后致电买家，无人接听。", "Called the buyer about the review: no answer."),
    ("电话响了很久没人接，稍后再试。", "Rang for a long time, nobody picked up; will try later."),
    ("提示用户忙，没有接通。", "Line busy, not connected."),
)
DO_NOT_CONTACT_CALLS: tuple[Text, ...] = (
    ("买家接了电话，说评价就是真实感受，不想被打扰，请不要再联系。",
     "The buyer picked up, said the review is their honest opinion and asked not to be "
     "contacted again."),
    ("买家明确表示不希望接到商家电话，已记录，不再联系。",
     "The buyer made clear they want no calls from shops; noted, no further contact."),
)
CALM_NOTES: tuple[Text, ...] = (
    ("买家说完了不满，诚恳道歉，没有解释谁的责任，买家情绪缓和。",
     "Let the buyer say everything, apologised sincerely without arguing about blame; they "
     "calmed down."),
    ("先感谢买家愿意给反馈，认可她的感受，买家语气软了下来。",
     "Thanked the buyer for the feedback and acknowledged their feelings; their tone softened."),
    ("买家担心找商家会被纠缠，说明只是来帮忙解决问题的，买家放心了。",
     "The buyer feared being pestered; explained we only want to fix the problem, which "
     "reassured them."),
)

# The one polite request to update the review, sent once the remedy is done.
REVISION_REQUESTS: tuple[Text, ...] = (
    ("亲，问题已经帮您处理好了，如果您觉得满意，方便的时候可以更新一下评价吗？完全看您的意愿，"
     "谢谢您～",
     "Everything should be sorted now. If you are happy with how we handled it, would you "
     "consider updating your review? Entirely up to you, and thank you either way."),
    ("感谢您给我们改进的机会！如果这次的处理让您满意，能否帮忙追评或修改一下评价呢？只打扰您这一次。",
     "Thank you for giving us the chance to put it right. If you are satisfied, could you update "
     "your review? We will only ask this once."),
    ("{agent}这边已经全部跟进完了，您收到后如果觉得还可以，希望能更新一下评价，感谢支持！",
     "{agent} here, all done on our side. If it works for you now, an updated review would mean "
     "a lot to us. Thanks!"),
)

# Public replies under the review: explain, own it, show the service. Checked for phrases.
PUBLIC_REPLIES: dict[str, tuple[Text, ...]] = {
    "quality": (
        ("亲，非常抱歉{product}让您失望了。我们已经联系您安排处理，同时把这批货退回工厂复检。"
         "每件{product}出库前都会多加一道检查，感谢您的反馈让我们做得更好。",
         "We are truly sorry the {product} let you down. We have been in touch to put it right "
         "and have sent this batch back to the factory for inspection; every {product} now gets "
         "an extra check before it ships. Thank you for helping us improve."),
        ("感谢您的真实评价。您遇到的问题我们非常重视，已为您安排了处理方案。店铺所有商品支持七天无理由"
         "退换，质量问题来回运费由我们承担，有任何需要请随时联系客服。",
         "Thank you for your honest review. We take this seriously and have arranged a solution "
         "with you. Every item in our shop can be returned within seven days, and we pay the "
         "postage both ways for quality problems. We are always here to help."),
    ),
    "logistics": (
        ("亲，让您久等了，真的很抱歉。这批订单因为快递中转站爆仓延误了，我们已经向{carrier}反馈，"
         "并为您补偿了心意。之后我们会优先安排发货，并在物流异常时主动告知。",
         "Sorry for the long wait. This batch was delayed at an overloaded sorting centre; we "
         "have raised it with {carrier} and sent you a small token of apology. From now on we "
         "ship earlier and tell buyers ourselves when a parcel is late."),
        ("感谢您的反馈。包装在运输中受损，我们已经更换了更结实的纸箱和防震气泡袋，"
         "希望下次给您更好的收货体验。",
         "Thank you for telling us. The box was damaged in transit; we have switched to sturdier "
         "cartons and more padding so your next delivery arrives in better shape."),
    ),
    "description_mismatch": (
        ("亲，很抱歉详情页让您产生了误解。我们已经重新拍摄实物图并更新了参数说明，"
         "也为您安排了处理方案。欢迎大家购买前咨询客服，我们会如实告知实物情况。",
         "We are sorry our listing gave the wrong impression. We have re-shot the photos, "
         "corrected the details and arranged a solution with you. Anyone is welcome to ask us "
         "before buying: we will describe the item exactly as it is."),
        ("感谢您指出问题！页面信息已经核对修改，每位买家收到的商品都会和描述保持一致。"
         "给您带来不便，我们深感抱歉。",
         "Thank you for pointing this out. We have checked and corrected the listing so that "
         "what arrives matches what is described. We apologise for the trouble."),
    ),
    "service_attitude": (
        ("亲，非常抱歉客服的回复让您感到被怠慢。我们已经和当班同事一起复盘了这次对话，"
         "并安排专人跟进您的问题直到解决。您的感受对我们很重要。",
         "We are very sorry our reply made you feel neglected. We have gone through the "
         "conversation with the colleague on duty, and one person now follows your request until "
         "it is done. How you feel matters to us."),
        ("感谢您的批评。我们已经调整了售后流程，换货申请会在24小时内有人跟进，"
         "也欢迎您随时直接联系客服主管。",
         "Thank you for the criticism. We have changed our after-sales process so that every "
         "exchange request is picked up within 24 hours, and you can always reach our support "
         "lead directly."),
    ),
    "price": (
        ("亲，理解您的心情。店铺支持15天价保，差价我们已经为您补上。"
         "以后遇到价格变动，欢迎直接联系客服申请价保。",
         "We understand how that feels. Our shop offers 15-day price protection and we have "
         "refunded the difference. If a price changes after you buy, just contact us and we "
         "will apply it."),
    ),
    "other": (
        ("亲，抱歉给您添麻烦了。问题已经为您处理好，我们也检查了流程，避免同样的情况再次发生。"
         "有需要随时找我们。",
         "Sorry for the trouble. We have sorted it out for you and checked our process so it "
         "does not happen again. We are here whenever you need us."),
    ),
}
# For a buyer who asked not to be contacted: the reply is the shop's only way to answer.
NO_CONTACT_REPLIES: tuple[Text, ...] = (
    ("亲，尊重您不希望被打扰的意愿，我们就在这里回复。您提到的问题我们已经记录并交给相关同事改进，"
     "如果之后需要售后，随时联系在线客服，我们都会尽力帮您处理好。",
     "We respect your wish not to be contacted, so we answer here. We have noted the problem "
     "you describe and passed it to the team to fix. Should you need any help later, our online "
     "support is always glad to help you."),
    ("感谢您花时间写下评价。遵照您的意愿我们不再致电打扰。关于您提到的情况，"
     "店铺支持七天无理由退换，您可以随时在订单页发起售后，我们会第一时间处理。",
     "Thank you for taking the time to write this. As you asked, we will not call you. For the "
     "issue you mention, every order can be returned within seven days: start it from the order "
     "page whenever you like and we will handle it right away."),
)
# For a buyer the shop could not reach (the contact limit is used up): answer under the review.
UNREACHABLE_REPLIES: tuple[Text, ...] = (
    ("亲，看到您的评价后我们几次致电都没能联系上您，就在这里回复。非常抱歉这次的体验，"
     "您提到的问题我们已经反馈给仓库改进。您方便时联系在线客服，退换和补偿都会第一时间为您安排。",
     "We tried to call you after reading your review and could not get through, so we answer "
     "here. We are sorry about your experience and have passed the problem on to our warehouse. "
     "Whenever it suits you, message our online support and we will arrange an exchange or "
     "compensation right away."),
    ("感谢您的反馈，也抱歉没能通过电话联系到您。店铺支持七天无理由退换，质量问题运费由我们承担，"
     "您可以直接在订单页申请售后，我们会优先处理。",
     "Thank you for the feedback, and sorry we could not reach you by phone. Every order can be "
     "returned within seven days and we pay the postage for quality problems: start it from the "
     "order page and we will handle it first."),
)

ESCALATE_REASONS: tuple[Text, ...] = (
    ("买家要求的补偿超出客服权限，转主管决定。",
     "The compensation the buyer asks for is above an agent's limit; passing to the supervisor."),
    ("买家说要向平台投诉并曝光到社交媒体，转主管处理。",
     "The buyer threatens a platform complaint and social media; passing to the supervisor."),
    ("评价里提到疑似批次质量问题，需要主管和供应商确认。",
     "The review hints at a batch-wide quality problem; the supervisor checks with the supplier."),
)
CLOSE_NOTES: tuple[Text, ...] = (
    ("评价已追评/回复，结案。", "Review updated or answered; closing."),
    ("处理完毕，问题已反馈到仓库。", "Done; the problem was passed on to the warehouse."),
)
