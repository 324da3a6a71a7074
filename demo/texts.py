"""Texts for the demo data (`manage.py seed_demo`): what buyers ask and what agents write (the
products and the buyers themselves: demo/goods.py).

Every text is a (Chinese, English) pair; a demo case is written in one of the two languages.
Placeholders in braces are filled in by the command ({product}, {days}, {carrier}, ...).
"""

from __future__ import annotations

Text = tuple[str, str]  # (zh, en)


# --- what the marketplace sends: case descriptions ------------------------------------------------

REFUND_DEFECT: tuple[Text, ...] = (
    ("买家申请退款：收到的{product}{defect}。", "Buyer requests a refund: the {product} {defect}."),
    ("买家申请退货退款，理由：{product}{defect}，已在聊天里发了照片。",
     "Return-and-refund request: the {product} {defect}; photos sent in chat."),
    ("订单{order}：买家说{product}{defect}，要求退款，语气比较急。",
     "Order {order}: the buyer says the {product} {defect} and wants a refund, urgently."),
    ("买家申请仅退款：{product}{defect}，不想再寄回来了。",
     "Refund-only request: the {product} {defect}; the buyer does not want to ship it back."),
)
REFUND_UNOPENED: tuple[Text, ...] = (
    ("买家称拍错了款式，{product}还没拆封，申请七天无理由退货退款。",
     "Wrong variant ordered; the {product} is still sealed. 7-day no-reason return requested."),
    ("买家不想要了，{product}未拆封，申请退款并问运费谁出。",
     "Buyer changed their mind; the {product} is unopened. Asks who pays the return postage."),
)
REFUND_PRICE: tuple[Text, ...] = (
    ("买家申请退差价：{product}下单三天后降价了{diff}元。",
     "Price protection: the {product} dropped by {diff} CNY three days after purchase."),
    ("买家说大促期间{product}便宜了{diff}元，要求补差价，否则退货。",
     "The {product} is {diff} CNY cheaper in the sale; the buyer wants the difference or a "
     "return."),
)

# Non-delivery: the description follows what the carrier's tracking shows.
NON_DELIVERY: dict[str, tuple[Text, ...]] = {
    "in_transit": (
        ("买家反馈已经{days}天了还没收到{product}，物流一直停在{city}转运中心。",
         "Parcel not received for {days} days; tracking stuck at the {city} sorting centre."),
        ("买家催单：{product}是给孩子的生日礼物，{carrier}显示运输中已经{days}天了。",
         "The {product} is a birthday present; {carrier} shows it in transit for {days} days."),
    ),
    "lost": (
        ("{carrier}的物流{days}天没有更新，快递网点说包裹可能丢了。",
         "{carrier} tracking has not moved for {days} days; the depot says the parcel is lost."),
        ("买家说{product}一直没到，联系{carrier}客服说找不到件了。",
         "The {product} never arrived; {carrier} support cannot locate the parcel."),
    ),
    "delivered_not_received": (
        ("物流显示已签收，但买家说没有收到{product}，快递柜和门卫都问过了（{carrier}）。",
         "Tracking says delivered, but the buyer never got the {product}. Locker and front desk "
         "checked ({carrier})."),
        ("买家说不是本人签收的，怀疑{product}被人冒领了。",
         "Signed for by someone else; the buyer suspects the {product} was taken."),
    ),
    "returned_to_sender": (
        ("物流显示“地址不详，退回寄件人”，买家很生气，说地址写得很清楚。",
         "Tracking says 'address unclear, returned to sender'; the buyer insists the address was "
         "right."),
        ("{product}在{city}被退回了，买家说没有人联系过他。",
         "The {product} was returned from {city}; nobody called the buyer."),
    ),
    "no_tracking": (
        ("买家说{carrier}单号查不到任何物流信息，已经付款{days}天了。",
         "No tracking information at all for the {carrier} number; paid {days} days ago."),
        ("发货{days}天了，物流一直只有“已揽收”，没有后续。",
         "Shipped {days} days ago; the tracking never went past 'label created'."),
    ),
}

NAD_ISSUE: tuple[Text, ...] = (
    ("买家说收到的{product}{issue}，和描述不符。", "Item not as described: the {product} {issue}."),
    ("货不对板：{product}{issue}，买家发来了照片。",
     "Not as described: the {product} {issue}; the buyer sent photos."),
    ("买家反馈{product}{issue}，觉得被骗了，要求处理。",
     "The buyer feels cheated: the {product} {issue}."),
)
NAD_COLOUR: tuple[Text, ...] = (
    ("货不对板：收到的{product}颜色和详情页图片不一样，页面是{listed}，实物偏{received}。",
     "Colour differs from the listing photo: the {product} is listed as {listed}, arrived "
     "{received}."),
    ("买家说{product}色差太大了，下单的{listed}，收到像{received}。",
     "Big colour difference: ordered the {listed} {product}, it looks {received}."),
)

