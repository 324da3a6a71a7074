"""What the demo's seeding leaves to the worker, enqueued once at the end.

Each demo case is built in a transaction of its own, and every commit would enqueue what the
services ask of the worker after it: a reminder sweep where a story's step told someone at once (a
hand-over, an escalation, a threat), the vectors of the case's buyer texts when it opened and each
time the buyer wrote. For the default demo that was some 75 sweeps and 460 vector tasks. So the
seeding holds them (`config.enqueue.held`) and enqueues here what the seeded shop needs:

- no reminder sweep: the story clock (demo/story_clock.py) delivered every reminder that came due
  before the seeding's "now", at its own moment; what comes due later the beat's sweep finds, every
  minute, as for any shop;
- the vectors of the seeded cases (the similar resolved cases on the case page) in batches of
  VECTOR_BATCH, the backfill's batch (`manage.py represent_cases`): a handful of tasks, not one per
  commit;
- anything else once each (a shop with a connector gets its webhooks delivered), in order.
"""

from __future__ import annotations

from collections import Counter

from config.enqueue import Held, enqueue_on_commit

SWEEP = "notifications.tasks.sweep_due_reminders"
VECTORS = "cases.tasks.represent_cases"
VECTOR_BATCH = 64


def enqueue_what_seeding_needs(kept: list[Held]) -> Counter[str]:
    """Enqueue, outside any transaction, what the held enqueues of a seeding come to; returns how
    many tasks of each name were enqueued."""
    case_ids = sorted({case_id for job in kept if job.task == VECTORS for case_id in job.args[0]})
    others = list({(job.task, repr(job.args)): job for job in reversed(kept)
                   if job.task not in (SWEEP, VECTORS)}.values())[::-1]
    sent: Counter[str] = Counter()
    for start in range(0, len(case_ids), VECTOR_BATCH):
        enqueue_on_commit(VECTORS, case_ids[start:start + VECTOR_BATCH])
        sent[VECTORS] += 1
    for job in others:
        enqueue_on_commit(job.task, *job.args)
        sent[job.task] += 1
    return sent
