"""What a page says in the wrong language: English words on a Chinese page, Chinese on an English one.

Only the product's own words count. What a person typed or named (case descriptions, buyer handles,
usernames, shop names, messages, review texts, order numbers) is marked in the templates with
`translate="no"` (the HTML attribute that tells translators to leave text alone), and text in an
element with a `lang` of its own (the language menu's names) is in that language on purpose: both
are skipped. Django's admin templates are not ours: their data (the rows of a change list, the
user's name) is named by selector below.
"""

from __future__ import annotations

import re
from typing import Any

# Tokens that are the same in both languages: file formats, currency codes, units, names.
ALLOWED = {
    "API", "CSV", "ZIP", "PDF", "JSON", "CNY", "USD", "EUR", "ID", "URL", "IP",
    "d", "h", "min", "s", "ms", "KB", "MB", "bytes",
    "Taobao", "Tmall", "JD", "Pinduoduo", "Amazon", "eBay", "Django",
    "Webhook",  # Chinese software keeps the word (飞书, 钉钉, 企业微信 all say "Webhook")
}
# Django's admin templates (not ours): where they show data.
ADMIN_DATA = ["#result_list tbody", "#user-tools strong", "#changelist-filter .selected + li",
              ".paginator", "#recent-actions-module .mini", "#recent-actions-module a",
              "#site-name",
              # Django hard-codes this alt text in English (admin/search_form.html: alt="Search");
              # the button beside it says 搜索.
              "#changelist-search img"]

# Every text a person reads or hears on the page: text nodes, and the attributes screen readers
# and tooltips say (aria-label, title, placeholder, alt, a button's value), with the data skipped.
COLLECT = """
(adminData) => {
  const lang = document.documentElement.lang;
  const skipped = (el) => el && (el.closest('[translate="no"]')
      || el.closest('script,style,noscript,template')
      || (el.closest('[lang]') && el.closest('[lang]').lang !== lang)
      || adminData.some((s) => el.closest(s)));
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.trim() && !skipped(node.parentElement)) texts.push(node.textContent);
  }
  const said = '[aria-label],[title],[placeholder],[alt],input[type=submit][value]';
  for (const el of document.querySelectorAll(said)) {
    if (skipped(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(a)) texts.push(el.getAttribute(a));
    }
    if (el.matches('input[type=submit]')) texts.push(el.value);
  }
  texts.push(document.title);
  return texts;
}
"""

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")


# What a person types literally, the same in both languages: a quick reply's shortcut after / and a
# variable in braces ({buyer}).
TYPED_TOKEN = re.compile(r"(?<![\w/])/[A-Za-z0-9_-]+|\{[A-Za-z_][A-Za-z0-9_]*\}")


def foreign_words(texts: list[str], language: str) -> set[str]:
    """English words on a Chinese page (outside ALLOWED), or Chinese on an English one."""
    texts = [TYPED_TOKEN.sub(" ", text) for text in texts]
    if language.startswith("zh"):
        return {w for t in texts for w in LATIN_WORD.findall(t) if w not in ALLOWED}
    return {w for t in texts for w in CJK.findall(t)}


def page_texts(page: Any) -> list[str]:
    return page.evaluate(COLLECT, ADMIN_DATA)