# --- what the agents write --------------------------------------------------------------------

# The buyer's first message, logged before the first reply.
BUYER_FIRST_MESSAGES: dict[str, tuple[Text, ...]] = {
    "refund": (
        ("在吗？我的退款申请怎么还没人处理？", "Hello? Is anyone handling my refund request?"),
        ("你好，东西有问题，我申请退款了，麻烦尽快。",
         "Hi, the item is faulty; please process my refund."),
    ),
    "non_delivery": (
        ("你好，我的快递到底什么时候到？", "Hi, when will my parcel arrive?"),
        ("物流好几天不动了，你们能不能查一下？", "Tracking hasn't moved for days, can you check?"),
    ),
    "not_as_described": (
        ("亲，东西和图片完全不一样，怎么处理？",
         "The item looks nothing like the pictures. What now?"),
        ("你们家是不是发错货了？", "Did you send me the wrong item?"),
    ),
}

ACKNOWLEDGE: dict[str, tuple[Text, ...]] = {
    "any": (
        ("亲，您好！我是售后客服{agent}，您的申请已经收到，马上为您核实处理，请稍等哦～",
         "Hi, this is {agent} from after-sales. We have your request and are looking into it now."),
        ("您好，非常抱歉给您带来不好的购物体验，您反馈的问题我已经记录下来了，这就帮您跟进。",
         "Hello, we are sorry for the trouble. I have noted the problem and am following it up."),
        ("亲，在的呢～我是{agent}，这个问题交给我来处理，今天之内给您答复。",
         "Hi, I'm {agent} and I'll take care of this; you will hear from me today."),
    ),
    "refund": (
        ("亲，您的退款申请我们已经看到了，正在为您核实订单，请您稍等片刻。",
         "We have seen your refund request and are checking the order; one moment please."),
    ),
    "non_delivery": (
        ("亲，已经帮您联系快递查询物流了，有结果第一时间告诉您。",
         "I have asked the carrier about your parcel and will update you as soon as I hear back."),
    ),
    "not_as_described": (
        ("亲，看到您发来的照片了，真的很抱歉，我们马上为您处理。",
         "I have seen your photos, we are very sorry; we will sort this out right away."),
    ),
}

CALM_NOTES: tuple[Text, ...] = (
    ("买家情绪比较激动，先让她把话说完，真诚道歉，没有争论谁对谁错。",
     "Buyer was upset; let them finish, apologised sincerely, did not argue about who was right."),
    ("买家抱怨等了很久才有人回复，先致歉，承诺两小时内给答复。",
     "Buyer complained about the wait; apologised and promised an answer within two hours."),
    ("买家说要给差评，先安抚：“看看我们能够帮您做什么”，情绪缓和了。",
     "Buyer threatened a bad review; said 'let's see what we can do for you' and they calmed "
     "down."),
    ("买家是分析型，耐心解释了处理流程和每一步的时间，买家表示理解。",
     "Analytical buyer: explained the process and timing step by step; they understood."),
    ("买家比较强势，语气上尊重他的意见，先认可他的感受再谈方案。",
     "Dominant buyer: showed respect for their view and acknowledged their feelings first."),
    ("电话沟通了十分钟，买家发泄完后语气平和了很多。",
     "Ten-minute call; once the buyer had vented they were much calmer."),
    ("买家是第一次网购的新手，用简单的话解释，没有用专业术语。",
     "First-time online shopper: explained in plain words, no jargon."),
)

