"""What the peer benchmark seeds and what it requests, as plain data: no Django and no django-helpdesk
here, so it is tested without either (tests/bench/test_helpdesk_peer.py). Ticket n is drawn from its
own Random(n), so it is the same whichever run made it: seeding tops up, a larger N adds the rest."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

# django-helpdesk's default status codes (bench.py checks the installed package still uses them).
OPEN, REOPENED, RESOLVED, CLOSED = 1, 2, 3, 4
# Shares of the seeded tickets: half closed, like our benchmark cases. The list opens on open and
# reopened tickets, so 30 % of the table matches its default filter.
STATUSES = ((OPEN, 0.25), (REOPENED, 0.05), (RESOLVED, 0.20), (CLOSED, 0.50))
PRIORITIES = ((1, 0.05), (2, 0.15), (3, 0.60), (4, 0.15), (5, 0.05))
UNASSIGNED_OPEN = 0.15  # share of open tickets nobody has taken yet; the others all have an owner
QUEUES = (("bench-orders", "Orders"), ("bench-payments", "Payments"), ("bench-shipping", "Shipping"),
          ("bench-returns", "Returns"), ("bench-accounts", "Accounts"))
STAFF = 50
CUSTOMERS = 40_000
FOLLOWUPS = (1, 5)  # per ticket, uniform: 3 on average, the first one the ticket's opening
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)  # closed tickets span the two years before; open ones 60 days
FIRST = ("Anna", "Ben", "Chen", "Dana", "Emil", "Fatima", "Gao", "Hugo", "Ines", "Jonas")
LAST = ("Meyer", "Okafor", "Li", "Svensson", "Rossi")
SUBJECTS = (
    ("Order #{order} has not arrived", "My order #{order} was due last week and tracking has not moved."),
    ("Refund for order #{order}", "I returned order #{order} two weeks ago and have no refund yet."),
    ("Charged twice for #{order}", "My card shows two payments for order #{order}. Please refund one."),
    ("Wrong size in order #{order}", "Order #{order} came in the wrong size; how do I exchange it?"),
    ("Damaged parcel, order #{order}", "The box of order #{order} was crushed and the item is broken."),
    ("Cannot log in", "The password reset e-mail never arrives. My last order was #{order}."),
    ("Change the address of #{order}", "Please ship order #{order} to my new address instead."),
    ("Invoice for order #{order}", "I need an invoice with my company's VAT number for #{order}."),
)
STATUS_TITLES = {REOPENED: "Reopened", RESOLVED: "Resolved", CLOSED: "Closed"}


@dataclass(frozen=True)
class FollowUpPlan:
    date: datetime
    title: str
    comment: str
    public: bool
    staff: int | None  # index of the staff user who wrote it; None: the submitter, by e-mail
    new_status: int | None


@dataclass(frozen=True)
class TicketPlan:
    queue: int
    title: str
    submitter_email: str
    description: str
    status: int
    priority: int
    staff: int | None  # index of the owner among the staff; None: unassigned
    created: datetime
    due_date: datetime | None
    followups: tuple[FollowUpPlan, ...]

    @property
    def modified(self) -> datetime:
        return self.followups[-1].date


def described() -> str:
    """What seeding makes, in words, from the constants above (for the doc)."""
    names = {OPEN: "open", REOPENED: "reopened", RESOLVED: "resolved", CLOSED: "closed"}
    statuses = ", ".join(f"{share:.0%} {names[status]}" for status, share in STATUSES)
    priorities = "/".join(f"{share:.0%}" for _, share in PRIORITIES)
    low, high = FOLLOWUPS
    return (f"{len(QUEUES)} queues, {STAFF} staff users, tickets {statuses}; priorities {priorities} "
            f"from critical to very low; {UNASSIGNED_OPEN:.0%} of open and reopened tickets "
            "unassigned, the others spread over the staff; resolved and closed ones created 7 to 730 "
            f"days before {ANCHOR:%Y-%m-%d}, open and reopened ones in its last 60 days; {low} to {high} "
            f"follow-ups a ticket (uniform: {(low + high) / 2:g} on average): the opening, comments and "
            "e-mails in turn, then the status change if any")


def staff_user(i: int) -> dict[str, str]:
    """Username, names and e-mail of staff user i (0-based)."""
    return {"username": f"staff{i + 1:02d}", "first_name": FIRST[i % len(FIRST)],
            "last_name": LAST[i // len(FIRST) % len(LAST)], "email": f"staff{i + 1:02d}@support.example"}


def ticket(n: int) -> TicketPlan:
    """Ticket n (0-based) with its follow-ups."""
    rnd = random.Random(n)
    status, priority = _pick(rnd, STATUSES), _pick(rnd, PRIORITIES)
    is_open = status in (OPEN, REOPENED)
    staff = None if is_open and rnd.random() < UNASSIGNED_OPEN else rnd.randrange(STAFF)
    created = ANCHOR - timedelta(days=rnd.uniform(0, 60) if is_open else rnd.uniform(7, 730))
    subject, body = rnd.choice(SUBJECTS)
    order = rnd.randrange(100_000, 1_000_000)
    due = created + timedelta(days=rnd.randint(2, 14)) if is_open and rnd.random() < 0.5 else None
    description = body.format(order=order)
    return TicketPlan(
        queue=n % len(QUEUES), title=subject.format(order=order),
        submitter_email=f"customer{rnd.randrange(CUSTOMERS)}@mail.example", description=description,
        status=status, priority=priority, staff=staff, created=created, due_date=due,
        followups=_followups(rnd, created, status, staff, description))


def extra_followup(i: int, created: datetime, staff: int) -> FollowUpPlan:
    """Follow-up i of a long conversation (the detail page's ticket): staff and customer in turn."""
    at = created + timedelta(hours=i)
    if i % 2:
        return FollowUpPlan(at, "Comment", f"Reply {i}: we are looking into it.", True, staff, None)
    return FollowUpPlan(at, "E-Mail Received", f"Message {i}: any news?", True, None, None)


def _followups(rnd: random.Random, created: datetime, status: int, staff: int | None,
               description: str) -> tuple[FollowUpPlan, ...]:
    at, count = created, rnd.randint(*FOLLOWUPS)
    out = [FollowUpPlan(at, "Ticket Opened", description, True, None, None)]
    for i in range(1, count):
        at += timedelta(hours=rnd.uniform(1, 72))
        writer = staff if staff is not None else rnd.randrange(STAFF)
        if i == count - 1 and status != OPEN:
            by = None if status == REOPENED else writer
            out.append(FollowUpPlan(at, STATUS_TITLES[status], "Status changed.", True, by, status))
        elif i % 2:
            out.append(FollowUpPlan(at, "Comment", "Thank you, we are checking with the warehouse.",
                                    rnd.random() < 0.8, writer, None))
        else:
            out.append(FollowUpPlan(at, "E-Mail Received", "Any news? I am still waiting.", True,
                                    None, None))
    return tuple(out)


def _pick(rnd: random.Random, shares: tuple[tuple[int, float], ...]) -> int:
    return rnd.choices([value for value, _ in shares], [share for _, share in shares])[0]


# The ticket list's table (helpdesk/templates/helpdesk/ticket_list.html), in its order; time_spent
# and kbitem only when HELPDESK_ENABLE_TIME_SPENT_ON_TICKET and HELPDESK_KB_ENABLED (both on by default).
COLUMNS = ("id", "ticket", "priority", "queue", "status", "created", "due_date", "assigned_to",
           "submitter", "last_followup")


def columns(*, time_spent: bool = True, kbitem: bool = True) -> list[str]:
    return [*COLUMNS, *(["time_spent"] if time_spent else []), *(["kbitem"] if kbitem else [])]


def datatables_query(length: int, *, time_spent: bool = True, kbitem: bool = True, draw: int = 1,
                     start: int = 0, stamp: int = 1_764_480_000_000) -> str:
    """The query string DataTables 3 (serverSide, `order: []`, no saved state) sends on opening the
    list: each column's data/name/searchable/orderable/search, start, length and the global search;
    no order (the server then sorts by created, ascending); `_` is jQuery's cache-buster."""
    pairs: list[tuple[str, str | int]] = [("draw", draw)]
    for i, data in enumerate(columns(time_spent=time_spent, kbitem=kbitem)):
        pairs += [(f"columns[{i}][data]", data), (f"columns[{i}][name]", ""),
                  (f"columns[{i}][searchable]", "true"),
                  (f"columns[{i}][orderable]", "false" if data == "id" else "true"),
                  (f"columns[{i}][search][value]", ""), (f"columns[{i}][search][regex]", "false")]
    pairs += [("start", start), ("length", length), ("search[value]", ""), ("search[regex]", "false"),
              ("_", stamp)]
    return urlencode(pairs, quote_via=quote)


def our_row(doc: str, section: str, what: str) -> list[str] | None:
    """The cells of our row starting with `what` in the doc's `section` (`## …`), or None."""
    start = doc.find(f"\n{section}\n")
    if start < 0:
        return None
    end = doc.find("\n## ", start + 1)
    for line in doc[start:end if end >= 0 else None].splitlines():
        if line.startswith(f"| {what}"):
            return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return None
