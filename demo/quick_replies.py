"""The demo shop's quick replies (快捷短语), in Chinese and English, by kind and step.

Written for the seeds' trade: greet at once, soothe, listen, propose, follow up, and ask once, politely,
for a revised review; never a phrase to avoid (tests/demo/test_quick_replies.py checks them against
the shop's phrase rules). Saved through the same service as the page and the API.
"""

from __future__ import annotations

from typing import Any

from cases import services
from cases.models import CannedReply, Shop

# (shortcut, kind, step, title, body); kind and step empty: any.
CHINESE = [
    ("hi", "", "acknowledge", "欢迎问候",
     "{buyer}您好，我是{shop}的售后客服{agent}～您的订单{order}的问题我已经收到，正在为您处理，请稍等一下哦。"),
    ("sorry", "", "calm", "安抚情绪",
     "{buyer}，真的非常抱歉给您添麻烦了，换作是我也会着急的。您先别担心，这件事我会一直跟进，直到给您处理好。"),
    ("ask", "", "listen", "了解情况",
     "为了尽快帮您解决，能麻烦您说一下具体的情况吗？方便的话拍张照片给我，我马上帮您核实。"),
    ("refund", "refund", "propose", "退款方案",
     "{buyer}，我们能为您做的是：{remedy}，金额{amount}，原路退回，一般1–3个工作日到账。您看这样可以吗？"),
    ("track", "non_delivery", "listen", "查询物流",
     "{buyer}您好，我刚帮您查了订单{order}的物流，正在联系快递核实包裹的位置，{deadline}前一定给您答复。"),
    ("reship", "non_delivery", "propose", "补发商品",
     "让您久等了！我们为您安排了{remedy}，新包裹发出后会第一时间把快递单号发给您。"),
    ("photo", "not_as_described", "listen", "请买家拍照",
     "麻烦您拍两张商品的照片发给我们（一张整体、一张有问题的地方），我们核实后马上给您处理方案，谢谢您的配合。"),
    ("exchange", "not_as_described", "propose", "换货方案",
     "非常抱歉商品和描述有出入。我们能为您做的是：{remedy}，来回运费都由我们承担，您看这样可以吗？"),
    ("review", "negative_review", "calm", "差评安抚",
     "{buyer}您好，我是{shop}的客服{agent}。看到您的评价，真的很抱歉这次没有让您满意，想听您说说具体情况，看看我们能为您做些什么。"),
    ("revise", "negative_review", "request_revision", "邀请修改评价",
     "{buyer}您好，新的商品已经为您寄出，再次为这次的购物体验向您道歉。如果您对处理结果满意，方便的话能否帮忙更新一下评价？您的意见我们都认真记下了，谢谢您！"),
    ("followup", "", "close", "售后回访",
     "{buyer}您好，我是{shop}的{agent}，来回访一下：问题处理好之后，商品用得还顺利吗？有任何需要随时找我。"),
    ("thanks", "", "", "感谢结束语",
     "感谢您的耐心和理解，祝您生活愉快！以后有任何问题随时联系{shop}，我们一直都在。"),
]
ENGLISH = [
    ("hi", "", "acknowledge", "Greeting",
     "Hello {buyer}, this is {agent} from {shop}. I've got your message about order {order} and "
     "I'm on it right now."),
    ("sorry", "", "calm", "Soothe",
     "{buyer}, I'm truly sorry for the trouble; I'd be upset too. Please don't worry: I'll look "
     "after this personally until it's sorted."),
    ("ask", "", "listen", "Ask what happened",
     "So I can put this right, could you tell me a little more about what happened? A photo would "
     "help a lot, and I'll check it straight away."),
    ("refund", "refund", "propose", "Refund offer",
     "{buyer}, here is what we can do for you: {remedy}, {amount}, back to your original payment "
     "method. It usually arrives within 1–3 business days. Does that work for you?"),
    ("track", "non_delivery", "listen", "Tracking check",
     "Hi {buyer}, I've just checked the tracking for order {order} and I'm asking the carrier "
     "where the parcel is. You'll hear from me before {deadline}."),
    ("reship", "non_delivery", "propose", "Reship offer",
     "Thank you for waiting. Here is what we can do for you: {remedy}. We'll send you the new "
     "tracking number as soon as it ships."),
    ("photo", "not_as_described", "listen", "Ask for photos",
     "Could you send us two photos of the item, one of the whole item and one of the problem? "
     "We'll check them and come back to you with a solution right away."),
    ("exchange", "not_as_described", "propose", "Exchange offer",
     "I'm sorry the item isn't as described. Here is what we can do for you: {remedy}, with the "
     "shipping both ways on us. Would that suit you?"),
    ("review", "negative_review", "calm", "Reply to a low rating",
     "Hello {buyer}, this is {agent} from {shop}. I read your review and I'm really sorry we let "
     "you down. Could you tell me what happened, so we can see what we can do for you?"),
    ("revise", "negative_review", "request_revision", "Ask to update the review",
     "Hi {buyer}, your new item is on its way, and I'm sorry again about your experience. If "
     "you're happy with how we put things right, would you consider updating your review? Thank "
     "you for telling us: it helps us improve."),
    ("followup", "", "close", "Follow-up",
     "Hi {buyer}, {agent} from {shop} here, just checking in: now that everything is sorted, is "
     "the item working well for you? I'm here if you need anything."),
    ("thanks", "", "", "Thank you",
     "Thank you for your patience and understanding. If anything else comes up, {shop} is always "
     "here for you. Have a lovely day!"),
]
QUICK_REPLIES: dict[str, list[tuple[str, str, str, str, str]]] = {"zh-hans": CHINESE, "en": ENGLISH}


def ensure_quick_replies(shop: Shop, by: Any) -> int:
    """Save the demo's quick replies the shop does not have yet (by language and shortcut), as its
    supervisor `by`; how many were added. Safe to run again."""
    have = set(CannedReply.objects.filter(shop=shop, archived=False)
               .values_list("language", "shortcut"))
    added = 0
    for language, replies in QUICK_REPLIES.items():
        for shortcut, kind, step, title, body in replies:
            if (language, shortcut) in have:
                continue
            services.save_canned_reply(by=by, data={
                "shop": shop.code, "language": language, "shortcut": shortcut, "kind": kind,
                "step": step, "title": title, "body": body})
            added += 1
    return added


def use_quick_reply(*, case_id: int, by: Any, shortcut: str, language: str) -> str:
    """The demo shop's quick reply `shortcut` in `language`, filled for the case as the reply box
    inserts it: through the canned-reply service, which counts the use (CannedReplyUse)."""
    reply_id = (CannedReply.objects.filter(shop__cases=case_id, language=language,
                                           shortcut=shortcut, archived=False)
                .values_list("pk", flat=True).get())
    return services.use_canned_reply(reply_id=reply_id, case_id=case_id, by=by)