# The buyer's core problem, and the remedy that meets it.
CORE_PROBLEMS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "refund_defect": (
        ("买家最关心钱能不能尽快退回来，希望今天就处理。",
         "The buyer mostly wants the money back quickly, ideally today.", "full_refund"),
        ("买家不想来回寄，东西还能用，希望补偿一部分。",
         "Does not want to ship it back; the item still works, wants partial compensation.",
         "partial_refund"),
        ("买家对这个品牌失去信任了，只想全额退款。",
         "The buyer has lost trust in the brand and only wants a full refund.", "full_refund"),
    ),
    "refund_unopened": (
        ("七天无理由退货，买家只想确认退款时间和运费由谁承担。",
         "7-day return: the buyer wants to know when the money comes back and who pays postage.",
         "full_refund"),
    ),
    "refund_price": (
        ("买家要的是价格保护，退回差价就满意了，不想退货。",
         "Price protection: refund the difference and the buyer is happy to keep the item.",
         "partial_refund"),
    ),
    "non_delivery": (
        ("东西是送人的礼物，买家只要能尽快收到，补发顺丰就行。",
         "It is a present: the buyer just needs it soon; a reship by SF Express is fine.",
         "reship"),
        ("买家已经在别处买了，不需要补发，只想退款。",
         "The buyer already bought it elsewhere; no reship, only the money back.", "full_refund"),
        ("买家怀疑被冒领，希望我们向快递核实，同时先补发一件。",
         "Suspects theft; wants us to check with the carrier and reship meanwhile.", "reship"),
        ("等太久失去耐心了，买家要求全额退款，不接受再等。",
         "Lost patience after the wait; wants a full refund and will not wait any longer.",
         "full_refund"),
    ),
    "not_as_described": (
        ("买家就是喜欢详情页上的款式，换一件对的就可以。",
         "The buyer loves the item in the listing; an exchange for the right one is enough.",
         "exchange"),
        ("买家觉得和描述差太多，不想要了，要求退货退款。",
         "Too far from the description; the buyer wants to return it for a refund.",
         "return_and_refund"),
        ("买家愿意留下商品，但希望补偿一部分差价。",
         "The buyer will keep the item but wants part of the price back.", "partial_refund"),
        ("孩子马上要用，买家不想等退货流程，换货越快越好。",
         "Needed urgently; the buyer wants the quickest possible exchange.", "exchange"),
    ),
}

# Shown with the evidence of an item not as described.
EVIDENCE_NOTES: tuple[Text, ...] = (
    ("买家发来的实物照片：{issue}", "Buyer's photo: {issue}"),
    ("自然光下拍摄，与详情页对比图", "Taken in daylight, side by side with the listing photo"),
    ("买家的视频截图，能看出{issue}", "Still from the buyer's video showing the problem"),
)

# Why the buyer turned a proposal down, by the remedy they want instead.
REJECT_REASONS: dict[str, tuple[Text, ...]] = {
    "full_refund": (
        ("买家不接受部分退款，坚持要全额退款。",
         "Buyer turned down the partial refund; insists on a full refund."),
        ("买家不要补发了，说已经不需要这个东西。",
         "Buyer does not want a reship any more; wants the money back."),
    ),
    "partial_refund": (
        ("买家觉得补偿金额太少，希望再多补一些。", "Buyer finds the compensation too small."),
        ("买家不想寄回，觉得退货太麻烦，希望直接补偿一部分。",
         "Buyer does not want the hassle of a return; prefers partial compensation."),
    ),
    "reship": (
        ("买家不要退款，还是想要这件商品，希望补发。", "Buyer still wants the item: reship rather "
                                                    "than refund."),
    ),
    "exchange": (
        ("买家不想退货，只想换成正确的款式。",
         "Buyer does not want a refund, only the right item."),
    ),
    "return_and_refund": (
        ("买家不想换货了，要求退货退款。", "Buyer does not want an exchange any more; wants to "
                                          "return it for a refund."),
    ),
}

ACCEPT_NOTES: dict[str, tuple[Text, ...]] = {
    "full_refund": (("买家同意方案，已在后台操作全额退款。", "Buyer agreed; full refund issued."),),
    "partial_refund": (("买家同意部分退款，已操作退款{amount}元。",
                        "Buyer agreed; partial refund of {amount} CNY issued."),),
    "reship": (("买家同意补发，已安排顺丰次日达，单号已告知买家。",
                "Buyer agreed; reshipped by SF next-day, tracking number sent."),),
    "exchange": (("买家同意换货，换货商品已发出。",
                  "Buyer agreed; the replacement is on its way."),),
    "return_and_refund": (("买家同意退货退款，已发送退货地址，运费由我们承担。",
                           "Buyer agreed; return address sent, we pay the postage."),),
}

ESCALATE_REASONS: tuple[Text, ...] = (
    ("买家威胁要去平台投诉并给差评，转主管处理。",
     "Buyer threatens a platform complaint and a bad review; passing to the supervisor."),
    ("买家已申请平台客服介入（小二介入）。", "Buyer has asked the marketplace to step in."),
    ("金额较大，超出客服权限，需要主管审批。",
     "The amount is above an agent's limit; needs a supervisor's approval."),
    ("沟通三次无果，买家情绪非常激动。", "Three conversations without progress; the buyer is very "
                                        "angry."),
)

HAND_OVER_REASONS: tuple[Text, ...] = (
    ("与原客服沟通陷入僵局，更换客服处理。", "Conversation deadlocked; a fresh agent takes over."),
    ("原客服今天请假，转交同事跟进。", "The agent is off today; a colleague follows up."),
    ("买家对原客服的语气不满意，换一位同事接手。",
     "The buyer disliked the agent's tone; a colleague takes over."),
    ("主管已和买家沟通，交给{to}继续跟进。", "Supervisor spoke to the buyer; {to} follows up."),
)

WITHDRAW_REASONS: dict[str, tuple[Text, ...]] = {
    "refund": (
        ("买家表示不退了，家里人用着觉得还不错。",
         "Buyer keeps it after all: the family likes it."),
        ("买家误操作申请了退款，已撤销。", "The buyer opened the request by mistake."),
    ),
    "non_delivery": (
        ("包裹找到了，在小区快递柜里放了好几天。",
         "The parcel turned up in the building's locker."),
        ("买家联系快递员后拿到了包裹。", "The buyer got the parcel from the courier."),
    ),
    "not_as_described": (
        ("买家在自然光下再看，颜色其实和图片差不多，撤销申请。",
         "In daylight the colour matches the photo after all; request withdrawn."),
        ("买家决定留下商品，不再申请。", "The buyer decided to keep the item."),
    ),
}

REOPEN_REASONS: dict[str, tuple[Text, ...]] = {
    "refund": (("买家说退款一直没有到账，再次联系。", "The buyer says the refund never arrived."),),
    "reship": (("补发的包裹又被退回了。", "The reshipped parcel was returned again."),),
    "exchange": (("换货后的商品还是有同样的问题。", "The replacement has the same problem."),),
}

# After a reopen: what the buyer needs now, and the remedy for it ("" keeps the first remedy).
REOPEN_CORE_PROBLEMS: dict[str, tuple[str, str, str]] = {
    "refund": ("退款显示已退回，但买家银行卡没收到，需要我们提供退款凭证并跟进到账。",
               "The refund shows as sent but never reached the buyer's card; they need proof and "
               "a follow-up.", ""),
    "reship": ("补发的包裹又被退回了，买家不想再等，要求直接退款。",
               "The reshipped parcel came back too; the buyer will not wait again and wants the "
               "money back.", "full_refund"),
    "exchange": ("换来的还是有同样的问题，买家对这款失去信心，要求退货退款。",
                 "The replacement has the same fault; the buyer gives up on the item and wants to "
                 "return it for a refund.", "return_and_refund"),
}

# After the resolution: follow-up contacts (docs/domain.md, "ask about use, feed back and adjust").
FOLLOW_UP_CALLS: dict[str, tuple[Text, ...]] = {
    "refund": (
        ("回访：退款已到账，买家表示满意，感谢您的耐心。",
         "Follow-up call: the refund has arrived and the buyer is satisfied."),
    ),
    "reship": (
        ("回访：补发的包裹已签收，商品完好，买家很满意。",
         "Follow-up call: the reshipped parcel arrived intact; the buyer is happy."),
    ),
    "exchange": (
        ("回访：换货已收到，款式和颜色都对，买家很喜欢。",
         "Follow-up call: the replacement arrived and is right; the buyer likes it."),
    ),
}
BUYER_THANKS: tuple[Text, ...] = (
    ("收到了，谢谢客服～", "Got it, thanks!"),
    ("钱已经到账了，谢谢！", "The money has arrived, thank you."),
    ("问题解决了，下次还来你家买。", "All sorted, I'll shop here again."),
)
SHOP_LAST_WORDS: tuple[Text, ...] = (
    ("不客气呢，有任何问题随时联系我们，祝您生活愉快～", "You're welcome! Reach out any time."),
    ("感谢您的理解和支持，期待您再次光临！", "Thank you for your patience; see you again soon!"),
)
NO_ANSWER_NOTES: tuple[Text, ...] = (
    ("回访电话无人接听，明天再联系。", "No answer to the follow-up call; will try tomorrow."),
    ("打了两次没人接，已发短信说明。", "No answer twice; sent a text instead."),
)
DO_NOT_CONTACT_NOTES: tuple[Text, ...] = (
    ("买家表示问题已解决，不希望再接到电话。", "The buyer says all is fine and asks for no more "
                                              "calls."),
)
CLOSE_NOTES: tuple[Text, ...] = (
    ("回访确认问题已解决。", "Follow-up confirmed the problem is solved."),
    ("买家满意，结案。", "Buyer satisfied; closing."),
)
